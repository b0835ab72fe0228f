//! Faults of real processes, with spawned `server` binaries: `kill -9` under a load of leads
//! and webhooks, SIGTERM under load, two processes sharing one PostgreSQL, and the `LISTEN`
//! connection cut under an open dashboard. Each load runs for a bounded time.

use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use app::ssr::{
    auth::create_or_update_owner,
    calcom::{payloads, signature::sign},
    db::{on_pool, Db},
    intake::ticket::TicketSigner,
    store::signing_keys,
};
use reqwest::{header, redirect::Policy, StatusCode};

use crate::{
    on_both_backends,
    support::{app::WEBHOOK_SECRET, process::ServerProcess, Backend, TestDb},
    webhooks::{at, booking, count, seed_lead},
};

on_both_backends!(
    a_kill_under_leads_and_webhooks_keeps_every_answered_request_exactly_once,
    sigterm_under_load_finishes_what_it_answers_and_exits_zero,
);

const OWNER: (&str, &str) = ("owner@acme.example", "a long enough passphrase");

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("a client")
}

/// Signs form tickets with the key the servers share (read from their database).
async fn ticket_signer(db: &Db) -> TicketSigner {
    TicketSigner::new(
        signing_keys::get_or_create(db, "intake-ticket")
            .await
            .expect("the form key"),
    )
}

/// A filled form for a new submission id, as the hydrated page posts it.
fn lead_form(signer: &TicketSigner, n: usize) -> (String, Vec<(String, String)>) {
    let id = uuid::Uuid::new_v4();
    let shown = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(10);
    let fields = [
        ("submission_id", id.to_string()),
        ("token", signer.issue(&id, shown)),
        ("name", format!("Visitor {n}")),
        ("email", format!("visitor{n}@example.com")),
        ("message", "Please call me back".to_owned()),
        ("consent", "on".to_owned()),
    ];
    (
        id.to_string(),
        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    )
}

/// Posts a lead; `true` when the answer says it is stored (a redirect to its booking page).
/// The n-th request's server when load alternates between two.
fn alternate(n: usize, servers: [&str; 2]) -> &str {
    servers[n % 2]
}

async fn post_lead(client: &reqwest::Client, server: &str, form: &[(String, String)]) -> bool {
    let id = &form[0].1;
    client
        .post(format!("{server}/api/intake"))
        .header(header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .is_ok_and(|r| {
            r.headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l == format!("/book/{id}"))
        })
}

/// A delivery for a booking made without a submission id: held, one logged event each.
fn held_delivery(n: usize) -> (String, String) {
    let uid = format!("uidFault{n:05}");
    let mut facts = booking("unused", &uid, "2026-12-10T09:00:00Z");
    facts.submission_id = None;
    (
        uid,
        payloads::booking_created(&facts, at("2026-11-30T10:00:00Z")),
    )
}

async fn deliver(client: &reqwest::Client, server: &str, body: &str) -> Option<StatusCode> {
    client
        .post(format!("{server}/api/webhooks/cal-com"))
        .header("x-cal-signature-256", sign(WEBHOOK_SECRET, body.as_bytes()))
        .body(body.to_owned())
        .send()
        .await
        .ok()
        .map(|r| r.status())
}

/// What a load answered 2xx: lead submission ids and delivery uids.
#[derive(Default)]
struct Answered {
    leads: Mutex<BTreeSet<String>>,
    deliveries: Mutex<BTreeSet<String>>,
    sent: AtomicUsize,
}

