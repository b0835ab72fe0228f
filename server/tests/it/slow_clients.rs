//! Slow and greedy clients, with real sockets: headers sent a byte at a time (slowloris) and
//! idle connections are cut off after `HEADER_READ_TIMEOUT_SECONDS`; past `MAX_CONNECTIONS`
//! a new connection waits until one closes; live-update streams are capped per owner and in
//! all.

use std::time::{Duration, Instant};

use axum::Router;
use reqwest::{header, StatusCode};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::support::{owner::signed_in, spawn_app_with, Backend, TestApp};

/// Whether the server closed `socket` (end of stream, a reset, or an error answer) within
/// `within`.
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, socket.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // An error answer (408) may come first; the close follows.
            Ok(Ok(_)) => continue,
        }
    }
}

fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("HEADER_READ_TIMEOUT_SECONDS", "1")],
        Router::new(),
    )
    .await;
    let mut socket = TcpStream::connect(app.addr).await.expect("connect");
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    // One header byte every 200 ms: never a whole header block.
    let trickle = async {
        for byte in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            .iter()
            .cycle()
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if socket.write_all(&[*byte]).await.is_err() {
                break;
            }
            if started.elapsed() > Duration::from_secs(8) {
                break;
            }
        }
    };
    trickle.await;
    let cut_after = started.elapsed();
    assert!(
        cut_after < Duration::from_secs(4),
        "the trickling client was still connected after {cut_after:?}"
    );
    // The server still answers everyone else.
    let ok = fresh_client()
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("send");
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_idle_connection_is_closed() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("HEADER_READ_TIMEOUT_SECONDS", "1")],
        Router::new(),
    )
    .await;
    let mut silent = TcpStream::connect(app.addr).await.expect("connect");
    assert!(closed_within(&mut silent, Duration::from_secs(4)).await);
}

async fn healthz_within(app: &TestApp, within: Duration) -> Option<StatusCode> {
    fresh_client()
        .get(app.url("/healthz"))
        .timeout(within)
        .send()
        .await
        .ok()
        .map(|r| r.status())
}

#[tokio::test]
async fn past_the_connection_cap_a_client_waits_until_one_closes() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("MAX_CONNECTIONS", "4"),
            ("HEADER_READ_TIMEOUT_SECONDS", "30"),
        ],
        Router::new(),
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(app.addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        healthz_within(&app, Duration::from_millis(1500)).await,
        None,
        "a fifth connection is not served while four are open"
    );
    drop(idle.pop());
    assert_eq!(
        healthz_within(&app, Duration::from_secs(5)).await,
        Some(StatusCode::OK)
    );
}

#[tokio::test]
async fn hundreds_of_idle_connections_are_cut_off_and_service_resumes() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("MAX_CONNECTIONS", "64"),
            ("HEADER_READ_TIMEOUT_SECONDS", "1"),
        ],
        Router::new(),
    )
    .await;
    let mut idle = Vec::new();
    // 300 sockets, 64 served at a time, each cut after a second: service within ~5 s.
    for _ in 0..300 {
        match TcpStream::connect(app.addr).await {
            Ok(socket) => idle.push(socket),
            // The kernel's backlog may refuse some; those never reach the server at all.
            Err(_) => break,
        }
    }
    assert!(idle.len() >= 64, "opened {}", idle.len());
    let started = Instant::now();
    let status = healthz_within(&app, Duration::from_secs(15)).await;
    assert_eq!(
        status,
        Some(StatusCode::OK),
        "served after {:?}",
        started.elapsed()
    );
    drop(idle);
}

/// Webhook bodies trickled in hold the route's read turns only as long as headers may take:
/// with both turns held by such clients, a real delivery still lands.
#[tokio::test]
async fn trickled_webhook_bodies_cannot_hold_the_route() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("WEBHOOK_MAX_CONCURRENT", "2"),
            ("HEADER_READ_TIMEOUT_SECONDS", "1"),
        ],
        Router::new(),
    )
    .await;
    let mut tricklers = Vec::new();
    for _ in 0..2 {
        let mut socket = TcpStream::connect(app.addr).await.expect("connect");
        socket
            .write_all(
                b"POST /api/webhooks/cal-com HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                  Content-Length: 100000\r\n\r\n{",
            )
            .await
            .expect("write");
        tricklers.push(socket);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lead = crate::webhooks::seed_lead(&app.state.db).await;
    let body = app::ssr::calcom::payloads::booking_created(
        &crate::webhooks::booking(&lead, "bk_past_tricklers", "2026-12-10T09:00:00Z"),
        crate::webhooks::at("2026-11-30T10:00:00Z"),
    );
    let started = Instant::now();
    let answer = fresh_client()
        .post(app.url("/api/webhooks/cal-com"))
        .header(
            "x-cal-signature-256",
            app::ssr::calcom::signature::sign(crate::support::app::WEBHOOK_SECRET, body.as_bytes()),
        )
        .body(body)
        .timeout(Duration::from_secs(6))
        .send()
        .await
        .expect("answered before the request timeout");
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "after {:?}",
        started.elapsed()
    );
    for mut trickler in tricklers {
        let mut answer = String::new();
        let _ = tokio::time::timeout(Duration::from_secs(3), trickler.read_to_string(&mut answer))
            .await;
        assert!(
            answer.starts_with("HTTP/1.1 400"),
            "the trickler is told: {answer:?}"
        );
    }
}

#[tokio::test]
async fn live_update_streams_are_capped_per_owner_and_in_all() {
    let (app, cookie) = signed_in(
        Backend::Sqlite,
        &[("LIVE_STREAMS_PER_OWNER", "2"), ("LIVE_STREAMS_MAX", "3")],
    )
    .await;
    let open = |cookie: String| {
        let (client, url) = (app.client.clone(), app.url("/api/owner/events"));
        async move {
            client
                .get(url)
                .header(header::COOKIE, cookie)
                .send()
                .await
                .expect("send")
        }
    };
    let first = open(cookie.clone()).await;
    let second = open(cookie.clone()).await;
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let third = open(cookie.clone()).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = third.text().await.expect("body");
    assert!(body.contains("live-update streams"), "{body}");

    // Closing a stream gives its place back.
    drop(first);
    let mut reopened = None;
    for _ in 0..50 {
        let again = open(cookie.clone()).await;
        if again.status() == StatusCode::OK {
            reopened = Some(again);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reopened.is_some(), "the closed stream's place came back");

    // A second owner gets one more; the fourth stream in all is refused.
    app::ssr::auth::create_or_update_owner(
        &app.state.db,
        "second@acme.example",
        "a long enough passphrase".into(),
    )
    .await
    .expect("a second owner");
    let theirs = app
        .client
        .post(app.url("/api/signin"))
        .header(header::ACCEPT, "text/html")
        .form(&[
            ("email", "second@acme.example"),
            ("password", "a long enough passphrase"),
        ])
        .send()
        .await
        .expect("send");
    let their_cookie = theirs
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a cookie")
        .to_owned();
    let theirs_first = open(their_cookie.clone()).await;
    assert_eq!(theirs_first.status(), StatusCode::OK);
    let theirs_second = open(their_cookie).await;
    assert_eq!(theirs_second.status(), StatusCode::TOO_MANY_REQUESTS);
    drop((second, reopened, theirs_first));
}
