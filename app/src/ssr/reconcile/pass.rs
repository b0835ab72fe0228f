//! One pass: read the bookings Cal.com created, updated or ended since the watermark (less an
//! overlap), settle each against its lead, and move the watermark on only when every page was
//! read. A crash mid-pass leaves the watermark where it was, so the next pass reads again; what
//! was applied meanwhile is in the log under keys a second application finds.

use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};

use crate::{
    domain::{
        booking::BookingEvent,
        reconcile::{repair_key, ApiBooking},
    },
    ssr::{
        calcom::api::{ApiError, BookingsApi, BookingsQuery, Listed},
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::{
            events::{read_for_apply, EventSource},
            reconcile as store,
            review::sweep,
        },
        webhooks::{apply_with_lead, Origin, Receipt},
    },
};

use super::{
    raise::{raise_mismatch, raise_unlinked},
    read::Read,
};

/// How far before the watermark a pass reads again: bookings Cal.com changed while the last
/// pass paged, and clocks that disagree a little.
pub const OVERLAP: SignedDuration = SignedDuration::from_mins(10);
/// How long before the window a booking may start and still end inside it.
const LONGEST_SLOT: SignedDuration = SignedDuration::from_hours(24);

#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error("reconciliation is off: CAL_API_KEY is not set")]
    Off,
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl From<sqlx::Error> for PassError {
    fn from(error: sqlx::Error) -> Self {
        PassError::Server(error.into())
    }
}

/// What a pass read and changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Bookings created, updated or ending after this were read.
    pub since: Option<Timestamp>,
    pub bookings: usize,
    /// Each event applied, as `<submission id>: <trigger> for booking <uid>`.
    pub applied: Vec<String>,
    /// Bookings of the form's event types that match no lead, newly raised for review.
    pub unlinked: usize,
    /// Differences left to an owner, newly raised for review.
    pub mismatches: usize,
    /// Bookings of other event types that match no lead.
    pub other_event_types: usize,
    /// Listed items that could not be read.
    pub unreadable: usize,
    /// Calls made to Cal.com's API, and how many of them it answered 429.
    pub calls: u32,
    pub rate_limited: u32,
    /// How long those made the pass wait, in whole seconds.
    pub waited_seconds: u64,
}

impl PassReport {
    /// The pass in one line.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} bookings read in {} API calls: {} events applied, {} bookings without a lead, \
             {} differences for review",
            self.bookings,
            self.calls,
            self.applied.len(),
            self.unlinked,
            self.mismatches
        );
        if self.rate_limited > 0 {
            let _ = write!(
                line,
                ", {} calls waited out the rate limit ({} s)",
                self.rate_limited, self.waited_seconds
            );
        }
        if self.unreadable > 0 {
            let _ = write!(line, ", {} items unreadable", self.unreadable);
        }
        line
    }
}

/// Runs one pass; `since` overrides the watermark. The outcome is recorded for the
/// dashboard (a failure keeps the watermark, so nothing is skipped).
pub async fn run_pass(state: &AppState, since: Option<Timestamp>) -> Result<PassReport, PassError> {
    let settings = &state.settings.reconcile;
    let api_settings = settings.api.as_ref().ok_or(PassError::Off)?;
    let api = BookingsApi::new(
        &api_settings.url,
        api_settings.key.clone(),
        settings.call_timeout,
    )?;
    let pass_at = Timestamp::now();
    let result = pass(state, &api, since, pass_at).await;
    match &result {
        Ok(report) => {
            store::record_success(
                &state.db,
                DbTime::new(pass_at),
                DbTime::new(pass_at),
                &report.summary(),
            )
            .await?;
        }
        Err(error) => {
            if let Err(db) =
                store::record_failure(&state.db, DbTime::new(pass_at), &error.to_string()).await
            {
                tracing::warn!(error = %db, "cannot record the failed reconciliation pass");
            }
        }
    }
    result
}

