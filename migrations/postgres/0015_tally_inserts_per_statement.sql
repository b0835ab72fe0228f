-- New leads are tallied once per statement instead of once per row: concurrent submissions
-- are written with one multi-row insert, and their counts are summed per (day, source) from
-- the statement's transition table into one upsert per tally row, where each row paid for
-- a trigger call and an upsert of its own. Rows are still touched sorted by day and source,
-- so two writers sharing a shard cannot wait on each other in a circle.

drop trigger leads_tally_insert on leads;
drop function tally_inserted_lead();

create function tally_inserted_leads() returns trigger language plpgsql as $$
begin
    insert into cohort_tallies
    select d.day, n.source, (pg_backend_pid() % 16)::smallint, count(*),
           count(n.invited_at),
           count(n.first_booked_at),
           count(*) filter (where n.first_booked_at is not null and n.reschedule_count > 0),
           count(*) filter (where n.first_booked_at is not null and n.stage = 'cancelled'),
           count(*) filter (where n.stage = 'completed'),
           count(*) filter (where n.stage = 'cancelled'),
           count(*) filter (where n.stage = 'no_show'),
           count(n.first_booked_at)
    from inserted_leads n
    cross join lateral (select day, ends_at from business_days where starts_at <= n.created_at
                        order by starts_at desc limit 1) d
    where d.ends_at > n.created_at
    group by d.day, n.source
    order by d.day, n.source
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

    -- The intake writes leads before they book, but a row that arrives with a booking is
    -- counted on its slot's day too.
    if exists (select 1 from inserted_leads where first_booked_at is not null) then
        insert into slot_tallies
        select d.day, n.source, (pg_backend_pid() % 16)::smallint, count(*),
               count(*) filter (where n.stage = 'no_show'),
               count(*) filter (where n.stage in ('no_show', 'completed')),
               count(*) filter (where n.stage not in ('cancelled', 'rejected'))
        from inserted_leads n
        cross join lateral (select day, ends_at from business_days
                            where starts_at <= n.booking_end
                            order by starts_at desc limit 1) d
        where n.first_booked_at is not null and d.ends_at > n.booking_end
        group by d.day, n.source
        order by d.day, n.source
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
    referencing new table as inserted_leads
    for each statement execute function tally_inserted_leads();
