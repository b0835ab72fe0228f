//! Running one SQL text against whichever backend is configured, so a statement that is the
//! same for both is written once and type-checked against each driver.

/// Runs `$body` with `$pool` bound to the backend's pool.
#[macro_export]
macro_rules! on_pool {
    ($pool_ref:expr, $pool:ident => $body:expr) => {
        match $pool_ref {
            $crate::ssr::db::pool::Pool::Sqlite($pool) => $body,
            $crate::ssr::db::pool::Pool::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection, for either backend.
#[macro_export]
macro_rules! in_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::ssr::db::tx::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::ssr::db::tx::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
