-- The dashboard counts bookings by when their slot ended, and filters leads by source.
create index leads_booking_end_idx on leads (booking_end) where first_booked_at is not null;
create index leads_source_created_at_idx on leads (source, created_at);
-- The latest no-shows and cancellations, for follow-up.
create index leads_lost_last_event_idx on leads (last_event_at desc nulls last) where stage in ('no_show', 'cancelled');
-- When the feed last delivered an event (data trust).
create index booking_events_received_at_idx on booking_events (received_at);
