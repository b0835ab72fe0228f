//! The real `server` binary as a child process, for fault tests: started on a free port
//! against a test database, killed with SIGKILL or stopped with SIGTERM.

use std::{
    net::TcpListener,
    path::Path,
    process::{Child, Command, ExitStatus, Stdio},
    time::Duration,
};

use super::{app::WEBHOOK_SECRET, TestDb};

pub struct ServerProcess {
    pub child: Child,
    pub url: String,
}

impl ServerProcess {
    /// Starts the server on `db` with its spool in `spool` and `env` over the defaults.
    pub fn start(db: &TestDb, spool: &Path, env: &[(&str, &str)]) -> ServerProcess {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .env_clear()
            .current_dir(std::env::temp_dir())
            .env("DATABASE_URL", &db.url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("CAL_WEBHOOK_SECRETS", WEBHOOK_SECRET)
            .env("CAL_LINK", "acme/intro")
            .env("WEBHOOK_SPOOL_DIR", spool)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        ServerProcess {
            child: command.spawn().expect("the server starts"),
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Waits until `/healthz` answers.
    pub async fn wait_until_up(&self) {
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(self.url("/healthz")).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not come up");
    }

    /// `kill -9`, and reaps the process.
    pub fn kill(&mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM sent");
    }

    /// Waits up to `within` for the process to exit; its status, or `None` if it still runs.
    pub async fn exited_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if tokio::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
