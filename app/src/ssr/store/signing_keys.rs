//! Signing keys kept in the database: made once, on the first start, and then shared by every
//! server process and kept across restarts, so nothing signed by one process is refused by
//! another. A key can be rotated: the one it replaces is kept beside it, with the time.

use rand::RngCore;

use crate::ssr::{
    db::{on_pool, Db, DbTime},
    error::ServerError,
};

/// The 32-byte key called `name`, made and stored if it does not exist yet. Concurrent first
/// starts agree on one key: the insert keeps the first and everyone reads that one back.
pub async fn get_or_create(db: &Db, name: &str) -> Result<[u8; 32], ServerError> {
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into signing_keys (name, key_hex, created_at) values ($1, $2, $3) \
         on conflict (name) do nothing",
    )
    .bind(name)
    .bind(hex::encode(fresh))
    .bind(DbTime::now())
    .execute(pool)
    .await
    .map(|_| ()))?;
    let stored: String = on_pool!(db.writes(), pool => sqlx::query_scalar(
        "select key_hex from signing_keys where name = $1",
    )
    .bind(name)
    .fetch_one(pool)
    .await)?;
    decode(&stored)
}

/// A key and the one it replaced, with when that happened.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct StoredKeys {
    pub current: [u8; 32],
    pub previous: Option<([u8; 32], DbTime)>,
}

/// The keys called `name` (made first when missing).
pub async fn get_with_previous(db: &Db, name: &str) -> Result<StoredKeys, ServerError> {
    let current = get_or_create(db, name).await?;
    let row: (Option<String>, Option<DbTime>) = on_pool!(db.writes(), pool => sqlx::query_as(
        "select previous_key_hex, rotated_at from signing_keys where name = $1",
    )
    .bind(name)
    .fetch_one(pool)
    .await)?;
    let previous = match row {
        (Some(hex_key), Some(rotated_at)) => Some((decode(&hex_key)?, rotated_at)),
        _ => None,
    };
    Ok(StoredKeys { current, previous })
}

/// Makes a new key for `name`; the old one becomes its previous key, as of `at`.
pub async fn rotate(db: &Db, name: &str, at: DbTime) -> Result<(), ServerError> {
    get_or_create(db, name).await?;
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    on_pool!(db.writes(), pool => sqlx::query(
        "update signing_keys set previous_key_hex = key_hex, key_hex = $2, rotated_at = $3 \
         where name = $1",
    )
    .bind(name)
    .bind(hex::encode(fresh))
    .bind(at)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

fn decode(hex_key: &str) -> Result<[u8; 32], ServerError> {
    let bytes = hex::decode(hex_key).map_err(|e| ServerError::corrupt("signing key", e))?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|e| ServerError::corrupt("signing key", e))
}
