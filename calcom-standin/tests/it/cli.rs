//! The binary: its client subcommands against a running stand-in, and its start-up errors.

use std::process::Output;

use serde_json::Value;
use tokio::process::Command;

use crate::support::spawn;

const BIN: &str = env!("CARGO_BIN_EXE_calcom-standin");

pub async fn run(standin_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("STANDIN_URL", standin_url)
        .env_remove("CAL_WEBHOOK_SECRETS")
        .env_remove("CAL_LINK")
        .output()
        .await
        .expect("the binary runs")
}

pub fn answer(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[tokio::test(flavor = "multi_thread")]
async fn book_and_cancel_through_the_cli() {
    let standin = spawn().await;
    let booked = answer(
        &run(
            &standin.url,
            &[
                "book",
                "--name",
                "Ana Kovač",
                "--email",
                "ana@example.com",
                "--submission-id",
                "sub-cli",
            ],
        )
        .await,
    );
    let uid = booked["booking"]["uid"].as_str().expect("uid").to_owned();
    let body = standin.receiver.last().json();
    assert_eq!(body["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(body["payload"]["metadata"]["submissionId"], "sub-cli");

    let cancelled = answer(
        &run(
            &standin.url,
            &["cancel", &uid, "--reason", "Busy", "--twice"],
        )
        .await,
    );
    assert_eq!(cancelled["booking"]["status"], "CANCELLED");
    let all = standin.receiver.all();
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].body, all[1].body);
    assert_eq!(all[2].json()["payload"]["cancellationReason"], "Busy");

    let listed = answer(&run(&standin.url, &["list"]).await);
    assert_eq!(listed["bookings"][0]["uid"], uid.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn hold_then_flush_reverse_through_the_cli() {
    let standin = spawn().await;
    let booked = answer(
        &run(
            &standin.url,
            &[
                "book",
                "--name",
                "Bo",
                "--email",
                "bo@example.com",
                "--hold",
            ],
        )
        .await,
    );
    let uid = booked["booking"]["uid"].as_str().expect("uid").to_owned();
    answer(&run(&standin.url, &["no-show", &uid, "--hold"]).await);
    assert!(standin.receiver.all().is_empty());
    let flushed = answer(&run(&standin.url, &["flush", "--reverse"]).await);
    assert_eq!(flushed["deliveries"].as_array().expect("list").len(), 2);
    assert_eq!(
        standin.receiver.all().len(),
        2,
        "each held delivery went once"
    );
    let first = standin.receiver.all()[0].json();
    assert_eq!(first["triggerEvent"], "BOOKING_NO_SHOW_UPDATED");
}

#[tokio::test(flavor = "multi_thread")]
async fn failure_modes_are_switched_through_the_cli() {
    let standin = spawn().await;
    answer(&run(&standin.url, &["fail", "embed-script"]).await);
    assert_eq!(standin.get("/embed/embed.js").await.status(), 503);
    let settings = answer(&run(&standin.url, &["fail", "none"]).await);
    assert_eq!(settings["fail_embed_script"], false);
    assert_eq!(standin.get("/embed/embed.js").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_exits_non_zero_with_the_reason() {
    let standin = spawn().await;
    let output = run(&standin.url, &["cancel", "no-such-uid"]).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("404") && stderr.contains("no booking no-such-uid"),
        "{stderr}"
    );

    let output = run("http://127.0.0.1:9", &["list"]).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot reach the stand-in"));
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_without_the_embed_script_fails_with_one_line_naming_setup() {
    let output = run(
        "http://unused",
        &[
            "serve",
            "--secret",
            "s",
            "--listen",
            "127.0.0.1:0",
            "--embed-js",
            "/nonexistent/embed.js",
        ],
    )
    .await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("scripts/setup.sh") && stderr.contains("/nonexistent/embed.js"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_needs_a_secret() {
    let output = run("http://unused", &["serve", "--listen", "127.0.0.1:0"]).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn seed_through_the_cli() {
    let standin = spawn().await;
    let seeded = answer(
        &run(
            &standin.url,
            &[
                "seed",
                "--count",
                "3",
                "--metadata-prefix",
                "cli-",
                "--start",
                "2030-01-07T09:00:00Z",
            ],
        )
        .await,
    );
    assert_eq!(seeded["seeded"], 3);
    let list = standin.get_json("/standin/api/bookings").await;
    let last = &list["bookings"][2];
    assert_eq!(last["metadata"]["submissionId"], "cli-3");
    assert_eq!(last["startTime"], "2030-01-07T10:00:00.000Z");
    assert!(standin.receiver.all().is_empty(), "no webhooks");
}
