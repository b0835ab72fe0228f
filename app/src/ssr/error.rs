//! Faults of the server itself: a database that fails, a stored row that cannot be read, a
//! write that keeps losing a race. They are logged with their detail where they turn into an
//! [`AppError`], and the client is told only that it may try again (the database) or that
//! something went wrong on our side (anything else).

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A row the app wrote earlier no longer reads as what it wrote.
    #[error("a stored {what} cannot be read: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// An optimistic write lost to concurrent writes more often than they can explain.
    #[error("{what} kept changing while it was written ({attempts} attempts)")]
    KeptChanging { what: &'static str, attempts: usize },
    #[error("cannot encode {what}: {detail}")]
    Encode { what: &'static str, detail: String },
    /// The webhook spool's directory cannot be read or written.
    #[error("spool: {0}")]
    Spool(String),
    /// Something every request handler provides is missing: a wiring mistake.
    #[error("{0} is missing from the request context")]
    MissingContext(&'static str),
}

impl ServerError {
    pub fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> Self {
        ServerError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }

    pub fn encode(what: &'static str, detail: impl std::fmt::Display) -> Self {
        ServerError::Encode {
            what,
            detail: detail.to_string(),
        }
    }

    /// Whether the same request may succeed in a moment (the database is down, saturated or
    /// locked), as opposed to a fault that will repeat.
    pub fn is_transient(&self) -> bool {
        match self {
            ServerError::Database(error) => !matches!(
                error,
                sqlx::Error::ColumnDecode { .. }
                    | sqlx::Error::ColumnNotFound(_)
                    | sqlx::Error::ColumnIndexOutOfBounds { .. }
                    | sqlx::Error::TypeNotFound { .. }
                    | sqlx::Error::Decode(_)
                    | sqlx::Error::Encode(_)
            ),
            ServerError::KeptChanging { .. } | ServerError::Spool(_) => true,
            _ => false,
        }
    }
}

impl ServerError {
    /// Whether the database (or the spool) could not take work at all: unreachable, out of
    /// connections, shutting down, locked or busy, out of disk. A delivery that fails this
    /// way is spooled and replayed later; any other fault would repeat on replay, so it is
    /// answered as an error instead.
    pub fn is_unavailable(&self) -> bool {
        match self {
            ServerError::Database(error) => database_unavailable(error),
            ServerError::KeptChanging { .. } | ServerError::Spool(_) => true,
            _ => false,
        }
    }
}

fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some()
            {
                // PostgreSQL's SQLSTATEs: connection exceptions, insufficient resources,
                // operator intervention (shutdown, cannot connect now), serialization and
                // deadlock failures, a lock not available, and a database that does not
                // accept connections.
                ["08", "53", "57P"]
                    .iter()
                    .any(|class| code.starts_with(class))
                    || matches!(code.as_ref(), "40001" | "40P01" | "55P03" | "55000")
            } else {
                // SQLite's extended result codes; the primary code is the low byte: BUSY,
                // LOCKED, IOERR, FULL, CANTOPEN.
                code.parse::<i64>()
                    .is_ok_and(|code| matches!(code & 0xff, 5 | 6 | 10 | 13 | 14))
            }
        }
        _ => false,
    }
}

impl From<ServerError> for AppError {
    fn from(error: ServerError) -> Self {
        tracing::error!(%error, "request failed");
        if matches!(error, ServerError::Database(sqlx::Error::PoolTimedOut)) {
            crate::ssr::meters::pool_timed_out();
        }
        if error.is_transient() {
            AppError::Unavailable
        } else {
            AppError::Internal
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        ServerError::Database(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_cannot_answer_asks_the_client_to_retry() {
        assert_eq!(
            AppError::from(ServerError::Database(sqlx::Error::PoolTimedOut)),
            AppError::Unavailable
        );
        assert_eq!(
            AppError::from(ServerError::Database(sqlx::Error::PoolClosed)),
            AppError::Unavailable
        );
    }

    #[test]
    fn only_a_database_that_cannot_take_work_counts_as_unavailable() {
        for error in [sqlx::Error::PoolTimedOut, sqlx::Error::PoolClosed] {
            assert!(ServerError::Database(error).is_unavailable());
        }
        assert!(!ServerError::Database(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!ServerError::corrupt("webhook event", "expected `{`").is_unavailable());
    }

    #[test]
    fn faults_that_would_repeat_are_internal_and_say_nothing() {
        let error = AppError::from(ServerError::corrupt("webhook event", "expected `{`"));
        assert_eq!(error, AppError::Internal);
        assert!(!error.to_string().contains("expected"));
        assert_eq!(
            AppError::from(ServerError::MissingContext("AppState")),
            AppError::Internal
        );
    }
}
