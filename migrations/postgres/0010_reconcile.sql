-- Reconciliation with Cal.com's bookings API raises two more kinds of review item, and keeps
-- the booking as the API listed it (`payload`, Cal.com's JSON) so an owner sees, and an
-- action applies, exactly what was read.
alter table review_items add column payload text;
alter table review_items drop constraint review_items_kind_check;
alter table review_items add constraint review_items_kind_check check (kind in (
    'failed_delivery', 'held_event', 'overdue_outcome', 'sync_gap', 'not_booked',
    'unlinked_booking', 'calcom_mismatch'));

-- The reconciler's one row: how far Cal.com's bookings were read (the watermark the next
-- pass starts from, less an overlap), when a pass last succeeded, and since when passes fail.
create table reconcile_status (
    id                 integer     primary key check (id = 1),
    watermark          timestamptz,
    last_success_at    timestamptz,
    last_attempt_at    timestamptz,
    failing_since      timestamptz,
    last_error         text,
    last_summary       text
);

-- A booking that matches no lead is offered the newest lead with its attendee's email.
create index leads_email_lower_idx on leads (lower(email));
