//! The embed script, the booker page, the dashboard.

use calcom_standin::config::{self, Settings};
use serde_json::json;

use crate::support::spawn;

#[tokio::test]
async fn the_embed_script_is_served_byte_for_byte() {
    let standin = spawn().await;
    let response = standin.get("/embed/embed.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/javascript");
    let served = response.bytes().await.expect("body");
    let npm = std::fs::read(config::DEFAULT_EMBED_JS).expect("the npm file");
    assert!(npm.len() > 10_000, "looks like the real file");
    assert_eq!(served.as_ref(), npm.as_slice());
}

#[tokio::test]
async fn the_embed_script_failure_answers_503_until_it_is_cleared() {
    let standin = spawn().await;
    let (status, settings) = standin
        .post(
            "/standin/api/settings",
            json!({ "fail_embed_script": true }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(settings["fail_embed_script"], true);
    assert_eq!(standin.get("/embed/embed.js").await.status(), 503);

    standin
        .post(
            "/standin/api/settings",
            json!({ "fail_embed_script": false }),
        )
        .await;
    assert_eq!(standin.get("/embed/embed.js").await.status(), 200);
}

#[tokio::test]
async fn a_failure_mode_given_at_start_is_on() {
    let standin = crate::support::spawn_with(Settings {
        fail_embed_script: true,
        ..Settings::default()
    })
    .await;
    assert_eq!(standin.get("/embed/embed.js").await.status(), 503);
}

#[tokio::test]
async fn the_booker_page_of_a_known_link_is_frameable_and_prefilled() {
    let standin = spawn().await;
    let response = standin
        .get("/acme/intro/embed?embed=booking&name=Ana+Kova%C4%8D&email=ana%40example.com&notes=%3Cb%3Ehi&metadata%5BsubmissionId%5D=s-1&embedType=inline")
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("x-frame-options").is_none());
    assert!(response.headers().get("content-security-policy").is_none());
    let page = response.text().await.expect("page");
    assert!(page.contains(r#"<script src="/standin/booker.js"></script>"#));
    assert!(page.contains(r#"data-link-known="true""#));
    assert!(page.contains(r#"value="Ana Kovač""#));
    assert!(page.contains(r#"value="ana@example.com""#));
    assert!(page.contains("&lt;b&gt;hi"), "notes are escaped");
    assert_eq!(page.matches(r#"data-testid="slot""#).count(), 9);
    assert!(page.contains(r#"data-testid="confirm""#));
    assert!(page.contains("Confirm booking"));
}

#[tokio::test]
async fn the_top_level_page_is_the_same_booker() {
    let standin = spawn().await;
    let response = standin
        .get("/acme/intro?name=Ana&metadata%5BsubmissionId%5D=s-1")
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("page");
    assert!(page.contains(r#"data-link-known="true""#));
    assert!(page.contains(r#"data-testid="slot""#));
}

#[tokio::test]
async fn a_booked_slot_is_no_longer_offered() {
    let standin = spawn().await;
    let page = standin
        .get("/acme/intro/embed?embed=")
        .await
        .text()
        .await
        .expect("page");
    let first = page
        .split(r#"data-start=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a slot")
        .to_owned();
    standin.book("s-1", json!({ "start": first })).await;
    let page = standin
        .get("/acme/intro/embed?embed=")
        .await
        .text()
        .await
        .expect("page");
    assert!(!page.contains(&first));
}

#[tokio::test]
async fn an_unknown_link_still_answers_200_with_a_page_that_posts_link_failed() {
    let standin = spawn().await;
    let response = standin.get("/nobody/nothing/embed?embed=booking").await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("page");
    assert!(page.contains(r#"data-link-known="false""#));
    assert!(page.contains(r#"<script src="/standin/booker.js"></script>"#));
    assert!(!page.contains(r#"data-testid="slot""#));

    let script = standin.get("/standin/booker.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.headers()["content-type"]
        .to_str()
        .expect("ASCII")
        .starts_with("application/javascript"));
    let script = script.text().await.expect("script");
    for protocol in [
        r#"post("linkFailed", { code: "404", msg: "Problem loading the link", data: { url: document.URL } })"#,
        r#"post("linkReady")"#,
        r#"post("__iframeReady", { isPrerendering: false })"#,
        r#"post("__windowLoadComplete")"#,
        r#"d.method === "parentKnowsIframeReady""#,
        r#"fullType: ns ? `CAL:${ns}:${type}` : `CAL::${type}`"#,
        "window.top !== window",
        r#"main.dataset.linkKnown === "true""#,
        "bookingSuccessful",
        "rescheduleBookingSuccessful",
    ] {
        assert!(script.contains(protocol), "booker.js lacks {protocol}");
    }
    // The listener is registered before the page announces itself.
    let listener = script
        .find(r#"addEventListener("message""#)
        .expect("listener");
    let ready = script.find(r#"post("__iframeReady""#).expect("ready");
    assert!(listener < ready);
}

#[tokio::test]
async fn the_stand_ins_own_paths_are_not_links() {
    let standin = spawn().await;
    for path in ["/standin/nothing", "/favicon.ico", "/embed/other.js"] {
        assert_eq!(standin.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_links_failure_makes_a_known_link_fail() {
    let standin = spawn().await;
    standin
        .post("/standin/api/settings", json!({ "fail_links": true }))
        .await;
    let page = standin
        .get("/acme/intro/embed?embed=booking")
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains(r#"data-link-known="false""#));
}

#[tokio::test]
async fn the_dashboard_lists_bookings_and_its_forms_act_on_them() {
    let standin = spawn().await;
    let uid = standin.book("sub-dash", json!({})).await;
    let page = standin.get("/standin").await.text().await.expect("page");
    assert!(page.contains(&uid));
    assert!(page.contains("sub-dash"));
    assert!(page.contains(r#"value="meeting-started""#));

    let response = standin
        .http
        .post(format!("{}/standin/ui/bookings/{uid}", standin.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("action=cancel&reason=busy&start=")
        .send()
        .await
        .expect("POST");
    // reqwest follows the 303 back to the dashboard.
    assert_eq!(response.url().path(), "/standin");
    let page = response.text().await.expect("page");
    assert!(
        page.contains("cancel ") && page.contains("BOOKING_CANCELLED → 200"),
        "{page}"
    );
    assert_eq!(
        standin.receiver.last().json()["triggerEvent"],
        "BOOKING_CANCELLED"
    );
}