/// Sends leads and deliveries from `clients` tasks each until `stop`.
fn spawn_load(
    server: String,
    signer: Arc<TicketSigner>,
    answered: Arc<Answered>,
    stop: Arc<AtomicBool>,
    clients: usize,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..clients)
        .map(|c| {
            let (server, signer, answered, stop) = (
                server.clone(),
                signer.clone(),
                answered.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                let client = client();
                while !stop.load(Ordering::SeqCst) {
                    let n = answered.sent.fetch_add(1, Ordering::SeqCst);
                    if c % 2 == 0 {
                        let (id, form) = lead_form(&signer, n);
                        if post_lead(&client, &server, &form).await {
                            answered.leads.lock().expect("lock").insert(id);
                        } else {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    } else {
                        let (uid, body) = held_delivery(n);
                        match deliver(&client, &server, &body).await {
                            Some(status) if status.is_success() => {
                                answered.deliveries.lock().expect("lock").insert(uid);
                            }
                            _ => tokio::time::sleep(Duration::from_millis(10)).await,
                        }
                    }
                }
            })
        })
        .collect()
}

/// Every answered lead and delivery is stored exactly once; answers the stored counts.
async fn assert_each_answered_once(db: &Db, answered: &Answered) -> (i64, i64) {
    let leads = answered.leads.lock().expect("lock").clone();
    let deliveries = answered.deliveries.lock().expect("lock").clone();
    for id in &leads {
        let sql = format!("select count(*) from leads where submission_id = '{id}'");
        assert_eq!(count(db, &sql).await, 1, "lead {id} was answered as stored");
    }
    for uid in &deliveries {
        let sql = format!("select count(*) from booking_events where booking_uid = '{uid}'");
        assert_eq!(count(db, &sql).await, 1, "delivery {uid} was answered 2xx");
    }
    let events = count(db, "select count(*) from booking_events").await;
    let distinct = count(db, "select count(distinct booking_uid) from booking_events").await;
    assert_eq!(events, distinct, "no delivery is logged twice");
    (count(db, "select count(*) from leads").await, events)
}

async fn wait_for_empty_spool(spool: &std::path::Path) {
    for _ in 0..300 {
        let waiting = std::fs::read_dir(spool)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".delivery"))
                    .count()
            })
            .unwrap_or(0);
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the spool did not drain");
}

/// A server on a fresh database of `backend` under 16 clients sending leads and webhooks.
struct Loaded {
    db: TestDb,
    spool: tempfile::TempDir,
    server: ServerProcess,
    shared: Db,
    answered: Arc<Answered>,
    stop: Arc<AtomicBool>,
    load: Vec<tokio::task::JoinHandle<()>>,
}

const LOAD_ENV: [(&str, &str); 2] = [
    ("INTAKE_RATE_LIMIT_PER_HOUR", "0"),
    ("INTAKE_MIN_FILL_SECONDS", "0"),
];

impl Loaded {
    async fn start(backend: Backend) -> Loaded {
        let db = TestDb::new(backend).await;
        let spool = tempfile::tempdir().expect("a spool folder");
        let server = ServerProcess::start(&db, spool.path(), &LOAD_ENV);
        server.wait_until_up().await;
        let shared = db.connect().await;
        let signer = Arc::new(ticket_signer(&shared).await);
        let (answered, stop) = (
            Arc::new(Answered::default()),
            Arc::new(AtomicBool::new(false)),
        );
        let load = spawn_load(
            server.url.clone(),
            signer,
            answered.clone(),
            stop.clone(),
            16,
        );
        Loaded {
            db,
            spool,
            server,
            shared,
            answered,
            stop,
            load,
        }
    }

    async fn stop_load(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for task in self.load.drain(..) {
            task.await.expect("a load task");
        }
    }

    /// Checks every answer against the database and prints the counts.
    async fn report(&self, what: &str) -> (usize, usize) {
        let (leads, events) = assert_each_answered_once(&self.shared, &self.answered).await;
        let answered = (
            self.answered.leads.lock().expect("lock").len(),
            self.answered.deliveries.lock().expect("lock").len(),
        );
        eprintln!(
            "{what}: sent {}, answered 2xx {} leads and {} deliveries; stored {leads} leads \
             and {events} events",
            self.answered.sent.load(Ordering::SeqCst),
            answered.0,
            answered.1,
        );
        answered
    }
}

