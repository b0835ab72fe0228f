//! Creating owners: from configuration at the first start, and from the command line.

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
    let run = |email: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["create-owner", "--email", email])
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
    };
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
    assert!(
        app::ssr::auth::password::verify(
            "another long passphrase".into(),
            Some(owner.password_hash)
        )
        .await
    );
    db.close().await;
}
