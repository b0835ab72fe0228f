//! Booking as if Cal.com had lost the embed's metadata: from the API, the booker page and the
//! CLI, the booking and every webhook for it carry no submission id, as the app's review queue
//! must then handle.

use serde_json::json;

use crate::{
    cli::{answer, run},
    support::spawn,
    webhooks::parsed,
};

#[tokio::test]
async fn a_booking_that_loses_its_metadata_sends_no_submission_id() {
    let standin = spawn().await;
    let uid = standin
        .book("sub-lost-1", json!({ "loseMetadata": true }))
        .await;
    let created = standin.receiver.last();
    let body = created.json();
    assert_eq!(body["triggerEvent"], "BOOKING_CREATED");
    assert!(
        body["payload"]["metadata"].get("submissionId").is_none(),
        "{body}"
    );
    assert_eq!(parsed(&created).submission_id, None);
    assert_eq!(
        parsed(&created).attendee_email.as_deref(),
        Some("ana.kovac@example.com"),
        "the attendee is still there to find the lead by"
    );

    let shown = standin
        .get_json(&format!("/standin/api/bookings/{uid}"))
        .await;
    assert!(
        shown["booking"]["metadata"].get("submissionId").is_none(),
        "{shown}"
    );
    // What follows for that booking has none either.
    let (status, _) = standin
        .act(&uid, "cancel", json!({ "reason": "Busy" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(parsed(&standin.receiver.last()).submission_id, None);
}

#[tokio::test]
async fn without_the_switch_the_metadata_is_kept() {
    let standin = spawn().await;
    standin
        .book("sub-kept-1", json!({ "loseMetadata": false }))
        .await;
    assert_eq!(
        parsed(&standin.receiver.last()).submission_id.as_deref(),
        Some("sub-kept-1")
    );
}

#[tokio::test]
async fn the_booker_page_offers_the_switch_and_sends_it() {
    let standin = spawn().await;
    let page = standin
        .get("/acme/intro/embed?embed=booking&metadata%5BsubmissionId%5D=s-1")
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains(
            r#"<input type="checkbox" name="lose_metadata" data-testid="lose-metadata">"#
        ),
        "{page}"
    );
    let script = standin
        .get("/standin/booker.js")
        .await
        .text()
        .await
        .expect("script");
    assert!(script.contains("loseMetadata: form.elements.lose_metadata.checked"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_books_without_metadata_when_asked() {
    let standin = spawn().await;
    answer(
        &run(
            &standin.url,
            &[
                "book",
                "--name",
                "Ana Kovač",
                "--email",
                "ana@example.com",
                "--submission-id",
                "sub-cli-lost",
                "--lose-metadata",
            ],
        )
        .await,
    );
    assert_eq!(parsed(&standin.receiver.last()).submission_id, None);
}