async fn a_kill_under_leads_and_webhooks_keeps_every_answered_request_exactly_once(
    backend: Backend,
) {
    let mut loaded = Loaded::start(backend).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    loaded.server.kill();
    loaded.stop_load().await;

    // The restarted server replays whatever the killed one had spooled.
    let second = ServerProcess::start(&loaded.db, loaded.spool.path(), &LOAD_ENV);
    second.wait_until_up().await;
    wait_for_empty_spool(loaded.spool.path()).await;
    let (leads, deliveries) = loaded.report(&format!("kill -9 ({backend:?})")).await;
    assert!(leads > 0 && deliveries > 0, "the load ran");
}

async fn sigterm_under_load_finishes_what_it_answers_and_exits_zero(backend: Backend) {
    let mut loaded = Loaded::start(backend).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    loaded.server.terminate();
    let status = loaded.server.exited_within(Duration::from_secs(15)).await;
    loaded.stop_load().await;
    assert!(
        status.is_some_and(|s| s.success()),
        "exits 0 within 15 s: {status:?}"
    );
    let (leads, deliveries) = loaded.report(&format!("SIGTERM ({backend:?})")).await;
    assert!(leads > 0 && deliveries > 0, "the load ran");
}

/// Signs the owner in on `server`; the `Cookie` header value, or the refusal's status.
async fn sign_in(server: &str, password: &str) -> Result<String, StatusCode> {
    let response = client()
        .post(format!("{server}/api/signin"))
        .form(&[("email", OWNER.0), ("password", password)])
        .send()
        .await
        .expect("send");
    response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or(response.status())
}

/// An open live-update stream; `changed` waits for its next change message.
struct Stream(reqwest::Response, String);

impl Stream {
    async fn open(server: &str, cookie: &str) -> Stream {
        let mut stream = Stream(
            client()
                .get(format!("{server}/api/owner/events"))
                .header(header::COOKIE, cookie)
                .send()
                .await
                .expect("the stream opens"),
            String::new(),
        );
        assert_eq!(stream.0.status(), StatusCode::OK);
        assert!(stream.until(": listening", Duration::from_secs(5)).await);
        stream
    }

