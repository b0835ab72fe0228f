//! The database: which one (`DATABASE_URL`) and how large its pool may grow.

use app::ssr::db::{DbTarget, PoolSizing};

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Optional, Parse, Var},
};

pub const DATABASE_URL: Var<DatabaseUrl, Optional> = Var {
    name: "DATABASE_URL",
    meaning: "postgres://… for PostgreSQL; sqlite://path for another SQLite file",
    unset: Optional("SQLite file `data/handoff.sqlite3`"),
    parser: DatabaseUrl,
};

pub const DATABASE_MAX_CONNECTIONS: Var<Number<u32>, DefaultsTo> = Var {
    name: "DATABASE_MAX_CONNECTIONS",
    meaning: "largest database pool size",
    unset: DefaultsTo("16"),
    parser: Number { range: 1..=500 },
};

/// A `postgres://…` or `sqlite://…` URL.
pub struct DatabaseUrl;

impl Parse for DatabaseUrl {
    type Output = DbTarget;

    fn parse(&self, text: &str) -> Result<DbTarget, String> {
        DbTarget::parse(Some(text)).map_err(|e| e.to_string())
    }
}

/// The database alone, for commands that need nothing else (e.g. `server create-owner`).
pub fn database_target(source: &Source) -> Result<(DbTarget, PoolSizing), ConfigError> {
    let database = DATABASE_URL
        .read(source)?
        .unwrap_or_else(DbTarget::default_sqlite);
    let pool = PoolSizing {
        max_connections: DATABASE_MAX_CONNECTIONS.read(source)?,
        ..PoolSizing::default()
    };
    Ok((database, pool))
}
