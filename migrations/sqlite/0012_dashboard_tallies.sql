-- The dashboard's counts, kept per business day and source in the same transaction as every
-- write to `leads` (the triggers below), so a window's numbers cost O(days), not O(leads).
-- Days are numbered from 1970-01-01 in the business's time zone; `business_days` says when
-- each starts and ends in that zone, and is filled (with the tallies rebuilt from `leads`)
-- by the server for the zone in `tally_zone`.

create table business_days (
    day       integer primary key,
    starts_at text    not null unique,
    ends_at   text    not null
);

-- One row: the zone the tallies are counted in, and how many times they were rebuilt (part
-- of what tells a cached percentile it is still current).
create table tally_zone (
    id         integer primary key check (id = 1),
    time_zone  text    not null,
    generation integer not null,
    rebuilt_at text    not null
);

-- Leads created on a day: the cohort's funnel. `revision` grows with every change to a row,
-- so a window's rows' revisions sum to a new number whenever its leads change.
create table cohort_tallies (
    day              integer not null,
    source           text    not null,
    shard            integer not null,
    leads            integer not null,
    invited          integer not null,
    booked           integer not null,
    rescheduled      integer not null,
    booked_cancelled integer not null,
    completed        integer not null,
    cancelled        integer not null,
    no_show          integer not null,
    revision         integer not null,
    primary key (day, source, shard)
);

-- Booked leads whose slot ended on a day: the outcomes.
create table slot_tallies (
    day              integer not null,
    source           text    not null,
    shard            integer not null,
    ended            integer not null,
    no_show          integer not null,
    with_outcome     integer not null,
    meeting_expected integer not null,
    primary key (day, source, shard)
);

-- A lead counts once in its creation day's cohort row, and once in its slot's end day's row
-- while it is booked. An update takes the old row's counts away and adds the new one's; an
-- instant outside `business_days` counts nowhere (windows cannot reach it).
create trigger leads_tally_insert after insert on leads
begin
    insert into cohort_tallies
    select d.day, new.source, 0, 1, new.invited_at is not null, new.first_booked_at is not null,
           new.first_booked_at is not null and new.reschedule_count > 0,
           new.first_booked_at is not null and new.stage = 'cancelled',
           new.stage = 'completed', new.stage = 'cancelled', new.stage = 'no_show', 1
    from (select day, ends_at from business_days where starts_at <= new.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > new.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + 1;

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
           -(old.stage = 'completed'), -(old.stage = 'cancelled'), -(old.stage = 'no_show'), 1
    from (select day, ends_at from business_days where starts_at <= old.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > old.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + 1;

    insert into cohort_tallies
    select d.day, new.source, 0, 1, new.invited_at is not null, new.first_booked_at is not null,
           new.first_booked_at is not null and new.reschedule_count > 0,
           new.first_booked_at is not null and new.stage = 'cancelled',
           new.stage = 'completed', new.stage = 'cancelled', new.stage = 'no_show', 1
    from (select day, ends_at from business_days where starts_at <= new.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > new.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + 1;

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
           -(old.stage = 'completed'), -(old.stage = 'cancelled'), -(old.stage = 'no_show'), 1
    from (select day, ends_at from business_days where starts_at <= old.created_at
          order by starts_at desc limit 1) d
    where d.ends_at > old.created_at
    on conflict (day, source, shard) do update set
        leads = leads + excluded.leads, invited = invited + excluded.invited,
        booked = booked + excluded.booked, rescheduled = rescheduled + excluded.rescheduled,
        booked_cancelled = booked_cancelled + excluded.booked_cancelled,
        completed = completed + excluded.completed, cancelled = cancelled + excluded.cancelled,
        no_show = no_show + excluded.no_show, revision = revision + 1;

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
