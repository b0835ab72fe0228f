-- Owners sign in with an email and a password (an argon2id PHC string, never the password).
create table owners (
    id              text        primary key,
    email           text        not null,
    password_hash   text        not null,
    created_at      text        not null,
    constraint owners_email_key unique (email)
);

-- Signed-in sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy
-- of this table signs nobody in.
create table owner_sessions (
    token_hash      text        primary key,
    owner_id        text        not null references owners (id) on delete cascade,
    created_at      text        not null,
    expires_at      text        not null
);

create index owner_sessions_expires_at_idx on owner_sessions (expires_at);
create index owner_sessions_owner_id_idx on owner_sessions (owner_id);
