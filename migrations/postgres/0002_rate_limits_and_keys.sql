-- Hits per rate-limit key and clock hour, shared by every server process. Keys are hashes:
-- no client address is stored.
create table rate_limit_hits (
    bucket        text        not null,
    window_start  timestamptz not null,
    hits          bigint      not null,
    constraint rate_limit_hits_pkey primary key (bucket, window_start)
);

create index rate_limit_hits_window_start_idx on rate_limit_hits (window_start);

-- Keys the server signs with (e.g. intake form tickets), made on first start and shared by
-- every process that uses this database.
create table signing_keys (
    name          text        primary key,
    key_hex       text        not null,
    created_at    timestamptz not null
);
