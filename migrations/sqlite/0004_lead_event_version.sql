-- Counts the writes of a lead's booking fields. Webhook events are applied optimistically:
-- a write only lands if the lead is still at the version its events were read at.
alter table leads add column event_version integer not null default 0;

-- Booking uids are looked up in `bookings`; this index only slowed every booking update.
drop index leads_booking_uid_idx;
