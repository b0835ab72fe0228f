-- Reconciliation with Cal.com's bookings API raises two more kinds of review item, and keeps
-- the booking as the API listed it (`payload`, Cal.com's JSON) so an owner sees, and an
-- action applies, exactly what was read. SQLite cannot change a check constraint: the table
-- is built again.
create table review_items_next (
    id                 text        primary key,
    kind               text        not null,
    raised_at          text        not null,
    submission_id      text        references leads (submission_id),
    booking_uid        text,
    trigger_event      text,
    reason             text        not null,
    snoozed_until      text,
    resolved_at        text,
    resolved_by        text,
    resolution         text,
    resolution_reason  text,
    payload            text,
    constraint review_items_kind_check check (kind in (
        'failed_delivery', 'held_event', 'overdue_outcome', 'sync_gap', 'not_booked',
        'unlinked_booking', 'calcom_mismatch'))
);

insert into review_items_next (id, kind, raised_at, submission_id, booking_uid, trigger_event,
    reason, snoozed_until, resolved_at, resolved_by, resolution, resolution_reason)
select id, kind, raised_at, submission_id, booking_uid, trigger_event, reason, snoozed_until,
    resolved_at, resolved_by, resolution, resolution_reason
from review_items;

drop table review_items;
alter table review_items_next rename to review_items;

create index review_items_open_idx on review_items (raised_at desc, id desc)
    where resolved_at is null;
create index review_items_open_kind_idx on review_items (kind, raised_at desc, id desc)
    where resolved_at is null;
create index review_items_submission_id_idx on review_items (submission_id);

-- The reconciler's one row: how far Cal.com's bookings were read (the watermark the next
-- pass starts from, less an overlap), when a pass last succeeded, and since when passes fail.
create table reconcile_status (
    id                 integer     primary key check (id = 1),
    watermark          text,
    last_success_at    text,
    last_attempt_at    text,
    failing_since      text,
    last_error         text,
    last_summary       text
);

-- A booking that matches no lead is offered the newest lead with its attendee's email.
create index leads_email_lower_idx on leads (lower(email));