    /// Whether `marker` arrives within `within` (consumed up to it).
    async fn until(&mut self, marker: &str, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(at) = self.1.find(marker) {
                self.1.drain(..at + marker.len());
                return true;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.0.chunk()).await {
                Ok(Ok(Some(bytes))) => self.1.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return false,
            }
        }
    }

    async fn changed(&mut self) -> bool {
        self.until("data: changed", Duration::from_secs(8)).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_share_leads_limits_and_changes() {
    let db = TestDb::new(Backend::Postgres).await;
    let (spool_a, spool_b) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let env = [
        ("INTAKE_RATE_LIMIT_PER_HOUR", "6"),
        ("INTAKE_MIN_FILL_SECONDS", "0"),
        ("SIGNIN_ATTEMPTS_PER_HOUR", "3"),
    ];
    let a = ServerProcess::start(&db, spool_a.path(), &env);
    let b = ServerProcess::start(&db, spool_b.path(), &env);
    a.wait_until_up().await;
    b.wait_until_up().await;
    let shared = db.connect().await;
    create_or_update_owner(&shared, OWNER.0, OWNER.1.into())
        .await
        .expect("an owner");
    let signer = ticket_signer(&shared).await;

    // A webhook taken by A reaches a dashboard open on B.
    let cookie = sign_in(&b.url, OWNER.1).await.expect("signed in on B");
    let mut dashboard_on_b = Stream::open(&b.url, &cookie).await;
    let lead = seed_lead(&shared).await;
    let facts = booking(&lead, "bk_two_processes", "2026-12-10T09:00:00Z");
    let created = payloads::booking_created(&facts, at("2026-11-30T10:00:00Z"));
    assert_eq!(
        deliver(&client(), &a.url, &created).await,
        Some(StatusCode::OK)
    );
    assert!(
        dashboard_on_b.changed().await,
        "B's dashboard hears A's delivery"
    );

    // Identical deliveries raced to both apply once.
    let cancelled = payloads::booking_cancelled(&facts, Some("Clash"), at("2026-11-30T11:00:00Z"));
    let races = (0..8).map(|n| {
        let server = alternate(n, [&a.url, &b.url]).to_owned();
        let body = cancelled.clone();
        async move { deliver(&client(), &server, &body).await }
    });
    let statuses = futures::future::join_all(races).await;
    assert!(
        statuses.iter().all(|s| *s == Some(StatusCode::OK)),
        "{statuses:?}"
    );
    let cancellations = count(
        &shared,
        "select count(*) from booking_events where trigger_event = 'BOOKING_CANCELLED'",
    )
    .await;
    assert_eq!(cancellations, 1);

    // One submission posted to both at once is one lead.
    let (id, form) = lead_form(&signer, 0);
    let posts = (0..8).map(|n| {
        let server = alternate(n, [&a.url, &b.url]).to_owned();
        let form = form.clone();
        async move { post_lead(&client(), &server, &form).await }
    });
    let stored = futures::future::join_all(posts).await;
    assert!(
        stored.iter().all(|s| *s),
        "every copy is answered as stored"
    );
    let sql = format!("select count(*) from leads where submission_id = '{id}'");
    assert_eq!(count(&shared, &sql).await, 1);

    // The intake limit (6 an hour from one address) holds over both: the lead above, then
    // five of twelve more.
    let mut accepted = 1;
    for n in 1..=12 {
        let server = alternate(n, [&a.url, &b.url]);
        let (id, form) = lead_form(&signer, n);
        if post_lead(&client(), server, &form).await
            && count(
                &shared,
                &format!("select count(*) from leads where submission_id = '{id}'"),
            )
            .await
                == 1
        {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 6, "the limit counts posts to both processes");

    // So does the sign-in limit: three failures spread over both, then even the right
    // password from this address is refused, on either.
    for server in [&a.url, &b.url, &a.url] {
        assert_eq!(
            sign_in(server, "guessing wrongly").await,
            Err(StatusCode::UNAUTHORIZED)
        );
    }
    assert_eq!(
        sign_in(&b.url, OWNER.1).await,
        Err(StatusCode::TOO_MANY_REQUESTS)
    );
    assert_eq!(
        sign_in(&a.url, OWNER.1).await,
        Err(StatusCode::TOO_MANY_REQUESTS)
    );
    drop((a, b));
    shared.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_listen_connection_comes_back_and_open_dashboards_miss_nothing() {
    let db = TestDb::new(Backend::Postgres).await;
    let spool = tempfile::tempdir().expect("a spool folder");
    let server = ServerProcess::start(&db, spool.path(), &[]);
    server.wait_until_up().await;
    let shared = db.connect().await;
    create_or_update_owner(&shared, OWNER.0, OWNER.1.into())
        .await
        .expect("an owner");
    let cookie = sign_in(&server.url, OWNER.1).await.expect("signed in");
    let mut dashboard = Stream::open(&server.url, &cookie).await;

    let database = db
        .url
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_owned();
    let mut terminated = 0;
    for _ in 0..50 {
        terminated = on_pool!(shared.writes(), pool => sqlx::query_scalar::<_, i64>(
            "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity \
             where datname = $1 and query ilike 'listen%') cut",
        )
        .bind(&database)
        .fetch_one(pool)
        .await)
        .expect("terminate");
        if terminated > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(terminated, 1, "the listening connection was found and cut");
    // Reconnected, the server has the dashboard read again (a change may have been missed)…
    assert!(dashboard.changed().await, "a re-read after the reconnect");
    // …and hears changes as before.
    let lead = seed_lead(&shared).await;
    let created = payloads::booking_created(
        &booking(&lead, "bk_after_cut", "2026-12-10T09:00:00Z"),
        at("2026-11-30T10:00:00Z"),
    );
    assert_eq!(
        deliver(&client(), &server.url, &created).await,
        Some(StatusCode::OK)
    );
    assert!(
        dashboard.changed().await,
        "a change after the reconnect arrives"
    );
    shared.close().await;
}
