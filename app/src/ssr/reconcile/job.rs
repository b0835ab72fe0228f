//! The background reconciler: a pass soon after start and then every
//! `CAL_RECONCILE_MINUTES`, by whichever process holds the reconciler's lock (on PostgreSQL an
//! advisory lock, so several server processes run one reconciler between them).

use std::time::Duration;

use crate::ssr::{state::AppState, store::reconcile::ReconcileLock};

use super::pass::{run_pass, PassError, PassReport};

/// The longest the first pass waits after start (sooner with a shorter interval).
const FIRST_PASS_AFTER: Duration = Duration::from_secs(60);

/// Starts the reconciler when an API key is configured.
pub fn spawn_reconciler(state: AppState) {
    let Some(every) = state
        .settings
        .reconcile
        .api
        .as_ref()
        .map(|_| state.settings.reconcile.every)
    else {
        return;
    };
    tokio::spawn(async move {
        tokio::time::sleep(FIRST_PASS_AFTER.min(every)).await;
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            run_if_free(&state).await;
        }
    });
}

/// Runs one pass unless another process is running one.
pub async fn run_if_free(state: &AppState) -> Option<Result<PassReport, PassError>> {
    let lock = match ReconcileLock::try_take(&state.db).await {
        Ok(Some(lock)) => lock,
        Ok(None) => {
            tracing::debug!("another process is reconciling with Cal.com");
            return None;
        }
        Err(error) => {
            tracing::warn!(%error, "cannot take the reconciler's lock");
            return None;
        }
    };
    let result = run_pass(state, None).await;
    lock.release().await;
    crate::ssr::meters::reconcile_pass(if result.is_ok() { "ok" } else { "failed" });
    match &result {
        Ok(report) => {
            tracing::info!(summary = %report.summary(), "reconciled with Cal.com's bookings")
        }
        Err(PassError::Api(error)) => {
            tracing::warn!(%error, "reconciliation with Cal.com failed; the next pass reads again from the same point")
        }
        Err(error) => tracing::warn!(%error, "reconciliation with Cal.com failed"),
    }
    Some(result)
}
