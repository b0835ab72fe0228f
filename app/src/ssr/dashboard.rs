//! The dashboard's data, assembled from the SQL in `store::metrics` and `store::leads`: the
//! one code path behind both the page and `GET /api/metrics`.

use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::{
    api::dashboard::{DashboardReport, DataTrust, LostLead, SourceRow, TrendWeek},
    domain::metrics::{compare, MetricsChange, Ratio, Window},
    ssr::{
        state::AppState,
        store::{leads, metrics},
    },
};

/// How many no-shows and cancellations the follow-up list shows.
const RECENT_LOST: i64 = 20;
/// The trend covers at least this many weeks, ending with the window.
const MIN_TREND_WEEKS: i32 = 8;

/// What `GET /api/metrics` answers: the window beside its prior period, per source, and
/// whether the outcome figures can be trusted.
pub struct Numbers {
    pub metrics: MetricsChange,
    pub sources: Vec<SourceRow>,
    pub data_trust: DataTrust,
}

/// The numbers for a window; the three statements behind them run at the same time.
pub async fn numbers(
    app: &AppState,
    window: &Window,
    source: Option<&str>,
) -> Result<Numbers, sqlx::Error> {
    let ((current, prior), sources, data_trust) = tokio::try_join!(
        metrics::for_window_and_prior(&app.db, window, source),
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
pub async fn report(
    app: &AppState,
    window: Window,
    source: Option<String>,
) -> Result<DashboardReport, sqlx::Error> {
    let source_ref = source.as_deref();
    let (numbers, trend, recent_lost) = tokio::try_join!(
        numbers(app, &window, source_ref),
        trend(app, &window, source_ref),
        recent_lost(app, source_ref),
    )?;
    Ok(DashboardReport {
        prior: window.prior(),
        window,
        source,
        metrics: numbers.metrics,
        sources: numbers.sources,
        trend,
        recent_lost,
        data_trust: numbers.data_trust,
    })
}

async fn recent_lost(app: &AppState, source: Option<&str>) -> Result<Vec<LostLead>, sqlx::Error> {
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
    let weeks = ((window.days() + 6) / 7).max(MIN_TREND_WEEKS);
    let first = window
        .to
        .checked_sub((i64::from(weeks) * 7 - 1).days())
        .unwrap_or(window.from);
    let span = Window {
        from: first,
        to: window.to,
    };
    let counts = metrics::weekly(&app.db, &span, source).await?;
    Ok((0..i64::from(weeks))
        .map(|week| {
            let found = counts.iter().find(|c| c.week == week);
            TrendWeek {
                from: first.checked_add((week * 7).days()).unwrap_or(first),
                book_rate: found.and_then(|c| {
                    Ratio {
                        numerator: c.booked,
                        denominator: c.leads,
                    }
                    .value()
                }),
                no_show_rate: found.and_then(|c| {
                    Ratio {
                        numerator: c.no_show,
                        denominator: c.with_outcome,
                    }
                    .value()
                }),
            }
        })
        .collect())
}

async fn data_trust(app: &AppState) -> Result<DataTrust, sqlx::Error> {
    let health = metrics::feed_health(&app.db).await?;
    let stale_hours = app.settings.owners.feed_stale_hours;
    let mut reasons = Vec::new();
    if health.unresolved_failures > 0 {
        reasons.push(format!(
            "{} webhook deliveries could not be applied and are not resolved yet",
            health.unresolved_failures
        ));
    }
    let stale_after = Timestamp::now()
        .checked_sub(SignedDuration::from_hours(i64::from(stale_hours)))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    if health.bookings > 0 {
        match health.last_event_at {
            None => reasons.push("bookings exist but no Cal.com event has ever arrived".into()),
            Some(at) if at.timestamp() < stale_after => reasons.push(format!(
                "no Cal.com event has arrived for more than {stale_hours} hours"
            )),
            Some(_) => {}
        }
    }
    Ok(DataTrust {
        needs_manual_confirm: !reasons.is_empty(),
        reasons,
        unresolved_failures: health.unresolved_failures,
        last_event_at: health.last_event_at.map(|t| t.timestamp().to_string()),
    })
}
