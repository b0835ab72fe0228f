//! The three sign-in limits told apart with attempts from several addresses (behind one
//! trusted proxy, so `X-Forwarded-For` names the client): failures for one account from one
//! address refuse only that address for that account; failures from one address over many
//! accounts refuse that address; failures for one account from everywhere only slow the
//! account down. Overlong input is refused before anything is counted or hashed.

use std::time::{Duration, Instant};

use super::*;

/// A sign-in as the hydrated page sends it (no HTML answer), from `address`.
async fn attempt(app: &TestApp, address: &str, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/signin"))
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("send")
}

fn signed_in(response: &reqwest::Response) -> bool {
    header_text(response, header::SET_COOKIE).starts_with("handoff_session=")
}

/// An app with the three sign-in limits set: per account and address, per address, and the
/// account-wide count past which attempts are slowed (by a second).
async fn limited_app(
    backend: Backend,
    [per_account_and_address, per_address, slowdown_after]: [&'static str; 3],
) -> TestApp {
    let vars = [
        ("TRUSTED_PROXY_HOPS", "1"),
        ("SIGNIN_ATTEMPTS_PER_HOUR", per_account_and_address),
        ("SIGNIN_ADDRESS_ATTEMPTS_PER_HOUR", per_address),
        ("SIGNIN_ACCOUNT_SLOWDOWN_AFTER", slowdown_after),
        ("SIGNIN_SLOWDOWN_SECONDS", "1"),
    ];
    app_with_owner(backend, &vars).await
}

async fn hits_stored(db: &Db) -> i64 {
    app::ssr::db::on_pool!(db.reads(), pool => sqlx::query_scalar::<_, i64>(
        "select count(*) from rate_limit_hits",
    )
    .fetch_one(pool)
    .await)
    .expect("count")
}

async fn failures_for_one_account_lock_out_only_the_address_they_came_from(backend: Backend) {
    let app = limited_app(backend, ["3", "100", "100"]).await;
    for _ in 0..3 {
        let refused = attempt(&app, "203.0.113.7", EMAIL, "guessing wrongly").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
    // Past the limit the right password from that address is not even checked…
    let limited = attempt(&app, "203.0.113.7", EMAIL, PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = header_text(&limited, header::RETRY_AFTER)
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=7200).contains(&wait), "{wait}");
    assert!(!signed_in(&limited));
    // …the same address may still try another account…
    let other_account = attempt(&app, "203.0.113.7", "other@acme.example", "guess").await;
    assert_eq!(other_account.status(), StatusCode::UNAUTHORIZED);
    // …and the owner, from their own address, signs in at once.
    let started = Instant::now();
    let owner = attempt(&app, "198.51.100.20", EMAIL, PASSWORD).await;
    assert!(signed_in(&owner), "{}", owner.status());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no slow-down here"
    );
}

async fn failures_from_one_address_over_many_accounts_lock_that_address_out(backend: Backend) {
    let app = limited_app(backend, ["10", "4", "100"]).await;
    for n in 0..4 {
        let email = format!("guess{n}@acme.example");
        let refused = attempt(&app, "203.0.113.8", &email, "guessing wrongly").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
    // One failure per account, yet the address is out, for every account.
    let limited = attempt(&app, "203.0.113.8", EMAIL, PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!header_text(&limited, header::RETRY_AFTER).is_empty());
    // IPv6 counts per /64: another address in the same network is out too.
    for n in 0..4 {
        let email = format!("guess{n}@acme.example");
        let address = format!("2001:db8:7:7::{n:x}");
        let refused = attempt(&app, &address, &email, "guessing wrongly").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{address}");
    }
    let same_network = attempt(&app, "2001:db8:7:7:ffff::1", EMAIL, PASSWORD).await;
    assert_eq!(same_network.status(), StatusCode::TOO_MANY_REQUESTS);
    let next_network = attempt(&app, "2001:db8:7:8::1", EMAIL, PASSWORD).await;
    assert!(signed_in(&next_network), "{}", next_network.status());
}

async fn failures_for_one_account_from_everywhere_only_slow_it_down(backend: Backend) {
    let app = limited_app(backend, ["3", "3", "4"]).await;
    // Six failures from three addresses: each address stays within its limits.
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        for _ in 0..2 {
            let refused = attempt(&app, address, EMAIL, "guessing wrongly").await;
            assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{address}");
        }
    }
    // The account is past its ceiling: a clean address still signs in, only later…
    let started = Instant::now();
    let owner = attempt(&app, "198.51.100.30", EMAIL, PASSWORD).await;
    assert!(signed_in(&owner), "never refused: {}", owner.status());
    assert!(started.elapsed() >= Duration::from_secs(1), "slowed down");
    // …and a wrong password from a clean address is slowed and refused as wrong, not 429.
    let started = Instant::now();
    let wrong = attempt(&app, "198.51.100.31", EMAIL, "guessing wrongly").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() >= Duration::from_secs(1));
}

async fn a_burst_of_guesses_gets_no_more_checks_than_the_limit(backend: Backend) {
    let app = limited_app(backend, ["3", "100", "100"]).await;
    let guesses = (0..24).map(|n| {
        let app = &app;
        async move {
            attempt(app, "203.0.113.9", EMAIL, &format!("guess number {n}"))
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (3, 21), "{statuses:?}");
    let owner = attempt(&app, "198.51.100.40", EMAIL, PASSWORD).await;
    assert!(signed_in(&owner), "{}", owner.status());
}

async fn overlong_input_is_refused_before_anything_is_counted(backend: Backend) {
    let app = limited_app(backend, ["10", "30", "50"]).await;
    let long_email = format!("{}@acme.example", "a".repeat(250));
    let long_password = "p".repeat(1025);
    for (email, password) in [
        (long_email.as_str(), PASSWORD),
        (EMAIL, long_password.as_str()),
    ] {
        let refused = attempt(&app, "203.0.113.10", email, password).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let body = refused.text().await.expect("body");
        assert!(body.contains("at most 254 bytes"), "{body}");
    }
    assert_eq!(hits_stored(&app.state.db).await, 0);
    // The longest accepted password is checked as usual.
    let longest = attempt(&app, "203.0.113.10", EMAIL, &"p".repeat(1024)).await;
    assert_eq!(longest.status(), StatusCode::UNAUTHORIZED);
    assert!(hits_stored(&app.state.db).await > 0);
}

on_both_backends!(
    failures_for_one_account_lock_out_only_the_address_they_came_from,
    failures_from_one_address_over_many_accounts_lock_that_address_out,
    failures_for_one_account_from_everywhere_only_slow_it_down,
    a_burst_of_guesses_gets_no_more_checks_than_the_limit,
    overlong_input_is_refused_before_anything_is_counted,
);
