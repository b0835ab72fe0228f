//! Identical reads asked for together share one computation, and none is answered from a
//! computation that began before it was asked.
//!
//! Per key, at most one computation runs and at most one waits behind it. A request that
//! finds none running starts one; a request that finds one running joins the one waiting (or
//! makes it), which starts when the running one ends. So thirty owners looking at the same
//! window cost the database one computation at a time instead of thirty, and each answer still
//! reflects every write committed before its request arrived: what "share the one in flight"
//! would not promise.
//!
//! Computations run as their own tasks, so a client that goes away does not leave the others
//! waiting on a computation nobody drives.

use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
};

use tokio::sync::watch;
use tracing::Instrument;

/// A computation's answer, once it has one.
type Outcome<V, E> = Option<Result<Arc<V>, E>>;

struct Flight<V, E> {
    id: u64,
    started: Arc<AtomicBool>,
    done: watch::Receiver<Outcome<V, E>>,
}

/// The latest computation per key: running, or waiting for the one before it.
pub struct Flights<K, V, E> {
    latest: Mutex<Latest<K, V, E>>,
}

struct Latest<K, V, E> {
    next_id: u64,
    by_key: HashMap<K, Flight<V, E>>,
}

impl<K, V, E> Default for Flights<K, V, E> {
    fn default() -> Self {
        Self {
            latest: Mutex::new(Latest {
                next_id: 0,
                by_key: HashMap::new(),
            }),
        }
    }
}

impl<K, V, E> std::fmt::Debug for Flights<K, V, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flights").finish_non_exhaustive()
    }
}

impl<K, V, E> Flights<K, V, E>
where
    K: Clone + Eq + Hash + Send + 'static,
    V: Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
{
    /// The answer for `key`: from a computation that starts after this call (`compute`'s, or
    /// that of another caller of the same key waiting to start). `lost` stands in for an
    /// answer when a computation's task ended without one (it panicked).
    pub async fn run<F, Fut>(self: &Arc<Self>, key: K, compute: F, lost: E) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let mut done = self.join_or_start(key, compute);
        let answer = match done.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone(),
            Err(_) => None,
        };
        answer.unwrap_or(Err(lost))
    }

    fn join_or_start<F, Fut>(self: &Arc<Self>, key: K, compute: F) -> watch::Receiver<Outcome<V, E>>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        let before = match latest.by_key.get(&key) {
            // Not started: it will read everything committed so far.
            Some(flight) if !flight.started.load(Ordering::Acquire) => return flight.done.clone(),
            Some(running) => Some(running.done.clone()),
            None => None,
        };
        let id = latest.next_id;
        latest.next_id += 1;
        let started = Arc::new(AtomicBool::new(false));
        let (answer, done) = watch::channel(None);
        latest.by_key.insert(
            key.clone(),
            Flight {
                id,
                started: Arc::clone(&started),
                done: done.clone(),
            },
        );
        drop(latest);

        let flights = Arc::clone(self);
        tokio::spawn(
            async move {
                if let Some(mut before) = before {
                    let _ = before.wait_for(Option::is_some).await;
                }
                started.store(true, Ordering::Release);
                let outcome = compute().await.map(Arc::new);
                flights.forget(&key, id);
                let _ = answer.send(Some(outcome));
            }
            // Its log lines carry the request that started it.
            .in_current_span(),
        );
        done
    }

    /// Drops `key`'s entry if it is still flight `id` (not a later one waiting behind it).
    fn forget(&self, key: &K, id: u64) {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        if latest.by_key.get(key).is_some_and(|flight| flight.id == id) {
            latest.by_key.remove(key);
        }
    }

    /// Keys with a computation running or waiting.
    #[cfg(test)]
    fn in_flight(&self) -> usize {
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_key
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::atomic::{AtomicU64, AtomicUsize},
        time::Duration,
    };

    use tokio::sync::Notify;

    use super::*;

    type Test = Flights<&'static str, u64, String>;

    /// A computation that reads `state` when it starts, then waits for `release`.
    fn reading(
        state: &Arc<AtomicU64>,
        runs: &Arc<AtomicUsize>,
        release: &Arc<Notify>,
    ) -> impl FnOnce() -> std::pin::Pin<Box<dyn Future<Output = Result<u64, String>> + Send>>
           + Send
           + 'static {
        let (state, runs, release) = (state.clone(), runs.clone(), release.clone());
        move || {
            Box::pin(async move {
                runs.fetch_add(1, Ordering::SeqCst);
                let seen = state.load(Ordering::SeqCst);
                release.notified().await;
                Ok(seen)
            })
        }
    }

    async fn settle() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    #[tokio::test]
    async fn requests_arriving_during_a_computation_share_the_next_one_and_see_later_writes() {
        let flights = Arc::new(Test::default());
        let (state, runs, release) = (
            Arc::new(AtomicU64::new(1)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(Notify::new()),
        );

        let first = tokio::spawn({
            let (flights, compute) = (flights.clone(), reading(&state, &runs, &release));
            async move { flights.run("w", compute, "lost".into()).await }
        });
        settle().await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);

        // A write lands while the first computation runs; then 16 more requests arrive.
        state.store(2, Ordering::SeqCst);
        let later: Vec<_> = (0..16)
            .map(|_| {
                let (flights, compute) = (flights.clone(), reading(&state, &runs, &release));
                tokio::spawn(async move { flights.run("w", compute, "lost".into()).await })
            })
            .collect();
        settle().await;
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "the next one waits its turn"
        );

        release.notify_one();
        assert_eq!(*first.await.unwrap().unwrap(), 1);
        settle().await;
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "one computation for all sixteen"
        );
        release.notify_one();
        for answer in later {
            assert_eq!(
                *answer.await.unwrap().unwrap(),
                2,
                "none sees the state before it"
            );
        }
        settle().await;
        assert_eq!(flights.in_flight(), 0);
    }

    #[tokio::test]
    async fn different_keys_compute_side_by_side() {
        let flights = Arc::new(Test::default());
        let (state, runs, release) = (
            Arc::new(AtomicU64::new(7)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(Notify::new()),
        );
        let answers: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|key| {
                let (flights, compute) = (flights.clone(), reading(&state, &runs, &release));
                tokio::spawn(async move { flights.run(key, compute, "lost".into()).await })
            })
            .collect();
        settle().await;
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        release.notify_waiters();
        for answer in answers {
            assert_eq!(*answer.await.unwrap().unwrap(), 7);
        }
    }

    #[tokio::test]
    async fn every_waiter_gets_the_error_and_the_next_request_tries_again() {
        let flights = Arc::new(Test::default());
        let failing = || async { Err::<u64, _>("database gone".to_string()) };
        let answers: Vec<_> = (0..4)
            .map(|_| {
                let flights = flights.clone();
                tokio::spawn(async move { flights.run("w", failing, "lost".into()).await })
            })
            .collect();
        for answer in answers {
            assert_eq!(answer.await.unwrap().unwrap_err(), "database gone");
        }
        let ok = flights.run("w", || async { Ok(5) }, "lost".into()).await;
        assert_eq!(*ok.unwrap(), 5);
    }

    #[tokio::test]
    async fn a_computation_that_panics_answers_lost() {
        let flights = Arc::new(Test::default());
        async fn panics() -> Result<u64, String> {
            panic!("a bug in the computation")
        }
        let answer = flights.run("w", panics, "lost".into()).await;
        assert_eq!(answer.unwrap_err(), "lost");
        assert_eq!(
            *flights
                .run("w", || async { Ok(1) }, "lost".into())
                .await
                .unwrap(),
            1
        );
    }
}
