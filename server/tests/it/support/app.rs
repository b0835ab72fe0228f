//! The real application, served on port 0 against a fresh database.

use std::net::SocketAddr;

use app::ssr::state::AppState;
use axum::Router;
use server::{
    config::{Config, Source},
    startup::Application,
};
use tokio::{sync::oneshot, task::JoinHandle};

use super::{Backend, TestDb};

pub const WEBHOOK_SECRET: &str = "test-webhook-secret";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    // Held so the database and the spool outlive the server; removed after it.
    test_db: TestDb,
    _spool_dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    pub served: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The test's database, to open connections of its own.
    pub fn db(&self) -> &TestDb {
        &self.test_db
    }

    /// Asks the server to stop (it finishes requests in flight).
    pub fn begin_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.begin_shutdown();
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[], Router::new()).await
}

/// Spawns the app with extra variables over the test defaults and extra routes.
pub async fn spawn_app_with(
    backend: Backend,
    vars: &[(&str, &str)],
    extra_routes: Router<AppState>,
) -> TestApp {
    // Warnings and errors of the app show up in a failing test's output.
    let db = TestDb::new(backend).await;
    spawn_app_on(db, vars, extra_routes).await
}

/// A second server process's worth of app on `first`'s database (its own spool, its own
/// pools), as another instance behind the same load balancer would be.
pub async fn spawn_app_sharing(first: &TestApp, vars: &[(&str, &str)]) -> TestApp {
    spawn_app_on(first.test_db.shared(), vars, Router::new()).await
}

async fn spawn_app_on(
    db: TestDb,
    vars: &[(&str, &str)],
    extra_routes: Router<AppState>,
) -> TestApp {
    // Warnings and errors of the app show up in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let spool_dir = tempfile::tempdir().expect("a spool folder");
    let spool_path = spool_dir.path().display().to_string();
    let mut pairs: Vec<(&str, &str)> = vec![
        ("WEBHOOK_SPOOL_DIR", spool_path.as_str()),
        ("DATABASE_URL", db.url.as_str()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
        ("CAL_WEBHOOK_SECRETS", WEBHOOK_SECRET),
        ("CAL_LINK", "acme/intro"),
        ("CAL_ORIGIN", "http://127.0.0.1:4010"),
        (
            "CAL_EMBED_SCRIPT_URL",
            "http://127.0.0.1:4010/embed/embed.js",
        ),
    ];
    pairs.extend_from_slice(vars);
    let config = Config::from_source(&Source::from_pairs(pairs)).expect("test configuration");
    let app = Application::build_with_routes(config, extra_routes)
        .await
        .expect("the app starts");
    let addr = app.local_addr().expect("a bound address");
    let state = app.state().clone();
    let (shutdown, stop) = oneshot::channel::<()>();
    let served = tokio::spawn(app.run_until(async move {
        let _ = stop.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an http client");
    TestApp {
        addr,
        client,
        state,
        test_db: db,
        _spool_dir: spool_dir,
        shutdown: Some(shutdown),
        served: Some(served),
    }
}
