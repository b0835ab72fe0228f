//! How many password hashes run at once. An argon2 check costs tens of milliseconds of CPU and
//! about 19 MiB of memory, so a flood of sign-in attempts must not run them all at once: a few
//! run (one per core), a bounded number wait their turn for a bounded time, and the rest are
//! told to come back.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use tokio::sync::Semaphore;

/// The gate every password check passes through.
#[derive(Debug)]
pub struct HashGate {
    running: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

/// The gate is full: too many checks are waiting, or the turn did not come in time.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many sign-in attempts are being checked; try again in a moment")]
pub struct Busy;

impl HashGate {
    /// `at_once` checks run together; up to `max_waiting` more wait, each at most `max_wait`.
    pub fn new(at_once: usize, max_waiting: usize, max_wait: Duration) -> Self {
        HashGate {
            running: Semaphore::new(at_once.max(1)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    /// One check per core at once, 32 waiting per core, for at most ten seconds.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashGate::new(cores, 32 * cores, Duration::from_secs(10))
    }

    /// Runs `work` on a blocking thread once a turn is free.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = match self.running.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(Busy);
                }
                let turn = tokio::time::timeout(self.max_wait, self.running.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                match turn {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(Busy),
                }
            }
        };
        let done = tokio::task::spawn_blocking(work).await;
        drop(permit);
        done.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A gate with one turn, held until the returned sender fires.
    async fn held(
        max_waiting: usize,
        max_wait: Duration,
    ) -> (Arc<HashGate>, std::sync::mpsc::Sender<()>) {
        let gate = Arc::new(HashGate::new(1, max_waiting, max_wait));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, is_running) = tokio::sync::oneshot::channel();
        let holder = gate.clone();
        tokio::spawn(async move {
            holder
                .run(move || {
                    let _ = started.send(());
                    let _ = hold.recv();
                })
                .await
        });
        is_running.await.expect("the first check runs");
        (gate, release)
    }

    #[tokio::test]
    async fn a_waiting_check_runs_when_a_turn_frees() {
        let (gate, release) = held(4, Duration::from_secs(30)).await;
        let waiter = tokio::spawn({
            let gate = gate.clone();
            async move { gate.run(|| 42).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "it waits while the turn is held");
        release.send(()).expect("release");
        assert_eq!(waiter.await.expect("join"), Ok(42));
    }

    #[tokio::test]
    async fn past_the_waiting_room_a_check_is_turned_away_at_once() {
        let (gate, release) = held(1, Duration::from_secs(30)).await;
        let first_waiter = tokio::spawn({
            let gate = gate.clone();
            async move { gate.run(|| 1).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(gate.run(|| 2).await, Err(Busy));
        release.send(()).expect("release");
        assert_eq!(first_waiter.await.expect("join"), Ok(1));
        assert_eq!(gate.run(|| 3).await, Ok(3), "the room is free again");
    }

    #[tokio::test]
    async fn a_check_waits_no_longer_than_the_bound() {
        let (gate, release) = held(4, Duration::from_millis(100)).await;
        assert_eq!(gate.run(|| 1).await, Err(Busy));
        release.send(()).expect("release");
    }
}
