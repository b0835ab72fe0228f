//! Signing keys kept in the database: made once, on the first start, and then shared by every
//! server process and kept across restarts, so nothing signed by one process is refused by
//! another.

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
    let bytes = hex::decode(stored).map_err(|e| ServerError::corrupt("signing key", e))?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|e| ServerError::corrupt("signing key", e))
}
