//! A fresh, empty database per test: a SQLite file in a temporary folder, or a PostgreSQL
//! database created on the local server (`TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped when the test ends.

use app::ssr::db::{Db, DbTarget, PoolSizing};
use sqlx::{Connection, Executor, PgConnection};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    pub target: DbTarget,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Another test database's: its owner cleans up.
    Shared,
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let path = dir.path().join("test.sqlite3");
                let url = format!("sqlite://{}", path.display());
                TestDb {
                    target: DbTarget::parse(Some(&url)).expect("a sqlite url"),
                    url,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = admin_url();
                let name = format!("handoff_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL must be running for the tests ({admin_url}): {e}")
                });
                admin
                    .execute(format!("create database {name}").as_str())
                    .await
                    .expect("create the test database");
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .expect("an admin url with a database name");
                let url = format!("{base}/{name}");
                TestDb {
                    target: DbTarget::parse(Some(&url)).expect("a postgres url"),
                    url,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }

    /// The same database for a second user; dropping it leaves the database alone.
    pub fn shared(&self) -> TestDb {
        TestDb {
            url: self.url.clone(),
            target: self.target.clone(),
            cleanup: Cleanup::Shared,
        }
    }

    /// Opens and migrates the database, as the server does at start.
    pub async fn migrated(&self) -> Db {
        let db = self.connect().await;
        db.migrate().await.expect("migrations apply");
        db
    }

    pub async fn connect(&self) -> Db {
        Db::connect(&self.target, PoolSizing::default())
            .await
            .expect("connect to the test database")
    }
}

/// The database refusing work, until [`Outage::end`]: PostgreSQL refuses connections (and the
/// open ones are cut); SQLite is locked by another writer, so writes time out busy.
pub enum Outage {
    Sqlite(sqlx::SqliteConnection),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn outage(&self) -> Outage {
        match &self.cleanup {
            Cleanup::Sqlite(_) => {
                let mut lock = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("a second connection");
                lock.execute("begin exclusive")
                    .await
                    .expect("take the write lock");
                Outage::Sqlite(lock)
            }
            Cleanup::Postgres { admin_url, name } => {
                let mut admin = PgConnection::connect(admin_url).await.expect("admin");
                admin
                    .execute(format!("alter database {name} allow_connections false").as_str())
                    .await
                    .expect("refuse connections");
                admin
                    .execute(
                        format!(
                            "select pg_terminate_backend(pid) from pg_stat_activity \
                             where datname = '{name}' and pid <> pg_backend_pid()"
                        )
                        .as_str(),
                    )
                    .await
                    .expect("cut connections");
                Outage::Postgres {
                    admin_url: admin_url.clone(),
                    name: name.clone(),
                }
            }
            Cleanup::Shared => panic!("an outage is made through the database's first user"),
        }
    }
}

impl Outage {
    pub async fn end(self) {
        match self {
            Outage::Sqlite(mut lock) => {
                lock.execute("rollback").await.expect("release the lock");
                lock.close().await.expect("closed");
            }
            Outage::Postgres { admin_url, name } => {
                let mut admin = PgConnection::connect(&admin_url).await.expect("admin");
                admin
                    .execute(format!("alter database {name} allow_connections true").as_str())
                    .await
                    .expect("allow connections");
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which must not block: use a thread with a
            // runtime of its own.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let mut admin = PgConnection::connect(&admin_url).await?;
                    admin
                        .execute(format!("drop database if exists {name} with (force)").as_str())
                        .await?;
                    Ok::<_, anyhow::Error>(())
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop a test database; it will be left behind");
            }
        }
    }
}
