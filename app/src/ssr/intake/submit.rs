//! Taking in a submission: spam checks, the shared validation rules, and storing exactly one
//! lead per submission id. Server functions and the no-JavaScript form handler both call
//! [`submit`], so the two paths cannot drift apart.

use std::net::IpAddr;

use jiff::Timestamp;
use uuid::Uuid;

use crate::{
    domain::{
        attribution::{derive_source, Attribution},
        intake::{validate, FieldError, IntakeInput},
    },
    ssr::{
        db::DbTime,
        intake::{
            capture,
            writer::{AddressLimit, LeadWrite},
        },
        meters,
        state::AppState,
        store::leads,
    },
    wire::intake::IntakeFormState,
};

/// A submission as posted: the visible fields, the hidden ones and the honeypot.
#[derive(Clone, Debug, Default)]
pub struct IntakeSubmission {
    pub submission_id: String,
    pub token: String,
    pub honeypot: String,
    pub input: IntakeInput,
    pub attribution: Attribution,
}

/// Provided as context when the server re-renders a rejected no-JavaScript submission, so the
/// form comes back as it was sent, with its messages.
#[derive(Clone, Debug)]
pub struct IntakeRejection(pub IntakeFormState);

/// Who is submitting, as far as the server can tell.
#[derive(Clone, Debug)]
pub struct ClientContext {
    pub ip: IpAddr,
    pub own_host: Option<String>,
}

/// Why a submission was dropped as spam. Logged, never shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpamReason {
    Honeypot,
    ForgedTicket,
    TooFast,
    RateLimited,
}

impl SpamReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SpamReason::Honeypot => "honeypot",
            SpamReason::ForgedTicket => "forged_ticket",
            SpamReason::TooFast => "too_fast",
            SpamReason::RateLimited => "rate_limited",
        }
    }
}

/// What became of a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// The lead is stored (now, or by an earlier delivery of the same submission id).
    Stored(Uuid),
    /// Dropped as spam; the client gets a quiet, plausible answer.
    Dropped(SpamReason),
    /// A rule was broken; the form goes back with these messages.
    Rejected(Vec<FieldError>),
    /// The form's ticket is older than `INTAKE_TICKET_MAX_AGE_HOURS`: nothing is stored, and
    /// the form goes back with everything typed and this fresh ticket.
    Expired { token: String },
}

/// Runs a submission through every check and stores it at most once.
pub async fn submit(
    state: &AppState,
    client: &ClientContext,
    form: &IntakeSubmission,
    now: Timestamp,
) -> Result<SubmitOutcome, sqlx::Error> {
    if !form.honeypot.trim().is_empty() {
        return Ok(dropped(SpamReason::Honeypot, None));
    }
    let ticket = Uuid::parse_str(form.submission_id.trim())
        .ok()
        .and_then(|id| Some((id, state.ticket_signer.verify(&id, form.token.trim())?)));
    let Some((submission_id, shown_at)) = ticket else {
        return Ok(dropped(SpamReason::ForgedTicket, None));
    };
    let min_fill = state.settings.intake.min_fill;
    let fill_ms = now.as_millisecond() - shown_at.as_millisecond();
    let max_age = state.settings.intake.ticket_max_age;
    if fill_ms > i64::try_from(max_age.as_millis()).unwrap_or(i64::MAX) {
        // Dated back by the minimum fill time: the person has filled the form already, and
        // may send it again at once.
        let renewed_at = now
            .checked_sub(jiff::SignedDuration::try_from(min_fill).unwrap_or_default())
            .unwrap_or(now);
        tracing::info!("intake form sent with an expired ticket: sent back renewed");
        return Ok(SubmitOutcome::Expired {
            token: state.ticket_signer.issue(&submission_id, renewed_at),
        });
    }
    if fill_ms < i64::try_from(min_fill.as_millis()).unwrap_or(i64::MAX) {
        return Ok(dropped(SpamReason::TooFast, Some(submission_id)));
    }
    let valid = match validate(&form.input) {
        Ok(valid) => valid,
        Err(errors) => return Ok(SubmitOutcome::Rejected(errors)),
    };

    let attribution = form.attribution.clone().cleaned();
    let referrer_host = attribution
        .referrer
        .as_deref()
        .and_then(capture::referrer_host);
    let lead = leads::NewLead {
        submission_id: submission_id.as_hyphenated().to_string(),
        name: valid.name,
        email: valid.email,
        company: valid.company,
        phone: valid.phone,
        message: valid.message,
        source: derive_source(
            attribution.utm_source.as_deref(),
            referrer_host.as_deref(),
            client.own_host.as_deref(),
        ),
        utm_source: attribution.utm_source,
        utm_medium: attribution.utm_medium,
        utm_campaign: attribution.utm_campaign,
        referrer: attribution.referrer,
        landing_path: attribution.landing_path,
        created_at: DbTime::new(now),
    };

    // The hit is counted only for a lead this request actually stores, in the same
    // transaction: a replay of a stored submission is answered as before and costs nothing,
    // and a refused one leaves no row behind.
    let per_hour = state.settings.intake.rate_limit_per_hour;
    let limit = (per_hour > 0).then(|| AddressLimit {
        bucket: state.limit_keys.address("intake", client.ip),
        per_hour,
        now,
    });
    match state.lead_writer.store(lead, limit).await? {
        LeadWrite::Stored => Ok(SubmitOutcome::Stored(submission_id)),
        LeadWrite::RateLimited => {
            meters::rate_limited("intake");
            Ok(dropped(SpamReason::RateLimited, Some(submission_id)))
        }
    }
}

fn dropped(reason: SpamReason, submission_id: Option<Uuid>) -> SubmitOutcome {
    tracing::info!(
        reason = reason.as_str(),
        submission_id = submission_id.map(|id| id.to_string()).unwrap_or_default(),
        "intake submission dropped as spam"
    );
    SubmitOutcome::Dropped(reason)
}
