//! Parsing stored deliveries again (after a parser fix): every webhook event that still has
//! its bytes is parsed as a live delivery would be now; where the result differs from what was
//! stored, the event row is rewritten and its lead re-projected from its whole history.
//! Running it twice changes nothing the second time.

use std::collections::BTreeSet;

use crate::ssr::{
    calcom::parse::{parse_delivery, Delivery},
    db::DbTime,
    error::ServerError,
    state::AppState,
    store::events::{
        bodies::{self, Reparsed},
        decode_event,
    },
    webhooks::settle::replan_lead,
};

/// What a pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reprocessed {
    /// Events with a stored body that were parsed again.
    pub parsed: u64,
    /// Events whose stored parse changed.
    pub rewritten: u64,
    /// Bodies the parser now refuses (left as they were, and logged).
    pub refused: u64,
    /// Leads re-projected because one of their events changed.
    pub leads: u64,
}

/// Parses again every webhook event received at or after `since` that has its body.
pub async fn reprocess(state: &AppState, since: DbTime) -> Result<Reprocessed, ServerError> {
    const PAGE: i64 = 500;
    let mut done = Reprocessed::default();
    let mut leads = BTreeSet::new();
    let mut after = 0;
    loop {
        let page = bodies::page_since(&state.db, since, after, PAGE).await?;
        for stored in &page {
            after = stored.event_id;
            done.parsed += 1;
            let mut event = match parse_delivery(&stored.body, stored.received_at.timestamp()) {
                Ok(Delivery::Booking(event)) => *event,
                // Pings and other triggers carry nothing a lead is projected from.
                Ok(_) => continue,
                Err(refused) => {
                    tracing::warn!(event_id = stored.event_id, %refused, "a stored body no longer parses; left as it was");
                    done.refused += 1;
                    continue;
                }
            };
            // The lead an event was applied to stays its lead: an owner may have linked it.
            if stored.submission_id.is_some() {
                let before = decode_event(&stored.event)?;
                event.submission_id = before.submission_id.or(event.submission_id);
            }
            let json = serde_json::to_string(&event)
                .map_err(|e| ServerError::encode("webhook event", e))?;
            let parsed = Reparsed {
                trigger: &event.trigger,
                booking_uid: event.booking_uid.as_deref(),
                link_uid: event.link_uid(),
                event_at: DbTime::new(event.at),
                json: &json,
            };
            if bodies::rewrite_parsed(&state.db, stored.event_id, &parsed).await? {
                done.rewritten += 1;
                if let Some(lead) = &stored.submission_id {
                    leads.insert((lead.clone(), event.booking_uid, event.rescheduled_from));
                }
            }
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    let mut replanned = BTreeSet::new();
    for (lead, uid, from) in &leads {
        if replan_lead(state, lead, [uid.as_deref(), from.as_deref()])
            .await?
            .is_some()
        {
            replanned.insert(lead.clone());
        }
    }
    done.leads = replanned.len() as u64;
    if done.rewritten > 0 {
        state.changes.notify();
    }
    Ok(done)
}
