//! The one list of every variable the server reads. The `.env` check, the README's
//! configuration table and `.env.example` are held to it (see the tests).

use super::{
    cal, database, intake, operations, owners, reconcile, review, site, var::Variable, webhook,
};

/// Every variable the server reads. A `.env` file may only set these.
pub static VARIABLES: &[&dyn Variable] = &[
    &database::DATABASE_URL,
    &database::DATABASE_MAX_CONNECTIONS,
    &site::LEPTOS_SITE_ADDR,
    &site::LEPTOS_SITE_ROOT,
    &site::LEPTOS_SITE_PKG_DIR,
    &site::LEPTOS_OUTPUT_NAME,
    &site::LEPTOS_ENV,
    &site::LEPTOS_RELOAD_PORT,
    &webhook::CAL_WEBHOOK_SECRETS,
    &cal::CAL_LINK,
    &cal::CAL_ORIGIN,
    &cal::CAL_EMBED_SCRIPT_URL,
    &cal::CAL_EVENT_TYPES,
    &webhook::WEBHOOK_MAX_BODY_BYTES,
    &webhook::WEBHOOK_MAX_CONCURRENT,
    &webhook::WEBHOOK_FAILURE_QUEUE_MAX_ROWS,
    &webhook::WEBHOOK_FAILURE_QUEUE_MAX_BYTES,
    &webhook::RAW_BODY_RETENTION_DAYS,
    &webhook::WEBHOOK_SPOOL_DIR,
    &webhook::WEBHOOK_SPOOL_MAX_BYTES,
    &intake::INTAKE_MIN_FILL_SECONDS,
    &intake::INTAKE_TICKET_MAX_AGE_HOURS,
    &intake::INTAKE_RATE_LIMIT_PER_HOUR,
    &intake::TRUSTED_PROXY_HOPS,
    &intake::BOOKING_LINK_DAYS,
    &owners::OWNER_EMAIL,
    &owners::OWNER_PASSWORD,
    &owners::SESSION_HOURS,
    &owners::SIGNIN_ATTEMPTS_PER_HOUR,
    &owners::SIGNIN_ADDRESS_ATTEMPTS_PER_HOUR,
    &owners::SIGNIN_ACCOUNT_SLOWDOWN_AFTER,
    &owners::SIGNIN_SLOWDOWN_SECONDS,
    &owners::DATA_TRUST_STALE_HOURS,
    &owners::BUSINESS_TIME_ZONE,
    &review::HELD_EVENT_REVIEW_MINUTES,
    &review::OUTCOME_OVERDUE_HOURS,
    &review::FOLLOW_UP_AFTER_DAYS,
    &reconcile::CAL_API_KEY,
    &reconcile::CAL_API_URL,
    &reconcile::CAL_RECONCILE_MINUTES,
    &reconcile::CAL_RECONCILE_LOOKBACK_DAYS,
    &reconcile::CAL_API_TIMEOUT_SECONDS,
    &site::PUBLIC_URL,
    &operations::REQUEST_TIMEOUT_SECONDS,
    &operations::MAX_CONNECTIONS,
    &operations::HEADER_READ_TIMEOUT_SECONDS,
    &operations::LIVE_STREAMS_PER_OWNER,
    &operations::LIVE_STREAMS_MAX,
    &operations::METRICS_TOKEN,
    &operations::LOG_FORMAT,
    &operations::RUST_LOG,
];

pub(super) fn is_known(name: &str) -> bool {
    VARIABLES.iter().any(|var| var.name() == name)
}

#[cfg(test)]
mod tests;
