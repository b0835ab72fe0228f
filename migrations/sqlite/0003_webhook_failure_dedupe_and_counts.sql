-- A failure's body hash, so a re-delivery of the same failed body is not stored twice.
alter table webhook_failures add column body_sha256 text;
create index webhook_failures_body_sha256_idx on webhook_failures (body_sha256);

-- Every delivery that was not applied, counted by reason (unsigned, bad signature, malformed,
-- unknown trigger, unmatched, queue full…), whether or not the failure queue kept its body.
create table webhook_rejections (
    reason      text        primary key,
    deliveries  integer     not null,
    last_at     text        not null
);
