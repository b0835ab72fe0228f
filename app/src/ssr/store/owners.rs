//! The `owners` and `owner_sessions` tables: who may sign in, and who is signed in.

use crate::ssr::db::{in_tx, on_pool, Db, DbTime};

/// An owner as the sign-in check needs it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OwnerRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
}

/// Stores an owner unless one with that email exists; `true` when this call stored it.
pub async fn insert(
    db: &Db,
    id: &str,
    email: &str,
    password_hash: &str,
    at: DbTime,
) -> Result<bool, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into owners (id, email, password_hash, created_at) values ($1, $2, $3, $4) \
         on conflict (email) do nothing",
    )
    .bind(id)
    .bind(email)
    .bind(password_hash)
    .bind(at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected() == 1))
}

/// Replaces an existing owner's password hash and ends every session of that owner, in one
/// transaction; `true` when the owner exists.
pub async fn set_password(db: &Db, email: &str, password_hash: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let changed = in_tx!(&mut tx, conn => sqlx::query("update owners set password_hash = $2 where email = $1")
        .bind(email)
        .bind(password_hash)
        .execute(conn)
        .await
        .map(|done| done.rows_affected() == 1))?;
    in_tx!(&mut tx, conn => sqlx::query(
        "delete from owner_sessions where owner_id in (select id from owners where email = $1)",
    )
    .bind(email)
    .execute(conn)
    .await
    .map(|_| ()))?;
    tx.commit().await?;
    Ok(changed)
}

/// Replaces the owner's password hash with another of the same password (new parameters),
/// unless it changed meanwhile; sessions stay. `true` when it was replaced.
pub async fn rehash_password(
    db: &Db,
    owner_id: &str,
    old_hash: &str,
    new_hash: &str,
) -> Result<bool, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "update owners set password_hash = $3 where id = $1 and password_hash = $2",
    )
    .bind(owner_id)
    .bind(old_hash)
    .bind(new_hash)
    .execute(pool)
    .await
    .map(|done| done.rows_affected() == 1))
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>("select count(*) from owners")
        .fetch_one(pool)
        .await)
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<OwnerRow>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, OwnerRow>(
        "select id, email, password_hash from owners where email = $1",
    )
    .bind(email)
    .fetch_optional(pool)
    .await)
}

/// Opens a session for an owner until `expires_at`.
pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    owner_id: &str,
    now: DbTime,
    expires_at: DbTime,
) -> Result<(), sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into owner_sessions (token_hash, owner_id, created_at, expires_at) \
         values ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(owner_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// The owner (id, email) of a session that has not expired at `now`.
pub async fn session_owner(
    db: &Db,
    token_hash: &str,
    now: DbTime,
) -> Result<Option<(String, String)>, sqlx::Error> {
    on_pool!(db.reads(), pool => sqlx::query_as::<_, (String, String)>(
        "select o.id, o.email from owner_sessions s join owners o on o.id = s.owner_id \
         where s.token_hash = $1 and s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await)
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query("delete from owner_sessions where token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ()))
}

/// Deletes sessions that expired before `now`; answers how many.
pub async fn prune_sessions(db: &Db, now: DbTime) -> Result<u64, sqlx::Error> {
    on_pool!(db.writes(), pool => sqlx::query("delete from owner_sessions where expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
}
