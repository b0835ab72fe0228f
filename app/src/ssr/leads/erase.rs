//! Erasing a lead on request: its personal data goes from every table (the lead, its event
//! bodies, the failed deliveries that carry it, copies in review items and the audit trail)
//! in one transaction; its counts stay in the dashboard's numbers; its open review items are
//! resolved by the erasure; the erasure itself is audited without personal data.

use serde_json::Value;

use crate::{
    domain::review::ItemKind,
    error::AppError,
    ssr::{
        auth::Owner,
        booking_page::parse_submission_id,
        db::DbTime,
        error::ServerError,
        state::AppState,
        store::{
            audit::{self, NewEntry},
            leads::erase,
        },
    },
};

/// The fields of a stored event that hold what the person wrote or who they are.
const PERSONAL_EVENT_FIELDS: [&str; 4] = [
    "attendee_name",
    "attendee_email",
    "location",
    "cancellation_reason",
];

/// The stored event with its personal fields set to null (other stored shapes, e.g. a
/// ping's, are left as they are).
pub fn anonymised_event(json: &str) -> Result<String, ServerError> {
    let mut value: Value =
        serde_json::from_str(json).map_err(|e| ServerError::corrupt("webhook event", e))?;
    if let Value::Object(fields) = &mut value {
        for field in PERSONAL_EVENT_FIELDS {
            if let Some(slot) = fields.get_mut(field) {
                *slot = Value::Null;
            }
        }
    }
    serde_json::to_string(&value).map_err(|e| ServerError::encode("webhook event", e))
}

/// Whether the request confirms the erasure: `confirm=yes` (or `ERASE`, as the page's field
/// asks to be typed).
pub fn confirmed(confirm: Option<&str>) -> bool {
    confirm
        .map(str::trim)
        .is_some_and(|c| c.eq_ignore_ascii_case("yes") || c == "ERASE")
}

/// What an erasure did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Erased {
    pub submission_id: String,
    pub erased_at: String,
    /// `false` when the lead had been erased before (nothing changed).
    pub erased_now: bool,
    pub events_anonymised: usize,
    pub failures_blanked: usize,
    pub review_items_resolved: Vec<String>,
}

/// Erases lead `submission_id` for `owner`, once the request is `confirmed`.
pub async fn erase_lead(
    state: &AppState,
    owner: &Owner,
    submission_id: &str,
    confirmed: bool,
) -> Result<Erased, AppError> {
    if !confirmed {
        return Err(AppError::Unprocessable(
            "erasing cannot be undone: confirm it with confirm=yes".into(),
        ));
    }
    let id = parse_submission_id(submission_id).ok_or(AppError::NotFound)?;
    let now = DbTime::now();
    let mut tx = state.db.begin().await?;
    let personal = erase::lock_in(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(at) = personal.erased_at {
        return Ok(Erased {
            submission_id: id,
            erased_at: at.timestamp().to_string(),
            erased_now: false,
            events_anonymised: 0,
            failures_blanked: 0,
            review_items_resolved: Vec::new(),
        });
    }
    let events = erase::events_in(&mut tx, &id, &personal.email).await?;
    let mut item_ids = Vec::new();
    for (event_id, json) in &events {
        erase::rewrite_event_in(&mut tx, *event_id, &anonymised_event(json)?).await?;
        erase::drop_body_in(&mut tx, *event_id).await?;
        item_ids.push(ItemKind::HeldEvent.item_id(&event_id.to_string()));
    }
    let failures = erase::failures_in(&mut tx, &id, &personal.email).await?;
    for failure in &failures {
        erase::blank_failure_in(&mut tx, *failure, now).await?;
        item_ids.push(ItemKind::FailedDelivery.item_id(&failure.to_string()));
    }
    erase::scrub_copies_in(&mut tx, &id, &item_ids, &personal.texts()).await?;
    erase::blank_lead_in(&mut tx, &id, now).await?;
    let resolved = erase::resolve_items_in(&mut tx, &id, &item_ids, now, &owner.email).await?;
    let entry = NewEntry {
        at: now,
        owner_id: &owner.id,
        owner_email: &owner.email,
        action: "erase",
        item_id: None,
        submission_id: Some(&id),
        stage_before: Some(personal.stage),
        stage_after: Some(personal.stage),
        detail: Some("erased"),
    };
    audit::record_in(&mut tx, &entry).await?;
    tx.commit().await?;
    tracing::info!(submission_id = %id, "lead erased");
    state.changes.notify();
    Ok(Erased {
        submission_id: id,
        erased_at: now.timestamp().to_string(),
        erased_now: true,
        events_anonymised: events.len(),
        failures_blanked: failures.len(),
        review_items_resolved: resolved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anonymised_event_keeps_everything_but_the_person() {
        let json = r#"{"trigger":"BOOKING_CREATED","kind":"created","attendee_name":"Ana",
            "attendee_email":"ana@example.com","location":"+385 91 234 5678","start":"x"}"#;
        let out: Value = serde_json::from_str(&anonymised_event(json).unwrap()).unwrap();
        assert_eq!(out["attendee_name"], Value::Null);
        assert_eq!(out["attendee_email"], Value::Null);
        assert_eq!(out["location"], Value::Null);
        assert_eq!(out["trigger"], "BOOKING_CREATED");
        assert_eq!(out["start"], "x");
        assert_eq!(anonymised_event("\"PING\"").unwrap(), "\"PING\"");
    }

    #[test]
    fn only_an_explicit_yes_confirms() {
        assert!(confirmed(Some("yes")));
        assert!(confirmed(Some("ERASE")));
        assert!(!confirmed(Some("no")));
        assert!(!confirmed(Some("")));
        assert!(!confirmed(None));
    }
}
