//! API v2's bookings endpoints: the envelope and booking shape, the key, pages, filters, what
//! reschedules and no-shows show, the rate limit and the 429 and delay switches, and seeding.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::support::{spawn, TestStandin};

const KEY: &str = "cal_test_standin_key";

/// GETs a `/v2` path with `key` (none: no `Authorization`); returns the response.
async fn v2(standin: &TestStandin, path: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = standin
        .http
        .get(format!("{}{path}", standin.url))
        .header("cal-api-version", "2024-08-13");
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.expect("GET")
}

/// GETs a `/v2` path with the right key; returns (status, answer).
async fn v2_json(standin: &TestStandin, path: &str) -> (u16, Value) {
    let response = v2(standin, path, Some(KEY)).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

async fn detail(standin: &TestStandin, uid: &str) -> Value {
    let (status, answer) = v2_json(standin, &format!("/v2/bookings/{uid}")).await;
    assert_eq!(status, 200, "{answer}");
    answer["data"].clone()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn uids(answer: &Value) -> Vec<&str> {
    answer["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|b| b["uid"].as_str().expect("a uid"))
        .collect()
}

async fn seed(standin: &TestStandin, body: Value) {
    let (status, answer) = standin.post("/standin/api/seed", body).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn the_list_has_cal_coms_envelope_and_booking_shape() {
    let standin = spawn().await;
    let uid = standin.book("sub-v2", json!({})).await;
    let response = v2(&standin, "/v2/bookings", Some(KEY)).await;
    assert_eq!(response.status(), 200);
    for header in [
        "x-ratelimit-limit-default",
        "x-ratelimit-remaining-default",
        "x-ratelimit-reset-default",
    ] {
        assert!(response.headers().contains_key(header), "{header}");
    }
    let answer: Value = response.json().await.expect("JSON");
    assert_eq!(answer["status"], "success");
    assert_eq!(
        answer["pagination"],
        json!({"returnedItems": 1, "totalItems": 1, "itemsPerPage": 100, "remainingItems": 0,
               "currentPage": 1, "totalPages": 1, "hasNextPage": false, "hasPreviousPage": false})
    );
    let booking = &answer["data"][0];
    assert_eq!(
        keys(booking),
        [
            "absentHost",
            "attendees",
            "bookingFieldsResponses",
            "cancellationReason",
            "cancelledByEmail",
            "createdAt",
            "description",
            "duration",
            "end",
            "eventType",
            "eventTypeId",
            "guests",
            "hosts",
            "icsUid",
            "id",
            "location",
            "meetingUrl",
            "metadata",
            "rating",
            "rescheduledByEmail",
            "rescheduledFromUid",
            "rescheduledToUid",
            "reschedulingReason",
            "start",
            "status",
            "title",
            "uid",
            "updatedAt",
        ]
    );
    assert_eq!(booking["uid"], uid.as_str());
    assert_eq!(booking["status"], "accepted");
    assert_eq!(booking["metadata"], json!({ "submissionId": "sub-v2" }));
    assert_eq!(booking["duration"], 30);
    assert_eq!(booking["createdAt"], booking["updatedAt"]);
    for time in ["start", "end", "createdAt"] {
        let text = booking[time].as_str().expect("a time");
        assert_eq!(text.len(), "2026-10-01T09:00:00.000Z".len(), "{text}");
        assert!(text.ends_with('Z') && text.as_bytes()[19] == b'.', "{text}");
    }
    assert!(booking["start"]
        .as_str()
        .expect("start")
        .ends_with(":00.000Z"));
    let attendee = &booking["attendees"][0];
    assert_eq!(
        keys(attendee),
        [
            "absent",
            "displayEmail",
            "email",
            "language",
            "name",
            "phoneNumber",
            "timeZone"
        ]
    );
    assert_eq!(attendee["email"], "ana.kovac@example.com");
    assert_eq!(attendee["timeZone"], "Europe/Zagreb");
    assert_eq!(attendee["absent"], false);
    assert_eq!(booking["eventType"], json!({ "id": 1001, "slug": "intro" }));
    assert_eq!(booking["hosts"][0]["username"], "acme");
    assert_eq!(booking["bookingFieldsResponses"]["name"], "Ana Kovač");
    assert_eq!(booking["rescheduledToUid"], Value::Null);
    assert_eq!(booking["meetingUrl"], booking["location"]);
}

#[tokio::test]
async fn one_booking_by_uid_and_an_unknown_uid_is_a_404_envelope() {
    let standin = spawn().await;
    let uid = standin.book("sub-d", json!({})).await;
    assert_eq!(detail(&standin, &uid).await["uid"], uid.as_str());
    let anonymous = v2(&standin, &format!("/v2/bookings/{uid}"), None).await;
    assert_eq!(anonymous.status(), 200, "the key is optional on the detail");
    let wrong = v2(&standin, &format!("/v2/bookings/{uid}"), Some("cal_wrong")).await;
    assert_eq!(wrong.status(), 401, "but a wrong one is refused");

    let (status, answer) = v2_json(&standin, "/v2/bookings/nope").await;
    assert_eq!(status, 404);
    assert_eq!(answer["status"], "error");
    assert_eq!(answer["path"], "/v2/bookings/nope");
    assert!(answer["timestamp"].as_str().expect("a time").ends_with('Z'));
    let message = "Booking with uid=nope was not found in the database";
    assert_eq!(
        answer["error"],
        json!({"code": "NotFoundException", "message": message,
               "details": {"message": message, "error": "Not Found", "statusCode": 404}})
    );
}

#[tokio::test]
async fn the_list_needs_the_configured_key() {
    let standin = spawn().await;
    for key in [None, Some("cal_wrong")] {
        let response = v2(&standin, "/v2/bookings", key).await;
        assert_eq!(response.status(), 401, "{key:?}");
        let answer: Value = response.json().await.expect("JSON");
        assert_eq!(answer["error"]["code"], "UnauthorizedException");
        assert_eq!(answer["error"]["details"]["statusCode"], 401);
    }
    let settings = standin.get_json("/standin/api/settings").await;
    assert_eq!(settings["api_key"], KEY);
    let (status, _) = standin
        .post("/standin/api/settings", json!({ "api_key": "cal_other" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(v2(&standin, "/v2/bookings", Some(KEY)).await.status(), 401);
    assert_eq!(
        v2(&standin, "/v2/bookings", Some("cal_other"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn pages_of_take_and_skip_and_their_bounds() {
    let standin = spawn().await;
    seed(&standin, json!({ "count": 265 })).await;
    let (_, first) = v2_json(&standin, "/v2/bookings?take=250").await;
    assert_eq!(first["data"].as_array().expect("list").len(), 250);
    assert_eq!(first["pagination"]["hasNextPage"], true);
    assert_eq!(first["pagination"]["totalPages"], 2);
    assert_eq!(first["pagination"]["remainingItems"], 15);
    let (_, second) = v2_json(&standin, "/v2/bookings?take=250&skip=250").await;
    let pagination = &second["pagination"];
    assert_eq!(pagination["returnedItems"], 15);
    assert_eq!(pagination["totalItems"], 265);
    assert_eq!(pagination["currentPage"], 2);
    assert_eq!(pagination["hasNextPage"], false);
    assert_eq!(pagination["hasPreviousPage"], true);
    let ids: Vec<i64> = [&first, &second]
        .iter()
        .flat_map(|page| page["data"].as_array().expect("list").clone())
        .map(|b| b["id"].as_i64().expect("an id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "by id, no repeats");
    assert_eq!(ids.len(), 265);
    let (_, default) = v2_json(&standin, "/v2/bookings").await;
    assert_eq!(default["data"].as_array().expect("list").len(), 100);

    for bad in [
        "take=0",
        "take=251",
        "skip=-1",
        "take=ten",
        "afterStart=soon",
    ] {
        let (status, answer) = v2_json(&standin, &format!("/v2/bookings?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(answer["error"]["code"], "BadRequestException");
        assert_eq!(answer["error"]["details"]["statusCode"], 400);
        assert!(!answer["error"]["details"]["errors"]
            .as_array()
            .expect("errors")
            .is_empty());
    }
}

#[tokio::test]
async fn status_updated_at_and_attendee_filters() {
    let standin = spawn().await;
    let cancelled = standin.book("sub-c", json!({})).await;
    let kept = standin.book("sub-k", json!({})).await;
    let rejected = standin
        .book("sub-r", json!({ "requiresConfirmation": true }))
        .await;
    let pending = standin
        .book("sub-p", json!({ "requiresConfirmation": true }))
        .await;
    let before = detail(&standin, &pending).await["updatedAt"]
        .as_str()
        .expect("a time")
        .to_owned();
    let (status, _) = standin
        .act(&cancelled, "cancel", json!({ "reason": "ill" }))
        .await;
    assert_eq!(status, 200);
    let (status, _) = standin.act(&rejected, "reject", json!({})).await;
    assert_eq!(status, 200);

    let path = format!("/v2/bookings?afterUpdatedAt={before}&sortUpdatedAt=asc");
    let (_, moved) = v2_json(&standin, &path).await;
    assert_eq!(
        uids(&moved),
        [pending.as_str(), cancelled.as_str(), rejected.as_str()]
    );
    let after: Timestamp = before.parse().expect("a time");
    let after = after + Duration::from_millis(1);
    let (_, moved) = v2_json(&standin, &format!("/v2/bookings?afterUpdatedAt={after}")).await;
    assert_eq!(uids(&moved), [cancelled.as_str(), rejected.as_str()]);
    assert_eq!(moved["data"][0]["status"], "cancelled");
    assert_eq!(moved["data"][0]["cancellationReason"], "ill");
    assert_eq!(moved["data"][1]["status"], "rejected");

    let (_, gone) = v2_json(&standin, "/v2/bookings?status=cancelled").await;
    assert_eq!(uids(&gone), [cancelled.as_str(), rejected.as_str()]);
    let (_, upcoming) = v2_json(&standin, "/v2/bookings?status=upcoming").await;
    assert_eq!(uids(&upcoming), [kept.as_str(), pending.as_str()]);
    let (_, open) = v2_json(&standin, "/v2/bookings?status=unconfirmed,past").await;
    assert_eq!(uids(&open), [pending.as_str()]);
    let (_, none) = v2_json(&standin, "/v2/bookings?status=recurring").await;
    assert_eq!(uids(&none), Vec::<&str>::new());
    let (_, by_uid) = v2_json(&standin, &format!("/v2/bookings?bookingUid={kept}")).await;
    assert_eq!(uids(&by_uid), [kept.as_str()]);
    let (_, nobody) = v2_json(&standin, "/v2/bookings?attendeeEmail=x@example.com").await;
    assert_eq!(nobody["pagination"]["totalItems"], 0);
}

#[tokio::test]
async fn start_end_and_event_type_filters_and_sorting_over_seeded_bookings() {
    let standin = spawn().await;
    seed(
        &standin,
        json!({ "count": 5, "start": "2030-01-07T09:00:00Z", "metadata_prefix": "bench-" }),
    )
    .await;
    let path = "/v2/bookings?afterStart=2030-01-07T10:00:00.000Z&beforeEnd=2030-01-07T11:00:00Z";
    let (_, window) = v2_json(&standin, path).await;
    let starts: Vec<&str> = window["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|b| b["start"].as_str().expect("start"))
        .collect();
    assert_eq!(
        starts,
        ["2030-01-07T10:00:00.000Z", "2030-01-07T10:30:00.000Z"]
    );
    let (_, third) = v2_json(&standin, "/v2/bookings?attendeeEmail=seed-3@example.com").await;
    assert_eq!(third["data"][0]["metadata"]["submissionId"], "bench-3");
    assert_eq!(third["data"][0]["attendees"][0]["name"], "Seed 3");
    let (_, sorted) = v2_json(&standin, "/v2/bookings?sortStart=desc&sortCreated=asc").await;
    assert_eq!(sorted["data"][0]["start"], "2030-01-07T11:00:00.000Z");
    let (_, other) = v2_json(&standin, "/v2/bookings?eventTypeId=9").await;
    assert_eq!(other["pagination"]["totalItems"], 0);
    let (_, intro) = v2_json(&standin, "/v2/bookings?eventTypeId=1001&unknown=1").await;
    assert_eq!(intro["pagination"]["totalItems"], 5);
    assert!(standin.settled_log().await["deliveries"]
        .as_array()
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn a_reschedule_cancels_the_old_booking_and_links_both() {
    let standin = spawn().await;
    let old = standin.book("sub-rs", json!({})).await;
    let created = detail(&standin, &old).await["updatedAt"].clone();
    let (status, answer) = standin.act(&old, "reschedule", json!({})).await;
    assert_eq!(status, 200, "{answer}");
    let new = answer["booking"]["uid"].as_str().expect("a uid");
    let previous = detail(&standin, &old).await;
    assert_eq!(previous["status"], "cancelled");
    assert_eq!(previous["rescheduledToUid"], new);
    assert_ne!(previous["updatedAt"], created);
    let next = detail(&standin, new).await;
    assert_eq!(next["status"], "accepted");
    assert_eq!(next["rescheduledFromUid"], old.as_str());
    assert_eq!(next["metadata"]["submissionId"], "sub-rs");
}

#[tokio::test]
async fn a_no_show_marks_the_attendee_absent() {
    let standin = spawn().await;
    let uid = standin.book("sub-ns", json!({})).await;
    let (status, _) = standin.act(&uid, "no-show", json!({})).await;
    assert_eq!(status, 200);
    let booking = detail(&standin, &uid).await;
    assert_eq!(booking["attendees"][0]["absent"], true);
    assert_ne!(booking["updatedAt"], booking["createdAt"]);
    standin.act(&uid, "host-no-show", json!({})).await;
    assert_eq!(detail(&standin, &uid).await["absentHost"], true);
}

#[tokio::test]
async fn the_throttle_switch_answers_429_then_lets_requests_by() {
    let standin = spawn().await;
    let (status, settings) = standin
        .post("/standin/api/settings", json!({ "api_throttle_next": 2 }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(settings["api_throttle_next"], 2);
    for _ in 0..2 {
        let response = v2(&standin, "/v2/bookings", Some(KEY)).await;
        assert_eq!(response.status(), 429);
        let headers = response.headers();
        assert_eq!(headers["x-ratelimit-reset-default"], "1");
        assert_eq!(headers["x-ratelimit-remaining-default"], "0");
        assert_eq!(headers["x-ratelimit-limit-default"], "120");
        assert!(!headers.contains_key("retry-after"));
        let answer: Value = response.json().await.expect("JSON");
        assert_eq!(answer["error"]["code"], "ThrottlerException");
        assert_eq!(
            answer["error"]["message"],
            "Too many requests. Please try again later."
        );
    }
    assert_eq!(v2(&standin, "/v2/bookings", Some(KEY)).await.status(), 200);
}

#[tokio::test]
async fn requests_past_the_rate_limit_are_refused_per_key() {
    let standin = spawn().await;
    let (status, _) = standin
        .post("/standin/api/settings", json!({ "api_rate_limit": 3 }))
        .await;
    assert_eq!(status, 200);
    for remaining in ["2", "1", "0"] {
        let response = v2(&standin, "/v2/bookings", Some(KEY)).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit-default"], "3");
        assert_eq!(
            response.headers()["x-ratelimit-remaining-default"],
            remaining
        );
    }
    let refused = v2(&standin, "/v2/bookings", Some(KEY)).await;
    assert_eq!(refused.status(), 429);
    assert!(!refused.headers().contains_key("retry-after"));
    let reset: u64 = refused.headers()["x-ratelimit-reset-default"]
        .to_str()
        .expect("ASCII")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&reset), "{reset}");
    let other = v2(&standin, "/v2/bookings", Some("cal_other")).await;
    assert_eq!(other.status(), 401, "another key has its own count");
}

#[tokio::test]
async fn the_delay_setting_holds_every_answer() {
    let standin = spawn().await;
    standin
        .post("/standin/api/settings", json!({ "api_delay_ms": 300 }))
        .await;
    let started = Instant::now();
    assert_eq!(v2(&standin, "/v2/bookings", Some(KEY)).await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn ten_thousand_bookings_are_seeded_quickly_and_paged() {
    let standin = spawn().await;
    let started = Instant::now();
    seed(&standin, json!({ "count": 10_000 })).await;
    let (_, page) = v2_json(&standin, "/v2/bookings?take=250&skip=9900").await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(page["pagination"]["totalItems"], 10_000);
    assert_eq!(page["pagination"]["returnedItems"], 100);
    assert_eq!(page["data"][99]["metadata"]["submissionId"], "seed-10000");
    assert_eq!(standin.receiver.all().len(), 0, "no webhooks");
}