async fn pass(
    state: &AppState,
    api: &BookingsApi,
    since: Option<Timestamp>,
    pass_at: Timestamp,
) -> Result<PassReport, PassError> {
    let since = match since {
        Some(since) => since,
        None => match store::status(&state.db).await?.watermark {
            Some(watermark) => watermark.timestamp() - OVERLAP,
            None => {
                let days = i64::from(state.settings.reconcile.lookback_days);
                pass_at - SignedDuration::from_hours(24 * days)
            }
        },
    };
    let mut read = Read::default();
    read.all_pages(
        api,
        BookingsQuery {
            after_updated_at: Some(since),
            ..BookingsQuery::default()
        },
    )
    .await?;
    // Cal.com may leave `updatedAt` empty on a booking never updated.
    read.all_pages(
        api,
        BookingsQuery {
            after_created_at: Some(since),
            ..BookingsQuery::default()
        },
    )
    .await?;
    // A no-show mark may not move `updatedAt`: slots that ended since are read again.
    read.all_pages(
        api,
        BookingsQuery {
            after_start: Some(since - LONGEST_SLOT),
            before_end: Some(pass_at),
            ..BookingsQuery::default()
        },
    )
    .await?;

    let mut report = PassReport {
        since: Some(since),
        bookings: read.bookings.len(),
        unreadable: read.unreadable.len(),
        calls: read.calls,
        rate_limited: read.rate_limited,
        waited_seconds: read.waited.as_secs(),
        ..PassReport::default()
    };
    for why in &read.unreadable {
        tracing::warn!(%why, "a booking Cal.com listed cannot be read");
    }
    // A booking before the ones rescheduled from it, so each finds its lead through the last.
    let mut listed: Vec<Listed> = read.bookings.into_values().collect();
    listed.sort_by(|a, b| {
        (a.booking.created_at, &a.booking.uid).cmp(&(b.booking.created_at, &b.booking.uid))
    });
    for booking in &listed {
        settle(state, booking, pass_at, &mut report).await?;
    }
    sweep::cleared(&state.db, DbTime::now()).await?;
    if !report.applied.is_empty() || report.unlinked > 0 || report.mismatches > 0 {
        state.changes.notify();
    }
    Ok(report)
}

/// Settles one booking against its lead.
async fn settle(
    state: &AppState,
    listed: &Listed,
    pass_at: Timestamp,
    report: &mut PassReport,
) -> Result<(), ServerError> {
    let booking = &listed.booking;
    let uids = [
        Some(booking.uid.as_str()),
        booking.rescheduled_from_uid.as_deref(),
        booking.rescheduled_to_uid.as_deref(),
    ];
    match store::lead_for_booking(&state.db, booking.submission_id.as_deref(), uids).await? {
        // An erased lead gets no personal data back, not even in the review queue.
        Some((_, true)) => Ok(()),
        Some((lead, false)) => {
            let outcome = apply_to_lead(state, booking, &lead, pass_at).await?;
            report.applied.extend(outcome.applied);
            match outcome.mismatch {
                Some(why) => {
                    if raise_mismatch(state, listed, &lead, &why).await? {
                        report.mismatches += 1;
                    }
                }
                None => {
                    sweep::agreed_with_calcom(&state.db, &booking.uid, DbTime::now()).await?;
                }
            }
            Ok(())
        }
        None if state
            .settings
            .cal
            .is_other_event_type(booking.event_type.as_deref(), booking.event_type_id) =>
        {
            report.other_event_types += 1;
            Ok(())
        }
        None => {
            if raise_unlinked(state, listed).await? {
                report.unlinked += 1;
            }
            Ok(())
        }
    }
}

/// What settling a booking against a lead did.
#[derive(Debug, Default)]
pub struct Settled {
    pub applied: Vec<String>,
    pub mismatch: Option<String>,
}

/// Applies what the lead's log lacks of `booking` (as Cal.com's, source `reconcile`) at
/// `pass_at`; also how an owner's link of a booking without a lead applies it.
pub async fn apply_to_lead(
    state: &AppState,
    booking: &ApiBooking,
    lead: &str,
    pass_at: Timestamp,
) -> Result<Settled, ServerError> {
    let context = read_for_apply(&state.db, None, Some(lead), None, [None, None]).await?;
    let Some(found) = context.lead else {
        return Ok(Settled::default());
    };
    let repair = booking.repair(&found.history, pass_at);
    let mut settled = Settled {
        mismatch: repair.mismatch,
        ..Settled::default()
    };
    for event in repair.apply {
        if let Some(line) = apply_one(state, event, lead).await? {
            settled.applied.push(line);
        }
    }
    Ok(settled)
}

/// Applies Cal.com's state of `booking` to `lead` at `at`, whatever the log says (an owner's
/// "take Cal.com's state"); answers whether an event was applied.
pub async fn take_state(
    state: &AppState,
    booking: &ApiBooking,
    lead: &str,
    at: Timestamp,
) -> Result<bool, ServerError> {
    let context = read_for_apply(&state.db, None, Some(lead), None, [None, None]).await?;
    let Some(found) = context.lead else {
        return Ok(false);
    };
    match booking.take_state(&found.history, at) {
        Some(event) => Ok(apply_one(state, event, lead).await?.is_some()),
        None => Ok(false),
    }
}

async fn apply_one(
    state: &AppState,
    mut event: BookingEvent,
    lead: &str,
) -> Result<Option<String>, ServerError> {
    event.submission_id = Some(lead.to_owned());
    let key = repair_key(&event);
    let origin = Origin {
        key: &key,
        source: EventSource::Reconcile,
        raw_body: None,
    };
    let receipt = apply_with_lead(state, origin, &event, DbTime::now()).await?;
    let uid = event.booking_uid.as_deref().unwrap_or("?");
    Ok(match receipt {
        Receipt::Applied { trigger } => {
            tracing::info!(%trigger, booking_uid = uid, "reconciliation applied an event Cal.com's webhooks did not bring");
            Some(format!("{lead}: {trigger} for booking {uid}"))
        }
        _ => None,
    })
}
