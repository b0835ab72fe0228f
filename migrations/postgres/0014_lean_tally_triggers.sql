-- The tally triggers again, cheaper for the writes that pay for them:
--
-- * Each trigger's statements are written out in it, where they were calls to helper
--   functions (`business_day`, `add_to_cohort`, `add_to_slots`, now dropped): every call was
--   one more function entry and plan look-up on the path of every new lead.
-- * An update adds its old and new counts up before it writes, one upsert per table, so a
--   lead whose stage changes touches its cohort row once instead of twice.
-- * `revision` now grows only when a change can move the time-to-book percentiles: a lead
--   with a first booking entering or leaving the row, or changing its created time, source or
--   first booking. A new lead that has not booked, or a booked lead's outcome, no longer makes
--   the dashboard compute its percentiles again.
--
-- Rows are still touched in one order (cohort before slots, then by day and source), so two
-- writers sharing a shard cannot wait on each other in a circle.

drop trigger leads_tally_insert on leads;
drop trigger leads_tally_update on leads;
drop function tally_lead();
drop function add_to_cohort(integer, text, bigint, leads);
drop function add_to_slots(integer, text, bigint, leads);
drop function business_day(timestamptz);

create function tally_inserted_lead() returns trigger language plpgsql as $$
begin
    insert into cohort_tallies
    select d.day, new.source, (pg_backend_pid() % 16)::smallint, 1,
           (new.invited_at is not null)::int,
           (new.first_booked_at is not null)::int,
           (new.first_booked_at is not null and new.reschedule_count > 0)::int,
           (new.first_booked_at is not null and new.stage = 'cancelled')::int,
           (new.stage = 'completed')::int,
           (new.stage = 'cancelled')::int,
           (new.stage = 'no_show')::int,
           (new.first_booked_at is not null)::int
    from (select day, ends_at from business_days where starts_at <= new.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > new.created_at
    on conflict (day, source, shard) do update set
        leads = cohort_tallies.leads + excluded.leads,
        invited = cohort_tallies.invited + excluded.invited,
        booked = cohort_tallies.booked + excluded.booked,
        rescheduled = cohort_tallies.rescheduled + excluded.rescheduled,
        booked_cancelled = cohort_tallies.booked_cancelled + excluded.booked_cancelled,
        completed = cohort_tallies.completed + excluded.completed,
        cancelled = cohort_tallies.cancelled + excluded.cancelled,
        no_show = cohort_tallies.no_show + excluded.no_show,
        revision = cohort_tallies.revision + excluded.revision;

    if new.first_booked_at is not null then
        insert into slot_tallies
        select d.day, new.source, (pg_backend_pid() % 16)::smallint, 1,
               (new.stage = 'no_show')::int,
               (new.stage in ('no_show', 'completed'))::int,
               (new.stage not in ('cancelled', 'rejected'))::int
        from (select day, ends_at from business_days where starts_at <= new.booking_end
              order by starts_at desc limit 1) d
        where d.ends_at > new.booking_end
        on conflict (day, source, shard) do update set
            ended = slot_tallies.ended + excluded.ended,
            no_show = slot_tallies.no_show + excluded.no_show,
            with_outcome = slot_tallies.with_outcome + excluded.with_outcome,
            meeting_expected = slot_tallies.meeting_expected + excluded.meeting_expected;
    end if;
    return null;
end
$$;

create function tally_deleted_lead() returns trigger language plpgsql as $$
begin
    insert into cohort_tallies
    select d.day, old.source, (pg_backend_pid() % 16)::smallint, -1,
           -((old.invited_at is not null)::int),
           -((old.first_booked_at is not null)::int),
           -((old.first_booked_at is not null and old.reschedule_count > 0)::int),
           -((old.first_booked_at is not null and old.stage = 'cancelled')::int),
           -((old.stage = 'completed')::int),
           -((old.stage = 'cancelled')::int),
           -((old.stage = 'no_show')::int),
           (old.first_booked_at is not null)::int
    from (select day, ends_at from business_days where starts_at <= old.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > old.created_at
    on conflict (day, source, shard) do update set
        leads = cohort_tallies.leads + excluded.leads,
        invited = cohort_tallies.invited + excluded.invited,
        booked = cohort_tallies.booked + excluded.booked,
        rescheduled = cohort_tallies.rescheduled + excluded.rescheduled,
        booked_cancelled = cohort_tallies.booked_cancelled + excluded.booked_cancelled,
        completed = cohort_tallies.completed + excluded.completed,
        cancelled = cohort_tallies.cancelled + excluded.cancelled,
        no_show = cohort_tallies.no_show + excluded.no_show,
        revision = cohort_tallies.revision + excluded.revision;

    if old.first_booked_at is not null then
        insert into slot_tallies
        select d.day, old.source, (pg_backend_pid() % 16)::smallint, -1,
               -((old.stage = 'no_show')::int),
               -((old.stage in ('no_show', 'completed'))::int),
               -((old.stage not in ('cancelled', 'rejected'))::int)
        from (select day, ends_at from business_days where starts_at <= old.booking_end
              order by starts_at desc limit 1) d
        where d.ends_at > old.booking_end
        on conflict (day, source, shard) do update set
            ended = slot_tallies.ended + excluded.ended,
            no_show = slot_tallies.no_show + excluded.no_show,
            with_outcome = slot_tallies.with_outcome + excluded.with_outcome,
            meeting_expected = slot_tallies.meeting_expected + excluded.meeting_expected;
    end if;
    return null;
end
$$;

-- The old row's counts taken away and the new row's added, summed per (day, source) first:
-- one upsert cannot touch a row twice, and the sorted rows keep the lock order.
create function tally_updated_lead() returns trigger language plpgsql as $$
declare
    waits_moved int := (old.first_booked_at is distinct from new.first_booked_at
        or old.created_at is distinct from new.created_at
        or old.source is distinct from new.source)::int;
begin
    insert into cohort_tallies
    select d.day, c.source, (pg_backend_pid() % 16)::smallint, sum(c.leads), sum(c.invited),
           sum(c.booked), sum(c.rescheduled), sum(c.booked_cancelled), sum(c.completed),
           sum(c.cancelled), sum(c.no_show), sum(c.revision)
    from (values
        (old.created_at, old.source, -1,
         -((old.invited_at is not null)::int),
         -((old.first_booked_at is not null)::int),
         -((old.first_booked_at is not null and old.reschedule_count > 0)::int),
         -((old.first_booked_at is not null and old.stage = 'cancelled')::int),
         -((old.stage = 'completed')::int),
         -((old.stage = 'cancelled')::int),
         -((old.stage = 'no_show')::int),
         (old.first_booked_at is not null)::int * waits_moved),
        (new.created_at, new.source, 1,
         (new.invited_at is not null)::int,
         (new.first_booked_at is not null)::int,
         (new.first_booked_at is not null and new.reschedule_count > 0)::int,
         (new.first_booked_at is not null and new.stage = 'cancelled')::int,
         (new.stage = 'completed')::int,
         (new.stage = 'cancelled')::int,
         (new.stage = 'no_show')::int,
         (new.first_booked_at is not null)::int * waits_moved)
    ) c(at, source, leads, invited, booked, rescheduled, booked_cancelled, completed,
        cancelled, no_show, revision)
    cross join lateral (select day, ends_at from business_days where starts_at <= c.at
                        order by starts_at desc limit 1) d
    where d.ends_at > c.at
    group by d.day, c.source
    order by d.day, c.source
    on conflict (day, source, shard) do update set
        leads = cohort_tallies.leads + excluded.leads,
        invited = cohort_tallies.invited + excluded.invited,
        booked = cohort_tallies.booked + excluded.booked,
        rescheduled = cohort_tallies.rescheduled + excluded.rescheduled,
        booked_cancelled = cohort_tallies.booked_cancelled + excluded.booked_cancelled,
        completed = cohort_tallies.completed + excluded.completed,
        cancelled = cohort_tallies.cancelled + excluded.cancelled,
        no_show = cohort_tallies.no_show + excluded.no_show,
        revision = cohort_tallies.revision + excluded.revision;

    if old.first_booked_at is not null or new.first_booked_at is not null then
        insert into slot_tallies
        select d.day, s.source, (pg_backend_pid() % 16)::smallint, sum(s.ended),
               sum(s.no_show), sum(s.with_outcome), sum(s.meeting_expected)
        from (values
            (case when old.first_booked_at is not null then old.booking_end end, old.source, -1,
             -((old.stage = 'no_show')::int),
             -((old.stage in ('no_show', 'completed'))::int),
             -((old.stage not in ('cancelled', 'rejected'))::int)),
            (case when new.first_booked_at is not null then new.booking_end end, new.source, 1,
             (new.stage = 'no_show')::int,
             (new.stage in ('no_show', 'completed'))::int,
             (new.stage not in ('cancelled', 'rejected'))::int)
        ) s(at, source, ended, no_show, with_outcome, meeting_expected)
        cross join lateral (select day, ends_at from business_days where starts_at <= s.at
                            order by starts_at desc limit 1) d
        where d.ends_at > s.at
        group by d.day, s.source
        order by d.day, s.source
        on conflict (day, source, shard) do update set
            ended = slot_tallies.ended + excluded.ended,
            no_show = slot_tallies.no_show + excluded.no_show,
            with_outcome = slot_tallies.with_outcome + excluded.with_outcome,
            meeting_expected = slot_tallies.meeting_expected + excluded.meeting_expected;
    end if;
    return null;
end
$$;

create trigger leads_tally_insert after insert on leads
    for each row execute function tally_inserted_lead();

create trigger leads_tally_delete after delete on leads
    for each row execute function tally_deleted_lead();

create trigger leads_tally_update after update on leads
    for each row
    when (old.stage is distinct from new.stage or old.invited_at is distinct from new.invited_at
       or old.first_booked_at is distinct from new.first_booked_at
       or old.booking_end is distinct from new.booking_end
       or old.reschedule_count is distinct from new.reschedule_count
       or old.created_at is distinct from new.created_at or old.source is distinct from new.source)
    execute function tally_updated_lead();
