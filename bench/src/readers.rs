//! Owners reading the dashboard while a write benchmark runs: each asks for the 7-day
//! window's numbers (`GET /api/metrics`) as fast as it is answered, until stopped, so a write
//! path can be measured beside them.

use std::{
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::Instant,
};

use crate::dataset::{day, sign_in};

/// Readers at work; [`Readers::stop`] ends them and tells how many reads they made.
pub struct Readers {
    stop: Arc<AtomicBool>,
    reads: Arc<AtomicUsize>,
    failures: Arc<AtomicUsize>,
    started: Instant,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Readers {
    /// Signs the benchmark's owner in and starts `owners` readers (none when 0).
    pub async fn start(base_url: &str, owners: usize) -> anyhow::Result<Readers> {
        let stop = Arc::new(AtomicBool::new(false));
        let (reads, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = Vec::with_capacity(owners);
        if owners > 0 {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(owners)
                .build()?;
            let cookie = sign_in(&client, base_url).await?;
            let url = format!("{base_url}/api/metrics?from={}&to={}", day(6), day(0));
            for _ in 0..owners {
                let (client, url, cookie) = (client.clone(), url.clone(), cookie.clone());
                let (stop, reads, failures) = (stop.clone(), reads.clone(), failures.clone());
                tasks.push(tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let read = match client.get(&url).header("cookie", &cookie).send().await {
                            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                            _ => false,
                        };
                        let counter = if read { &reads } else { &failures };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
        }
        Ok(Readers {
            stop,
            reads,
            failures,
            started: Instant::now(),
            tasks,
        })
    }

    /// Stops the readers: a line saying what they read, or `None` when there were none.
    pub async fn stop(self) -> Option<String> {
        self.stop.store(true, Ordering::Relaxed);
        let owners = self.tasks.len();
        for task in self.tasks {
            let _ = task.await;
        }
        let seconds = self.started.elapsed().as_secs_f64();
        let reads = self.reads.load(Ordering::Relaxed);
        (owners > 0).then(|| {
            format!(
                "beside {owners} owners reading the dashboard: {reads} reads ({:.0}/s), {} failed",
                reads as f64 / seconds,
                self.failures.load(Ordering::Relaxed)
            )
        })
    }
}
