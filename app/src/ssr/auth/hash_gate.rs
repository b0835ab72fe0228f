//! How many password hashes run at once. An argon2 check costs tens of milliseconds of CPU and
//! about 19 MiB of memory, so a flood of sign-in attempts must not run them all at once: a few
//! run (one per core), a bounded number wait their turn for a bounded time, and the rest are
//! told to come back.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::Semaphore;

/// The gate every password check passes through.
#[derive(Debug)]
pub struct HashGate {
    running: Arc<Semaphore>,
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
            running: Arc::new(Semaphore::new(at_once.max(1))),
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

    /// Runs `work` on a blocking thread once a turn is free. The turn travels with the work:
    /// a request given up while its hash runs (the client went away) still holds its turn
    /// until the hash is done, so hashes at once never exceed the bound.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = match self.running.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let Some(_waiting) = Waiting::enter(&self.waiting, self.max_waiting) else {
                    return Err(Busy);
                };
                match tokio::time::timeout(self.max_wait, self.running.clone().acquire_owned())
                    .await
                {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(Busy),
                }
            }
        };
        tokio::task::spawn_blocking(move || {
            let done = work();
            drop(permit);
            done
        })
        .await
        .map_err(|_| Busy)
    }
}

/// A place in the waiting room, given back when dropped (also when the waiting request is
/// given up).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize, max: usize) -> Option<Self> {
        if count.fetch_add(1, Ordering::AcqRel) >= max {
            count.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Waiting(count))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
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

    /// A check answering `value`, queued behind the held turn.
    fn queue(gate: &Arc<HashGate>, value: u32) -> tokio::task::JoinHandle<Result<u32, Busy>> {
        let gate = gate.clone();
        tokio::spawn(async move { gate.run(move || value).await })
    }

    #[tokio::test]
    async fn a_waiting_check_runs_when_a_turn_frees() {
        let (gate, release) = held(4, Duration::from_secs(30)).await;
        let waiter = queue(&gate, 42);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "it waits while the turn is held");
        release.send(()).expect("release");
        assert_eq!(waiter.await.expect("join"), Ok(42));
    }

    #[tokio::test]
    async fn past_the_waiting_room_a_check_is_turned_away_at_once() {
        let (gate, release) = held(1, Duration::from_secs(30)).await;
        let first_waiter = queue(&gate, 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(gate.run(|| 2).await, Err(Busy));
        release.send(()).expect("release");
        assert_eq!(first_waiter.await.expect("join"), Ok(1));
        assert_eq!(gate.run(|| 3).await, Ok(3), "the room is free again");
    }

    #[tokio::test]
    async fn a_given_up_request_keeps_its_turn_until_its_hash_is_done_and_frees_its_place() {
        let (gate, release) = held(1, Duration::from_secs(30)).await;
        // A waiter given up (its client went away) frees its place in the waiting room.
        let given_up = queue(&gate, 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        given_up.abort();
        let _ = given_up.await;
        assert_eq!(gate.waiting.load(Ordering::Acquire), 0);
        release.send(()).expect("release");

        // A request given up while its hash runs keeps the turn until the hash ends.
        let (finish, hold) = std::sync::mpsc::channel::<()>();
        let (started, is_running) = tokio::sync::oneshot::channel();
        let running = tokio::spawn({
            let gate = gate.clone();
            async move {
                gate.run(move || {
                    let _ = started.send(());
                    let _ = hold.recv();
                })
                .await
            }
        });
        is_running.await.expect("the hash runs");
        running.abort();
        let _ = running.await;
        assert_eq!(gate.running.available_permits(), 0, "still hashing");
        finish.send(()).expect("finish");
        for _ in 0..100 {
            if gate.running.available_permits() == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the turn never came back");
    }

    #[tokio::test]
    async fn a_check_waits_no_longer_than_the_bound() {
        let (gate, release) = held(4, Duration::from_millis(100)).await;
        assert_eq!(gate.run(|| 1).await, Err(Busy));
        release.send(()).expect("release");
    }
}
