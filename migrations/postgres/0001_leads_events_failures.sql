-- Leads are a reporting contract: operators query this table directly, so its column names
-- are stable and documented in the README. Timestamps are timestamptz (UTC).
create table leads (
    submission_id       text        primary key,
    name                text        not null,
    email               text        not null,
    company             text,
    phone               text,
    message             text        not null,
    consented_at        timestamptz not null,
    source              text        not null,
    utm_source          text,
    utm_medium          text,
    utm_campaign        text,
    referrer            text,
    landing_path        text,
    stage               text        not null default 'new',
    created_at          timestamptz not null,
    invited_at          timestamptz,
    booking_status      text,
    booking_uid         text,
    booking_start       timestamptz,
    booking_end         timestamptz,
    attendee_time_zone  text,
    location            text,
    first_booked_at     timestamptz,
    reschedule_count    integer     not null default 0,
    cancellation_reason text,
    last_event          text,
    last_event_at       timestamptz,
    constraint leads_stage_check check (stage in (
        'new', 'invited', 'requested', 'booked', 'rescheduled',
        'completed', 'no_show', 'cancelled', 'rejected'))
);

create index leads_created_at_idx on leads (created_at);
create index leads_booking_uid_idx on leads (booking_uid);

-- Every Cal.com booking uid we have seen, and the lead it belongs to. A reschedule adds the
-- new uid pointing at the same lead, so events for any uid of the chain find the lead.
create table bookings (
    booking_uid        text        primary key,
    submission_id      text        not null references leads (submission_id),
    rescheduled_from   text,
    linked_at          timestamptz not null
);

create index bookings_submission_id_idx on bookings (submission_id);

-- Every verified webhook event, once. The idempotency key is derived from the body, because
-- Cal.com sends no event id. `status` is `applied` (folded into its lead) or `held` (its
-- booking is not known yet).
create table booking_events (
    id                 bigint      generated always as identity primary key,
    idempotency_key    text        not null,
    trigger_event      text        not null,
    booking_uid        text,
    link_uid           text,
    submission_id      text        references leads (submission_id),
    status             text        not null,
    event_at           timestamptz not null,
    received_at        timestamptz not null,
    event              text        not null,
    constraint booking_events_idempotency_key_key unique (idempotency_key),
    constraint booking_events_status_check check (status in ('applied', 'held'))
);

create index booking_events_submission_id_idx on booking_events (submission_id, event_at);
create index booking_events_held_link_uid_idx on booking_events (link_uid) where status = 'held';

-- Webhook deliveries that could not be applied to a lead, for manual reconciliation.
-- Bodies are stored capped; the quota row below keeps the whole queue bounded.
create table webhook_failures (
    id                 bigint      generated always as identity primary key,
    received_at        timestamptz not null,
    reason             text        not null,
    trigger_event      text,
    booking_uid        text,
    body               text        not null,
    body_bytes         integer     not null,
    body_truncated     boolean     not null,
    resolved_at        timestamptz,
    resolution         text
);

create index webhook_failures_open_idx on webhook_failures (received_at) where resolved_at is null;

-- What the failure queue holds and what it had to drop, kept in step with every insert.
create table webhook_failure_quota (
    id                 integer     primary key,
    stored_rows        bigint      not null,
    stored_bytes       bigint      not null,
    dropped            bigint      not null,
    constraint webhook_failure_quota_single_row check (id = 1)
);

insert into webhook_failure_quota (id, stored_rows, stored_bytes, dropped) values (1, 0, 0, 0);
