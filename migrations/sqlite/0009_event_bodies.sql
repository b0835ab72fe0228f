-- Every verified delivery's bytes as received, beside its event-log row, so events can be
-- parsed again after a parser fix. Personal data: pruned after RAW_BODY_RETENTION_DAYS (the
-- parsed event stays) and erased with the lead.
create table booking_event_bodies (
    event_id     integer primary key references booking_events (id),
    received_at  text    not null,
    body         blob    not null
);

create index booking_event_bodies_received_at_idx on booking_event_bodies (received_at);
