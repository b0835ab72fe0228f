//! The dashboard's data, assembled from the SQL in `store::metrics` and `store::leads`: the
//! one code path behind both the page and `GET /api/metrics`. Owners asking for the same
//! view at once share its computation (`ssr::flights`).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

pub mod shared;

pub use shared::Numbers;

use crate::{
    domain::local_time::{owner_time, zone_name},
    domain::metrics::{assess_feed, compare, reconcile_reason, trend_weeks, Ratio, Window},
    error::AppError,
    ssr::{
        db::DbTime,
        state::AppState,
        store::{leads, metrics, reconcile},
    },
    wire::dashboard::{
        DashboardReport, DataTrust, LostLead, Reconciled, SourceRow, TrendWeek, WaitingDeliveries,
    },
};

/// How many no-shows and cancellations the follow-up list shows.
pub const RECENT_LOST: i64 = 20;

/// The numbers for a window, computed after this call, shared with the owners asking for the
/// same at the same time.
pub async fn numbers(
    app: &AppState,
    window: Window,
    source: Option<String>,
) -> Result<Arc<Numbers>, AppError> {
    let state = app.clone();
    let view = (window, source.clone());
    app.dashboard_flights
        .numbers
        .run(
            view,
            move || async move { Ok(count_numbers(&state, &window, source.as_deref()).await?) },
            AppError::Internal,
        )
        .await
}

/// The whole page for a window, computed after this call, shared like [`numbers`].
pub async fn report(
    app: &AppState,
    window: Window,
    source: Option<String>,
) -> Result<DashboardReport, AppError> {
    let state = app.clone();
    let view = (window, source.clone());
    let shared = app
        .dashboard_flights
        .reports
        .run(
            view,
            move || async move { Ok(build_report(&state, window, source).await?) },
            AppError::Internal,
        )
        .await?;
    Ok(Arc::unwrap_or_clone(shared))
}

/// The numbers for a window; the statements behind them run at the same time.
async fn count_numbers(
    app: &AppState,
    window: &Window,
    source: Option<&str>,
) -> Result<Numbers, sqlx::Error> {
    let zone = &app.settings.owners.time_zone;
    let ((current, prior), sources, data_trust) = tokio::try_join!(
        metrics::for_window_and_prior(&app.db, &app.percentiles, window, zone, source),
        metrics::by_source(&app.db, window),
        data_trust(app),
    )?;
    let sources = sources
        .into_iter()
        .map(|row| SourceRow {
            book_rate: Ratio {
                numerator: row.booked,
                denominator: row.leads,
            }
            .value(),
            no_show_rate: Ratio {
                numerator: row.no_show,
                denominator: row.with_outcome,
            }
            .value(),
            source: row.source,
            leads: row.leads,
            booked: row.booked,
        })
        .collect();
    Ok(Numbers {
        metrics: compare(&current, &prior),
        sources,
        data_trust,
    })
}

/// The whole page: the numbers, the weekly trend and the latest no-shows and cancellations.
async fn build_report(
    app: &AppState,
    window: Window,
    source: Option<String>,
) -> Result<DashboardReport, sqlx::Error> {
    let source_ref = source.as_deref();
    let (numbers, trend, recent_lost) = tokio::try_join!(
        count_numbers(app, &window, source_ref),
        trend(app, &window, source_ref),
        recent_lost(app, source_ref),
    )?;
    Ok(DashboardReport {
        prior: window.prior(),
        window,
        source,
        time_zone: zone_name(&app.settings.owners.time_zone),
        metrics: numbers.metrics,
        sources: numbers.sources,
        trend,
        recent_lost,
        data_trust: numbers.data_trust,
    })
}

async fn recent_lost(app: &AppState, source: Option<&str>) -> Result<Vec<LostLead>, sqlx::Error> {
    let zone = &app.settings.owners.time_zone;
    Ok(leads::recent_lost(&app.db, source, RECENT_LOST)
        .await?
        .into_iter()
        .map(|row| LostLead {
            submission_id: row.submission_id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            source: row.source,
            stage: row.stage,
            booking_start: row.booking_start.map(|t| t.timestamp().to_string()),
            booking_start_local: row.booking_start.map(|t| owner_time(t.timestamp(), zone)),
            cancellation_reason: row.cancellation_reason,
        })
        .collect())
}

/// Week by week, whole weeks ending with the window's last day.
async fn trend(
    app: &AppState,
    window: &Window,
    source: Option<&str>,
) -> Result<Vec<TrendWeek>, sqlx::Error> {
    let weeks = trend_weeks(window);
    let first = weeks.first().copied().unwrap_or(window.from);
    let counts = metrics::weekly(&app.db, first, weeks.len(), source).await?;
    Ok(weeks
        .into_iter()
        .zip(counts)
        .map(|(from, c)| TrendWeek {
            from,
            book_rate: Ratio {
                numerator: c.booked,
                denominator: c.leads,
            }
            .value(),
            no_show_rate: Ratio {
                numerator: c.no_show,
                denominator: c.with_outcome,
            }
            .value(),
        })
        .collect())
}

async fn data_trust(app: &AppState) -> Result<DataTrust, sqlx::Error> {
    let health = metrics::feed_health(&app.db, DbTime::now()).await?;
    let verdict = assess_feed(
        &health,
        Timestamp::now(),
        app.settings.owners.feed_stale_hours,
    );
    let waiting_deliveries = match app.spool.waiting().await {
        Ok((0, _)) => None,
        Ok((count, since)) => Some(WaitingDeliveries {
            count,
            since: since.map(|t| t.to_string()),
            since_local: since.map(|t| owner_time(t, &app.settings.owners.time_zone)),
        }),
        Err(error) => {
            tracing::warn!(%error, "cannot read the webhook spool");
            None
        }
    };
    let mut reasons = verdict.reasons;
    let reconciled = match &app.settings.reconcile.api {
        None => None,
        Some(_) => {
            let status = reconcile::status(&app.db).await?;
            let every = SignedDuration::try_from(app.settings.reconcile.every)
                .unwrap_or(SignedDuration::from_mins(15));
            reasons.extend(reconcile_reason(
                status.failing_since.map(DbTime::timestamp),
                status.last_error.as_deref(),
                Timestamp::now(),
                every,
            ));
            Some(Reconciled {
                last_success_at: status.last_success_at.map(|t| t.timestamp().to_string()),
                last_success_at_local: status
                    .last_success_at
                    .map(|t| owner_time(t.timestamp(), &app.settings.owners.time_zone)),
                failing: status.failing_since.and(status.last_error),
            })
        }
    };
    Ok(DataTrust {
        waiting_deliveries,
        reconciled,
        needs_manual_confirm: !reasons.is_empty(),
        reasons,
        unresolved_failures: health.open_failures,
        held_events: health.open_held,
        overdue_outcomes: health.open_overdue,
        last_event_at: health.last_event_at.map(|t| t.to_string()),
    })
}
