//! Signatures are checked before anything is read; a refused delivery changes no lead.

use app::ssr::calcom::{payloads, signature::sign};
use reqwest::StatusCode;

use super::{at, booking, count, lead_booking, post_with, seed_lead};
use crate::on_both_backends;
use crate::support::{app::WEBHOOK_SECRET, spawn_app, spawn_app_with, Backend};

on_both_backends!(
    only_a_correct_signature_is_accepted,
    every_configured_secret_is_accepted_during_a_rotation,
    an_empty_body_is_refused_unsigned_and_malformed_signed,
);

async fn only_a_correct_signature_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let lead = seed_lead(&app.state.db).await;
    let body = payloads::booking_created(
        &booking(&lead, "uidSig1", "2026-10-01T09:00:00Z"),
        at("2026-09-20T10:00:00Z"),
    );
    let good = sign(WEBHOOK_SECRET, body.as_bytes());
    let mut flipped = good.clone().into_bytes();
    flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
    let flipped = String::from_utf8(flipped).expect("ascii");

    for (label, signature) in [
        (
            "wrong secret",
            Some(sign("not-the-secret", body.as_bytes())),
        ),
        ("one hex digit flipped", Some(flipped)),
        ("uppercase hex", Some(good.to_uppercase())),
        ("missing header", None),
        ("no-secret-provided", Some("no-secret-provided".to_owned())),
    ] {
        let response = post_with(&app, &body, signature.as_deref()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{label}");
        // One answer for every refusal: it says nothing of what was wrong.
        let problem: serde_json::Value = response.json().await.expect("a JSON problem");
        assert_eq!(
            problem,
            serde_json::json!({
                "error": "bad_signature",
                "message": "the signature is missing or does not match",
            }),
            "{label}"
        );
    }
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "new");
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        0
    );
    assert_eq!(
        app.state.refusals.last_24h(jiff::Timestamp::now()),
        (1, 4),
        "every refused delivery is counted, in memory"
    );
    for table in ["webhook_rejections", "webhook_failures", "review_items"] {
        assert_eq!(
            count(&app.state.db, &format!("select count(*) from {table}")).await,
            0,
            "a refused delivery writes nothing to {table}"
        );
    }

    let response = post_with(&app, &body, Some(&good)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(lead_booking(&app.state.db, &lead).await.stage, "booked");
}

async fn every_configured_secret_is_accepted_during_a_rotation(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[(
            "CAL_WEBHOOK_SECRETS",
            "old-secret-0123456789,new-secret-0123456789",
        )],
        Default::default(),
    )
    .await;
    for (i, secret) in ["old-secret-0123456789", "new-secret-0123456789"]
        .into_iter()
        .enumerate()
    {
        let body = payloads::ping(at(&format!("2026-10-01T09:00:0{i}Z")));
        let response = post_with(&app, &body, Some(&sign(secret, body.as_bytes()))).await;
        assert_eq!(response.status(), StatusCode::OK, "{secret}");
    }
    let body = payloads::ping(at("2026-10-01T09:00:09Z"));
    let response = post_with(&app, &body, Some(&sign("retired-secret", body.as_bytes()))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn an_empty_body_is_refused_unsigned_and_malformed_signed(backend: Backend) {
    let app = spawn_app(backend).await;
    let unsigned = post_with(&app, "", None).await;
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let signed = post_with(&app, "", Some(&sign(WEBHOOK_SECRET, b""))).await;
    assert_eq!(signed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        count(&app.state.db, "select count(*) from booking_events").await,
        0
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("WEBHOOK_MAX_BODY_BYTES", "2048")],
        Default::default(),
    )
    .await;
    let body = format!(
        r#"{{"triggerEvent":"PING","padding":"{}"}}"#,
        "x".repeat(4096)
    );
    let response = post_with(&app, &body, Some(&sign(WEBHOOK_SECRET, body.as_bytes()))).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
