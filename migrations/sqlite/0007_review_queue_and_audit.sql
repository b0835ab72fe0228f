-- A verified delivery that could not be applied keeps its bytes exactly as received, so that
-- applying it later is byte-exact and a re-delivery of the same body is recognised. New rows
-- leave the old text column empty.
alter table webhook_failures add column raw_body blob;

-- Where a logged event came from: a Cal.com webhook, or an owner's action (a marked outcome).
alter table booking_events add column source text not null default 'webhook';
-- An owner discarded this held event: it is never released to a lead.
alter table booking_events add column discarded_at text;

-- A lead whose personal data was erased on request; its counts stay in the numbers.
alter table leads add column erased_at text;

-- Invited leads that never booked, by when they were invited (the follow-up list).
create index leads_not_booked_idx on leads (invited_at)
    where first_booked_at is null and invited_at is not null;

-- Everything the automation could not settle by itself, one row per item. Ids are stable
-- (`failure:12`, `held:34`, `overdue:<booking uid>`, `not_booked:<submission id>`,
-- `sync_gap:<submission id>:<event version>`), so an action on a resolved item is refused.
create table review_items (
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
    constraint review_items_kind_check check (kind in (
        'failed_delivery', 'held_event', 'overdue_outcome', 'sync_gap', 'not_booked'))
);

create index review_items_open_idx on review_items (raised_at desc, id desc)
    where resolved_at is null;
create index review_items_open_kind_idx on review_items (kind, raised_at desc, id desc)
    where resolved_at is null;
create index review_items_submission_id_idx on review_items (submission_id);

-- How far each incremental check of the review queue has read.
create table review_watermarks (
    name               text        primary key,
    position           text        not null
);

-- Every owner action, who did it and when, with the lead's stage before and after. It holds
-- no personal data of the lead, so erasing a lead keeps its audit trail.
create table audit_log (
    id                 integer     primary key,
    at                 text        not null,
    owner_id           text        not null,
    owner_email        text        not null,
    action             text        not null,
    item_id            text,
    submission_id      text,
    stage_before       text,
    stage_after        text,
    detail             text
);

create index audit_log_submission_id_idx on audit_log (submission_id, at);
