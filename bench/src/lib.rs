//! Shared pieces of the load benchmarks: a fresh database, the release server started against
//! it, a fixed-concurrency load loop, and the summary (throughput, latency percentiles, the
//! server's peak memory).

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

pub mod dataset;
pub mod readers;

use anyhow::{bail, Context};
use app::ssr::db::{Db, DbTarget, PoolSizing};
use sqlx::{Connection, Executor, PgConnection};

/// Which backend to run against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database made for one benchmark run (dropped or deleted afterwards).
pub struct BenchDb {
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl BenchDb {
    pub async fn create(backend: Backend) -> anyhow::Result<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}", dir.path().join("bench.sqlite3").display());
                Ok(BenchDb {
                    url,
                    cleanup: None,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let admin = std::env::var("BENCH_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let name = format!("handoff_bench_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::connect(&admin)
                    .await
                    .with_context(|| format!("PostgreSQL must be running at {admin}"))?;
                conn.execute(format!("create database {name}").as_str())
                    .await?;
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                Ok(BenchDb {
                    url: format!("{base}/{name}"),
                    cleanup: Some((admin, name)),
                    _dir: None,
                })
            }
        }
    }

    /// A connection of our own to the same database (for seeding and checks).
    pub async fn connect(&self) -> anyhow::Result<Db> {
        let target = DbTarget::parse(Some(&self.url)).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Db::connect(
            &target,
            PoolSizing {
                max_connections: 4,
                ..PoolSizing::default()
            },
        )
        .await?)
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        if let Some((admin, name)) = &self.cleanup {
            let mut conn = PgConnection::connect(admin).await?;
            conn.execute(format!("drop database if exists {name} with (force)").as_str())
                .await?;
        }
        Ok(())
    }
}

/// The release server, running until dropped.
pub struct Server {
    child: Child,
    pub base_url: String,
}

impl Server {
    /// Starts `target/release/server` (or the binary `BENCH_SERVER` names, to compare two
    /// builds) on a free port against `database_url`, with `vars`.
    pub async fn start(database_url: &str, vars: &[(&str, &str)]) -> anyhow::Result<Self> {
        let root = workspace_root();
        let binary = std::env::var_os("BENCH_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/release/server"));
        if !binary.exists() {
            bail!(
                "{} is missing: run `cargo leptos build --release` first",
                binary.display()
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut command = Command::new(&binary);
        command
            .current_dir(&root)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", root.join("target/site"))
            .env("CAL_WEBHOOK_SECRETS", "bench-webhook-secret")
            .env("CAL_LINK", "bench/intro")
            .env("RUST_LOG", "warn")
            .env(
                "WEBHOOK_SPOOL_DIR",
                std::env::temp_dir().join(format!("handoff-bench-spool-{port}")),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in vars {
            command.env(key, value);
        }
        let child = command.spawn().context("cannot start the server")?;
        let server = Server {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(response) = client
                .get(format!("{}/readyz", server.base_url))
                .send()
                .await
            {
                if response.status().is_success() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server did not become ready")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory of the server so far (VmHWM), in MiB.
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Latencies and wall time of one load phase.
pub struct LoadResult {
    pub latencies: Vec<Duration>,
    pub failures: usize,
    pub elapsed: Duration,
}

/// Runs `total` requests made by `request(i)` with `concurrency` in flight at once.
pub async fn run_load<F, Fut>(total: usize, concurrency: usize, request: F) -> LoadResult
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let request = Arc::new(request);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, request) = (next.clone(), request.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut failures = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let sent = Instant::now();
                    if request(i).await {
                        latencies.push(sent.elapsed());
                    } else {
                        failures += 1;
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut result = LoadResult {
        latencies: Vec::with_capacity(total),
        failures: 0,
        elapsed: Duration::ZERO,
    };
    for worker in workers {
        if let Ok((latencies, failures)) = worker.await {
            result.latencies.extend(latencies);
            result.failures += failures;
        }
    }
    result.elapsed = started.elapsed();
    result
}

impl LoadResult {
    fn percentile(sorted: &[Duration], p: f64) -> Duration {
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    /// One line: count, throughput and latency percentiles.
    pub fn summary(&mut self, label: &str) -> String {
        self.latencies.sort();
        let ok = self.latencies.len();
        let per_second = ok as f64 / self.elapsed.as_secs_f64();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{label}: {ok} ok, {} failed in {:.2} s = {per_second:.0}/s; latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            self.failures,
            self.elapsed.as_secs_f64(),
            ms(Self::percentile(&self.latencies, 50.0)),
            ms(Self::percentile(&self.latencies, 95.0)),
            ms(Self::percentile(&self.latencies, 99.0)),
        )
    }
}
