//! The properties every untrusted input must keep, shared by the coverage-guided fuzzer
//! (`fuzz/`, on a nightly compiler), the replay of its committed corpus and the property
//! tests (both on stable, in the test suite): no panic on any bytes, the same answer twice,
//! and the form rules accepting their own cleaned output.

use jiff::Timestamp;

use crate::{
    api::intake::SubmitIntake,
    domain::intake::{validate, IntakeInput},
    ssr::calcom::parse::parse_delivery,
};

/// A webhook body: parsed twice, it reads the same (or is refused the same way).
pub fn check_webhook_body(body: &[u8]) {
    let at = Timestamp::UNIX_EPOCH;
    let first = parse_delivery(body, at).map_err(|e| e.to_string());
    let again = parse_delivery(body, at).map_err(|e| e.to_string());
    assert_eq!(
        format!("{first:?}"),
        format!("{again:?}"),
        "parsing is deterministic"
    );
}

/// A posted intake form: read as the server reads it, then checked by the form rules; what
/// the rules accept, cleaned, they accept again unchanged.
pub fn check_intake_form(body: &[u8]) {
    let Ok(form) = serde_urlencoded::from_bytes::<SubmitIntake>(body) else {
        return;
    };
    let input = form.input();
    if let Ok(valid) = validate(&input) {
        let cleaned = IntakeInput {
            name: valid.name.clone(),
            email: valid.email.clone(),
            company: valid.company.clone().unwrap_or_default(),
            phone: valid.phone.clone().unwrap_or_default(),
            message: valid.message.clone(),
            consent: input.consent,
        };
        assert_eq!(
            validate(&cleaned),
            Ok(valid),
            "cleaned input passes the rules it passed, unchanged"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;

    /// Every file under `fuzz/<dir>/<target>/`: the committed corpus, and any crash the
    /// fuzzer saved (`fuzz/artifacts/`), which stays here as a regression case once fixed.
    fn inputs(dir: &str, target: &str) -> Vec<(String, Vec<u8>)> {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz")
            .join(dir)
            .join(target);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).expect("readable"))
            })
            .collect()
    }

    #[test]
    fn the_committed_corpus_and_saved_crashes_replay_cleanly() {
        let webhook = inputs("corpus", "webhook_body");
        let intake = inputs("corpus", "intake_form");
        assert!(webhook.len() >= 13, "{} webhook seeds", webhook.len());
        assert!(intake.len() >= 4, "{} intake seeds", intake.len());
        for (name, body) in webhook.iter().chain(&inputs("artifacts", "webhook_body")) {
            check_webhook_body(body);
            if name.ends_with(".json") && !name.starts_with("ping") {
                // The real shapes still parse as bookings.
                let parsed = parse_delivery(body, Timestamp::UNIX_EPOCH);
                assert!(parsed.is_ok(), "{name}: {parsed:?}");
            }
        }
        for (_, body) in intake.iter().chain(&inputs("artifacts", "intake_form")) {
            check_intake_form(body);
        }
    }

    /// A JSON value of any shape, a few levels deep.
    fn json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            any::<f64>().prop_map(|n| serde_json::json!(n)),
            ".*".prop_map(serde_json::Value::String),
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?Z"
                .prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 48, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("uid".to_owned()),
                        Just("startTime".to_owned()),
                        Just("endTime".to_owned()),
                        Just("metadata".to_owned()),
                        Just("submissionId".to_owned()),
                        Just("attendees".to_owned()),
                        Just("rescheduleUid".to_owned()),
                        Just("status".to_owned()),
                        "[a-zA-Z]{1,12}",
                    ],
                    inner,
                    0..8
                )
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_bytes_as_a_webhook_body(body in prop::collection::vec(any::<u8>(), 0..2048)) {
            check_webhook_body(&body);
        }

        #[test]
        fn any_json_under_any_trigger_as_a_webhook_body(
            trigger in prop_oneof![
                Just("BOOKING_CREATED"), Just("BOOKING_RESCHEDULED"), Just("BOOKING_CANCELLED"),
                Just("BOOKING_NO_SHOW_UPDATED"), Just("MEETING_ENDED"), Just("PING"), Just("??"),
            ],
            payload in json(),
            created_at in json(),
        ) {
            let body = serde_json::json!({
                "triggerEvent": trigger,
                "createdAt": created_at,
                "payload": payload,
            });
            check_webhook_body(body.to_string().as_bytes());
        }

        #[test]
        fn any_bytes_as_an_intake_form(body in prop::collection::vec(any::<u8>(), 0..1024)) {
            check_intake_form(&body);
        }

        #[test]
        fn any_field_values_as_an_intake_form(
            name in ".{0,120}", email in ".{0,80}", company in ".{0,120}",
            phone in "[+0-9 ()-]{0,24}|.{0,24}", message in ".{0,600}", consent in any::<bool>(),
        ) {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("name", &name)
                .append_pair("email", &email)
                .append_pair("company", &company)
                .append_pair("phone", &phone)
                .append_pair("message", &message);
            if consent {
                form.append_pair("consent", "on");
            }
            check_intake_form(form.finish().as_bytes());
        }
    }
}
