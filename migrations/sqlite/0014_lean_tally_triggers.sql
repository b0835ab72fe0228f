-- The tally triggers again, with `revision` growing only when a change can move the
-- time-to-book percentiles: a lead with a first booking entering or leaving the row, or
-- changing its created time, source or first booking. A new lead that has not booked, or a
-- booked lead's outcome, no longer makes the dashboard compute its percentiles again.

drop trigger leads_tally_insert;
drop trigger leads_tally_update;
drop trigger leads_tally_delete;

create trigger leads_tally_insert after insert on leads
begin
    insert into cohort_tallies
    select d.day, new.source, 0, 1, new.invited_at is not null, new.first_booked_at is not null,
           new.first_booked_at is not null and new.reschedule_count > 0,
           new.first_booked_at is not null and new.stage = 'cancelled',
           new.stage = 'completed', new.stage = 'cancelled', new.stage = 'no_show',
           new.first_booked_at is not null
    from (select day, ends_at from business_days where starts_at <= new.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > new.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + excluded.revision;

    insert into slot_tallies
    select d.day, new.source, 0, 1, new.stage = 'no_show',
           new.stage in ('no_show', 'completed'), new.stage not in ('cancelled', 'rejected')
    from (select day, ends_at from business_days where starts_at <= new.booking_end
          order by starts_at desc limit 1) d
    where new.first_booked_at is not null and d.ends_at > new.booking_end
    on conflict (day, source, shard) do update set
        ended = ended + excluded.ended, no_show = no_show + excluded.no_show,
        with_outcome = with_outcome + excluded.with_outcome,
        meeting_expected = meeting_expected + excluded.meeting_expected;
end;

create trigger leads_tally_update after update on leads
when old.stage is not new.stage or old.invited_at is not new.invited_at
  or old.first_booked_at is not new.first_booked_at or old.booking_end is not new.booking_end
  or old.reschedule_count is not new.reschedule_count or old.created_at is not new.created_at
  or old.source is not new.source
begin
    insert into cohort_tallies
    select d.day, old.source, 0, -1, -(old.invited_at is not null),
           -(old.first_booked_at is not null),
           -(old.first_booked_at is not null and old.reschedule_count > 0),
           -(old.first_booked_at is not null and old.stage = 'cancelled'),
           -(old.stage = 'completed'), -(old.stage = 'cancelled'), -(old.stage = 'no_show'),
           old.first_booked_at is not null and (old.first_booked_at is not new.first_booked_at
             or old.created_at is not new.created_at or old.source is not new.source)
    from (select day, ends_at from business_days where starts_at <= old.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > old.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + excluded.revision;

    insert into cohort_tallies
    select d.day, new.source, 0, 1, new.invited_at is not null, new.first_booked_at is not null,
           new.first_booked_at is not null and new.reschedule_count > 0,
           new.first_booked_at is not null and new.stage = 'cancelled',
           new.stage = 'completed', new.stage = 'cancelled', new.stage = 'no_show',
           new.first_booked_at is not null and (old.first_booked_at is not new.first_booked_at
             or old.created_at is not new.created_at or old.source is not new.source)
    from (select day, ends_at from business_days where starts_at <= new.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > new.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + excluded.revision;

    insert into slot_tallies
    select d.day, old.source, 0, -1, -(old.stage = 'no_show'),
           -(old.stage in ('no_show', 'completed')), -(old.stage not in ('cancelled', 'rejected'))
    from (select day, ends_at from business_days where starts_at <= old.booking_end
          order by starts_at desc limit 1) d
    where old.first_booked_at is not null and d.ends_at > old.booking_end
    on conflict (day, source, shard) do update set
        ended = ended + excluded.ended, no_show = no_show + excluded.no_show,
        with_outcome = with_outcome + excluded.with_outcome,
        meeting_expected = meeting_expected + excluded.meeting_expected;

    insert into slot_tallies
    select d.day, new.source, 0, 1, new.stage = 'no_show',
           new.stage in ('no_show', 'completed'), new.stage not in ('cancelled', 'rejected')
    from (select day, ends_at from business_days where starts_at <= new.booking_end
          order by starts_at desc limit 1) d
    where new.first_booked_at is not null and d.ends_at > new.booking_end
    on conflict (day, source, shard) do update set
        ended = ended + excluded.ended, no_show = no_show + excluded.no_show,
        with_outcome = with_outcome + excluded.with_outcome,
        meeting_expected = meeting_expected + excluded.meeting_expected;
end;

create trigger leads_tally_delete after delete on leads
begin
    insert into cohort_tallies
    select d.day, old.source, 0, -1, -(old.invited_at is not null),
           -(old.first_booked_at is not null),
           -(old.first_booked_at is not null and old.reschedule_count > 0),
           -(old.first_booked_at is not null and old.stage = 'cancelled'),
           -(old.stage = 'completed'), -(old.stage = 'cancelled'), -(old.stage = 'no_show'),
           old.first_booked_at is not null
    from (select day, ends_at from business_days where starts_at <= old.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > old.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + excluded.revision;

    insert into slot_tallies
    select d.day, old.source, 0, -1, -(old.stage = 'no_show'),
           -(old.stage in ('no_show', 'completed')), -(old.stage not in ('cancelled', 'rejected'))
    from (select day, ends_at from business_days where starts_at <= old.booking_end
          order by starts_at desc limit 1) d
    where old.first_booked_at is not null and d.ends_at > old.booking_end
    on conflict (day, source, shard) do update set
        ended = ended + excluded.ended, no_show = no_show + excluded.no_show,
        with_outcome = with_outcome + excluded.with_outcome,
        meeting_expected = meeting_expected + excluded.meeting_expected;
end;
