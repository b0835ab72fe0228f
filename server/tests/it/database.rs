//! The database layer on both backends: migrations, the reporting contract's columns,
//! timestamps that read back exactly, SQLite's connection settings.

use app::ssr::db::{on_pool, Db, DbTime};

use crate::on_both_backends;
use crate::support::{Backend, TestDb};

const LEAD_CONTRACT_COLUMNS: &str = "submission_id, name, email, company, phone, message, \
    source, utm_source, utm_medium, utm_campaign, referrer, landing_path, stage, created_at, \
    invited_at, booking_status, booking_uid, booking_start, booking_end, attendee_time_zone, \
    location, first_booked_at, reschedule_count, cancellation_reason, last_event, last_event_at";

on_both_backends!(
    migrations_create_the_reporting_contract,
    migrations_are_idempotent,
    timestamps_read_back_exactly_and_compare_in_time_order,
    a_stage_outside_the_contract_is_refused,
);

async fn migrations_create_the_reporting_contract(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    let sql = format!("select {LEAD_CONTRACT_COLUMNS} from leads");
    on_pool!(db.reads(), pool => sqlx::query(&sql).fetch_all(pool).await.map(|_| ()))
        .expect("every contract column exists");
    for table in [
        "booking_events",
        "bookings",
        "webhook_failures",
        "webhook_failure_quota",
    ] {
        let sql = format!("select count(*) from {table}");
        on_pool!(db.reads(), pool => sqlx::query(&sql).fetch_one(pool).await.map(|_| ()))
            .unwrap_or_else(|e| panic!("{table} exists: {e}"));
    }
}

async fn migrations_are_idempotent(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    db.migrate()
        .await
        .expect("a second run applies nothing and succeeds");
    db.close().await;
    test_db.migrated().await;
}

async fn insert_lead(db: &Db, id: &str, created_at: DbTime) {
    on_pool!(db.writes(), pool => sqlx::query(
        "insert into leads (submission_id, name, email, message, consented_at, source, created_at) \
         values ($1, 'Ana', 'ana@example.com', 'Need help', $2, 'direct', $2)",
    )
    .bind(id)
    .bind(created_at)
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("insert a lead");
}

async fn timestamps_read_back_exactly_and_compare_in_time_order(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    let earlier = DbTime::new("2026-03-29T00:59:59.999999Z".parse().expect("time"));
    let later = DbTime::new("2026-03-29T01:00:00.5+00:00".parse().expect("time"));
    insert_lead(&db, "00000000-0000-4000-8000-000000000001", later).await;
    insert_lead(&db, "00000000-0000-4000-8000-000000000002", earlier).await;

    let rows: Vec<(String, DbTime)> = on_pool!(db.reads(), pool => sqlx::query_as(
        "select submission_id, created_at from leads where created_at >= $1 order by created_at",
    )
    .bind(earlier)
    .fetch_all(pool)
    .await)
    .expect("read leads");
    assert_eq!(
        rows,
        vec![
            ("00000000-0000-4000-8000-000000000002".to_owned(), earlier),
            ("00000000-0000-4000-8000-000000000001".to_owned(), later),
        ]
    );
    let after_earlier: i64 = on_pool!(db.reads(), pool => sqlx::query_scalar(
        "select count(*) from leads where created_at > $1",
    )
    .bind(earlier)
    .fetch_one(pool)
    .await)
    .expect("count");
    assert_eq!(after_earlier, 1);
}

async fn a_stage_outside_the_contract_is_refused(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.migrated().await;
    insert_lead(&db, "00000000-0000-4000-8000-000000000003", DbTime::now()).await;
    let refused = on_pool!(db.writes(), pool => sqlx::query(
        "update leads set stage = 'maybe' where submission_id = $1",
    )
    .bind("00000000-0000-4000-8000-000000000003")
    .execute(pool)
    .await
    .map(|_| ()));
    let error = refused.expect_err("the check constraint refuses it");
    assert!(error.to_string().contains("leads_stage_check"), "{error}");
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
    let test_db = TestDb::new(Backend::Sqlite).await;
    let Db::Sqlite(sqlite) = test_db.migrated().await else {
        panic!("a sqlite database")
    };
    for pool in [&sqlite.writer, &sqlite.reader] {
        let journal: String = sqlx::query_scalar("pragma journal_mode")
            .fetch_one(pool)
            .await
            .expect("journal mode");
        let foreign_keys: i64 = sqlx::query_scalar("pragma foreign_keys")
            .fetch_one(pool)
            .await
            .expect("foreign keys");
        let busy_timeout: i64 = sqlx::query_scalar("pragma busy_timeout")
            .fetch_one(pool)
            .await
            .expect("busy timeout");
        assert_eq!(journal, "wal");
        assert_eq!(foreign_keys, 1);
        assert!(busy_timeout >= 1000, "busy timeout {busy_timeout}");
    }
}

#[tokio::test]
async fn a_sqlite_file_and_its_folder_are_created_when_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested").join("folder").join("app.sqlite3");
    let target = app::ssr::db::DbTarget::SqliteFile(path.clone());
    let db = Db::connect(&target, Default::default())
        .await
        .expect("connects");
    db.migrate().await.expect("migrates");
    assert!(path.exists());
}
