-- The dashboard counts bookings by when their slot ended, and filters leads by source.
create index leads_booking_end_idx on leads (booking_end) where first_booked_at is not null;
create index leads_source_created_at_idx on leads (source, created_at);
