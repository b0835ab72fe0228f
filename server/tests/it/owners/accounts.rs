//! Creating owners: from configuration at the first start, and from the command line; and
//! renewing an older password hash at sign-in.

use super::*;

#[tokio::test]
async fn the_first_owner_comes_from_configuration_once() {
    let test_db = TestDb::new(Backend::Sqlite).await;
    let db = test_db.connect().await;
    db.migrate().await.expect("migrations");
    assert!(create_first_owner(&db, EMAIL, PASSWORD.into())
        .await
        .expect("create"));
    assert!(
        !create_first_owner(&db, "second@acme.example", PASSWORD.into())
            .await
            .expect("no second")
    );
    assert_eq!(owners::count(&db).await.expect("count"), 1);
    db.close().await;

    let app = spawn_app_with(
        Backend::Postgres,
        &[("OWNER_EMAIL", EMAIL), ("OWNER_PASSWORD", PASSWORD)],
        Router::new(),
    )
    .await;
    let signed_in = post_sign_in(&app, EMAIL, PASSWORD).await;
    assert!(
        signed_in.status().is_redirection(),
        "{}",
        signed_in.status()
    );
}

#[tokio::test]
async fn create_owner_on_the_command_line_reads_the_password_from_stdin() {
    let test_db = TestDb::new(Backend::Postgres).await;
    let run =
        |email: &str, password: &str| owner_command(&test_db, "create-owner", email, password);
    let created = run(EMAIL, PASSWORD);
    assert!(created.status.success(), "{created:?}");
    assert!(String::from_utf8_lossy(&created.stdout).contains("created owner"));
    let changed = run(EMAIL, "another long passphrase");
    assert!(String::from_utf8_lossy(&changed.stdout).contains("new password"));
    let short = run("x@acme.example", "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let bad_email = run("not-an-email", PASSWORD);
    assert!(!bad_email.status.success());

    let db = test_db.connect().await;
    assert_eq!(owners::count(&db).await.expect("count"), 1);
    let owner = owners::find_by_email(&db, EMAIL)
        .await
        .expect("read")
        .expect("owner");
    let gate = app::ssr::auth::hash_gate::HashGate::for_this_machine();
    let verified = app::ssr::auth::password::verify(
        &gate,
        "another long passphrase".into(),
        Some(owner.password_hash),
    )
    .await;
    assert_eq!(verified, Ok(true));
    db.close().await;
}

/// Runs `server <command> --email EMAIL` against `test_db` with the password on stdin.
fn owner_command(
    test_db: &TestDb,
    command: &str,
    email: &str,
    password: &str,
) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args([command, "--email", email])
        .env_clear()
        .env("DATABASE_URL", &test_db.url)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write");
    child.wait_with_output().expect("finishes")
}

async fn a_new_password_ends_the_owners_sessions(backend: Backend) {
    let app = app_with_owner(backend, &[]).await;
    let signed_in = async |app: &TestApp| session_cookie(&post_sign_in(app, EMAIL, PASSWORD).await);
    let dashboard_status =
        async |cookie: String| get_with(&app, "/dashboard", Some(&cookie)).await.status();

    // Setting a password through create-owner's path (an existing email)…
    let cookie = signed_in(&app).await;
    assert_eq!(dashboard_status(cookie.clone()).await, StatusCode::OK);
    let saved = create_or_update_owner(&app.state.db, EMAIL, PASSWORD.into())
        .await
        .expect("saved");
    assert_eq!(saved, app::ssr::auth::OwnerSaved::PasswordChanged);
    assert_eq!(dashboard_status(cookie).await, StatusCode::FOUND);
    assert_eq!(session_count(&app.state.db).await, 0);

    // …and through `server set-password`, which refuses an email that is no owner's.
    let cookie = signed_in(&app).await;
    let other_owner = "second@acme.example";
    create_or_update_owner(&app.state.db, other_owner, PASSWORD.into())
        .await
        .expect("a second owner");
    let theirs = session_cookie(&post_sign_in(&app, other_owner, PASSWORD).await);
    let unknown = owner_command(app.db(), "set-password", "nobody@acme.example", PASSWORD);
    assert!(!unknown.status.success(), "{unknown:?}");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no owner"));
    assert_eq!(dashboard_status(cookie.clone()).await, StatusCode::OK);

    let set = owner_command(app.db(), "set-password", EMAIL, "a brand new passphrase");
    assert!(set.status.success(), "{set:?}");
    assert!(String::from_utf8_lossy(&set.stdout).contains("sessions have ended"));
    assert_eq!(dashboard_status(cookie).await, StatusCode::FOUND);
    assert_eq!(
        dashboard_status(theirs).await,
        StatusCode::OK,
        "another owner's session stays"
    );
    let old = post_sign_in(&app, EMAIL, PASSWORD).await;
    assert!(old.headers().get(header::SET_COOKIE).is_none());
    let new = post_sign_in(&app, EMAIL, "a brand new passphrase").await;
    assert!(new.headers().get(header::SET_COOKIE).is_some());
}

/// A hash made with argon2's defaults (19 MiB, two passes), as owners' passwords were stored
/// before the smaller-memory setting: it still signs in, and is replaced by a current one.
async fn an_older_password_hash_is_renewed_at_sign_in(backend: Backend) {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let app = app_with_owner(backend, &[]).await;
    let older = argon2::Argon2::default()
        .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .expect("a hash")
        .to_string();
    app::ssr::db::on_pool!(app.state.db.writes(), pool => sqlx::query(
        "update owners set password_hash = $1 where email = $2",
    )
    .bind(&older)
    .bind(EMAIL)
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("an older hash");
    let stored = async || {
        owners::find_by_email(&app.state.db, EMAIL)
            .await
            .expect("read")
            .expect("the owner")
            .password_hash
    };

    let cookie = session_cookie(&post_sign_in(&app, EMAIL, PASSWORD).await);

    let renewed = stored().await;
    assert_ne!(renewed, older);
    assert!(app::ssr::auth::password::is_current(&renewed), "{renewed}");
    assert_eq!(
        get_with(&app, "/dashboard", Some(&cookie)).await.status(),
        StatusCode::OK,
        "the session opened with the older hash stays"
    );
    let again = post_sign_in(&app, EMAIL, PASSWORD).await;
    assert!(again.headers().get(header::SET_COOKIE).is_some());
    assert_eq!(stored().await, renewed, "a current hash is left alone");
    let wrong = post_sign_in(&app, EMAIL, "not the passphrase at all").await;
    assert!(wrong.headers().get(header::SET_COOKIE).is_none());
}

on_both_backends!(
    a_new_password_ends_the_owners_sessions,
    an_older_password_hash_is_renewed_at_sign_in,
);
