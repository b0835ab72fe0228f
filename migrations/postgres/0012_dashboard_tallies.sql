-- The dashboard's counts, kept per business day and source in the same transaction as every
-- write to `leads` (the trigger below), so a window's numbers cost O(days), not O(leads).
-- Days are numbered from 1970-01-01 in the business's time zone; `business_days` says when
-- each starts and ends in that zone, and is filled (with the tallies rebuilt from `leads`)
-- by the server for the zone in `tally_zone`.
--
-- Every lead of a busy day and source would update one row, and its lock would make writers
-- wait for each other's commits; so each connection counts into its own shard of the row
-- (its backend pid modulo 16), and readers add the shards up.

create table business_days (
    day       integer     primary key,
    starts_at timestamptz not null unique,
    ends_at   timestamptz not null
);

-- One row: the zone the tallies are counted in, and how many times they were rebuilt (part
-- of what tells a cached percentile it is still current).
create table tally_zone (
    id         integer     primary key check (id = 1),
    time_zone  text        not null,
    generation bigint      not null,
    rebuilt_at timestamptz not null
);

-- Leads created on a day: the cohort's funnel. `revision` grows with every change to a row,
-- so a window's rows' revisions sum to a new number whenever its leads change.
create table cohort_tallies (
    day              integer  not null,
    source           text     not null,
    shard            smallint not null,
    leads            bigint   not null,
    invited          bigint   not null,
    booked           bigint   not null,
    rescheduled      bigint   not null,
    booked_cancelled bigint   not null,
    completed        bigint   not null,
    cancelled        bigint   not null,
    no_show          bigint   not null,
    revision         bigint   not null,
    primary key (day, source, shard)
);

-- Booked leads whose slot ended on a day: the outcomes.
create table slot_tallies (
    day              integer  not null,
    source           text     not null,
    shard            smallint not null,
    ended            bigint   not null,
    no_show          bigint   not null,
    with_outcome     bigint   not null,
    meeting_expected bigint   not null,
    primary key (day, source, shard)
);

-- The business day an instant falls on; null outside `business_days` (windows cannot reach it).
-- These helpers are PL/pgSQL, not SQL functions, so their plans are kept per connection
-- instead of being made again in every transaction.
create function business_day(instant timestamptz) returns integer
language plpgsql stable as $$
begin
    return (select d.day from (
        select day, ends_at from business_days where starts_at <= instant
        order by starts_at desc limit 1) d
    where d.ends_at > instant);
end
$$;

create function add_to_cohort(
    at_day integer, of_source text, sign bigint, lead leads
) returns void language plpgsql as $$
begin
    insert into cohort_tallies values (
        at_day, of_source, (pg_backend_pid() % 16)::smallint, sign,
        sign * (lead.invited_at is not null)::int,
        sign * (lead.first_booked_at is not null)::int,
        sign * (lead.first_booked_at is not null and lead.reschedule_count > 0)::int,
        sign * (lead.first_booked_at is not null and lead.stage = 'cancelled')::int,
        sign * (lead.stage = 'completed')::int,
        sign * (lead.stage = 'cancelled')::int,
        sign * (lead.stage = 'no_show')::int,
        1)
    on conflict (day, source, shard) do update set
        leads = cohort_tallies.leads + excluded.leads,
        invited = cohort_tallies.invited + excluded.invited,
        booked = cohort_tallies.booked + excluded.booked,
        rescheduled = cohort_tallies.rescheduled + excluded.rescheduled,
        booked_cancelled = cohort_tallies.booked_cancelled + excluded.booked_cancelled,
        completed = cohort_tallies.completed + excluded.completed,
        cancelled = cohort_tallies.cancelled + excluded.cancelled,
        no_show = cohort_tallies.no_show + excluded.no_show,
        revision = cohort_tallies.revision + 1;
end
$$;

create function add_to_slots(
    at_day integer, of_source text, sign bigint, lead leads
) returns void language plpgsql as $$
begin
    insert into slot_tallies values (
        at_day, of_source, (pg_backend_pid() % 16)::smallint, sign,
        sign * (lead.stage = 'no_show')::int,
        sign * (lead.stage in ('no_show', 'completed'))::int,
        sign * (lead.stage not in ('cancelled', 'rejected'))::int)
    on conflict (day, source, shard) do update set
        ended = slot_tallies.ended + excluded.ended,
        no_show = slot_tallies.no_show + excluded.no_show,
        with_outcome = slot_tallies.with_outcome + excluded.with_outcome,
        meeting_expected = slot_tallies.meeting_expected + excluded.meeting_expected;
end
$$;

-- Takes the old row's counts away and adds the new one's. Rows are touched in one order
-- (cohort before slots, then by day and source), so two writers sharing a shard cannot wait
-- on each other in a circle.
create function tally_lead() returns trigger language plpgsql as $$
declare
    old_day integer;
    new_day integer;
    old_end integer;
    new_end integer;
begin
    if tg_op <> 'INSERT' then
        old_day := business_day(old.created_at);
        if old.first_booked_at is not null then
            old_end := business_day(old.booking_end);
        end if;
    end if;
    if tg_op <> 'DELETE' then
        new_day := business_day(new.created_at);
        if new.first_booked_at is not null then
            new_end := business_day(new.booking_end);
        end if;
    end if;

    if old_day is not null and (new_day is null or (old_day, old.source) < (new_day, new.source)) then
        perform add_to_cohort(old_day, old.source, -1, old);
        old_day := null;
    end if;
    if new_day is not null then
        perform add_to_cohort(new_day, new.source, 1, new);
    end if;
    if old_day is not null then
        perform add_to_cohort(old_day, old.source, -1, old);
    end if;

    if old_end is not null and (new_end is null or (old_end, old.source) < (new_end, new.source)) then
        perform add_to_slots(old_end, old.source, -1, old);
        old_end := null;
    end if;
    if new_end is not null then
        perform add_to_slots(new_end, new.source, 1, new);
    end if;
    if old_end is not null then
        perform add_to_slots(old_end, old.source, -1, old);
    end if;
    return null;
end
$$;

create trigger leads_tally_insert after insert or delete on leads
    for each row execute function tally_lead();

create trigger leads_tally_update after update on leads
    for each row
    when (old.stage is distinct from new.stage or old.invited_at is distinct from new.invited_at
       or old.first_booked_at is distinct from new.first_booked_at
       or old.booking_end is distinct from new.booking_end
       or old.reschedule_count is distinct from new.reschedule_count
       or old.created_at is distinct from new.created_at or old.source is distinct from new.source)
    execute function tally_lead();
