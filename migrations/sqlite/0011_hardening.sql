-- A failed body is queued once: the unique index decides, not a check before the insert, so
-- two racing re-deliveries cannot both be stored. Copies an earlier race left behind are
-- resolved as duplicates, with their review items, and give up their hash (NULLs do not
-- collide).
create table duplicate_failures as
    select id from webhook_failures
    where body_sha256 is not null
      and exists (
        select 1 from webhook_failures earlier
        where earlier.body_sha256 = webhook_failures.body_sha256
          and earlier.id < webhook_failures.id
      );
update review_items set
    resolved_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'),
    resolved_by = 'automation',
    resolution = 'duplicate',
    resolution_reason = 'the same body is queued under an earlier failure'
where resolved_at is null
  and id in (select 'failure:' || cast(id as text) from duplicate_failures);
update webhook_failures set
    resolved_at = coalesce(resolved_at, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    resolution = coalesce(resolution, 'duplicate'),
    body_sha256 = null
where id in (select id from duplicate_failures);
drop table duplicate_failures;
drop index webhook_failures_body_sha256_idx;
create unique index webhook_failures_body_sha256_key on webhook_failures (body_sha256);

-- Key rotation: the key in use before the last rotation still verifies, with when it ended.
alter table signing_keys add column previous_key_hex text;
alter table signing_keys add column rotated_at text;
