//! `server backup PATH`: a consistent SQLite copy taken while writes go on, that opens as a
//! working database; an existing file is never overwritten; PostgreSQL is pointed at pg_dump.

use std::process::Command;

use app::ssr::db::Db;
use app::ssr::db::{
    backup::{backup_sqlite, BackupError},
    DbTarget, PoolSizing,
};

use crate::support::{Backend, TestDb};
use crate::webhooks::{count, seed_lead};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_copy_taken_under_writes_is_whole_and_opens() {
    let test_db = TestDb::new(Backend::Sqlite).await;
    let db = test_db.migrated().await;
    seed_lead(&db).await;
    let writer = tokio::spawn({
        let db = db.clone();
        async move {
            for _ in 0..200 {
                seed_lead(&db).await;
            }
        }
    });
    let dir = tempfile::tempdir().expect("a folder");
    let copy = dir.path().join("copy.sqlite3");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    backup_sqlite(&db, &copy).await.expect("backed up");
    writer.await.expect("the writes went on");

    let target = DbTarget::parse(Some(&format!("sqlite://{}", copy.display()))).expect("a url");
    let restored = Db::connect(&target, PoolSizing::default())
        .await
        .expect("opens");
    restored
        .migrate()
        .await
        .expect("its migrations are all there");
    let Db::Sqlite(sqlite) = &restored else {
        unreachable!("a sqlite url")
    };
    let check: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&sqlite.reader)
        .await
        .expect("checked");
    assert_eq!(check, "ok");
    let leads = count(&restored, "select count(*) from leads").await;
    assert!((1..=201).contains(&leads), "{leads} leads in the copy");

    let again = backup_sqlite(&db, &copy).await;
    assert!(matches!(again, Err(BackupError::Exists(_))), "{again:?}");
}

#[tokio::test]
async fn on_postgres_the_command_points_at_pg_dump() {
    let test_db = TestDb::new(Backend::Postgres).await;
    test_db.migrated().await.close().await;
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .current_dir(std::env::temp_dir())
        .env("DATABASE_URL", &test_db.url)
        .env("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret")
        .env("CAL_LINK", "acme/intro")
        .args(["backup", "/tmp/never-written.sqlite3"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pg_dump"), "{stderr}");
}
