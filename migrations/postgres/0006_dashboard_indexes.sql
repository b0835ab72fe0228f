-- The dashboard counts a window's cohort (and its prior period's) from this index alone
-- (index-only scans), so it replaces the plain index on created_at.
create index leads_cohort_idx on leads (created_at)
    include (source, stage, invited_at, first_booked_at, reschedule_count);
drop index leads_created_at_idx;
-- Bookings by when their slot ended, with what the outcome counts need.
create index leads_booking_end_idx on leads (booking_end) include (source, stage)
    where first_booked_at is not null;
-- The latest no-shows and cancellations, for follow-up.
create index leads_lost_last_event_idx on leads (last_event_at desc nulls last)
    where stage in ('no_show', 'cancelled');
-- When the feed last delivered an event (data trust).
create index booking_events_received_at_idx on booking_events (received_at);
