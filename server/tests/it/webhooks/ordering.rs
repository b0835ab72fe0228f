//! Out-of-order delivery: whatever order a booking's events arrive in, the lead ends in the
//! same state as when they arrive in order. Events that overtake their booking are held and
//! applied when it becomes known.

use app::ssr::calcom::payloads::{self, BookingFacts};

use super::{at, booking, deliver, lead_booking, seed_lead, LeadBooking};
use crate::on_both_backends;
use crate::support::{spawn_app, Backend, TestApp};

on_both_backends!(
    every_order_of_a_five_event_history_ends_in_the_same_state,
    random_orders_of_an_eight_event_history_end_in_the_same_state,
);

/// A history for one lead, with uids unique to `tag`.
type History = Vec<String>;

fn rescheduled_twice_then_no_show(lead: &str, tag: &str) -> History {
    let a = booking(lead, &format!("{tag}A"), "2026-10-01T09:00:00Z");
    let b = booking(lead, &format!("{tag}B"), "2026-10-02T09:00:00Z");
    let c = booking(lead, &format!("{tag}C"), "2026-10-03T09:00:00Z");
    vec![
        payloads::booking_created(&a, at("2026-09-20T10:00:00.000Z")),
        payloads::booking_rescheduled(&b, &a, at("2026-09-21T10:00:00.000Z")),
        payloads::booking_rescheduled(&c, &b, at("2026-09-22T10:00:00.000Z")),
        payloads::meeting_flat("MEETING_ENDED", &c),
        payloads::no_show_updated(&c, true, at("2026-10-03T10:00:00.000Z")),
    ]
}

fn requested_confirmed_moved_and_unmarked(lead: &str, tag: &str) -> History {
    let a = booking(lead, &format!("{tag}A"), "2026-10-01T09:00:00Z");
    let confirmed = BookingFacts {
        submission_id: None,
        ..a.clone()
    };
    let b = BookingFacts {
        submission_id: None,
        ..booking(lead, &format!("{tag}B"), "2026-10-02T09:00:00Z")
    };
    vec![
        payloads::booking_requested(&a, at("2026-09-20T10:00:00.000Z")),
        payloads::booking_created(&confirmed, at("2026-09-20T12:00:00.000Z")),
        payloads::booking_paid(&confirmed, at("2026-09-20T12:00:01.000Z")),
        payloads::booking_rescheduled(&b, &a, at("2026-09-21T10:00:00.000Z")),
        payloads::meeting_flat("MEETING_STARTED", &b),
        payloads::cal_video_no_show(
            "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
            &b,
            at("2026-10-02T09:05:00.000Z"),
        ),
        payloads::no_show_updated(&b, false, at("2026-10-02T09:20:00.000Z")),
        payloads::meeting_wrapped("MEETING_ENDED", &b, at("2026-10-02T09:30:00.500Z")),
    ]
}

/// Delivers `history` in `order` to a fresh lead; answers the lead's booking with uids
/// stripped of their tag, so runs with different tags compare.
async fn run(
    app: &TestApp,
    build: fn(&str, &str) -> History,
    order: &[usize],
    tag: &str,
) -> LeadBooking {
    let lead = seed_lead(&app.state.db).await;
    let history = build(&lead, tag);
    for &i in order {
        let (status, json) = deliver(app, &history[i]).await;
        assert!(status.is_success(), "{json}");
        assert!(
            json["result"] == "applied" || json["result"] == "queued",
            "{json}"
        );
    }
    let mut row = lead_booking(&app.state.db, &lead).await;
    row.booking_uid = row.booking_uid.map(|u| u.replace(tag, ""));
    row.location = row.location.map(|u| u.replace(tag, ""));
    row
}

async fn every_order_of_a_five_event_history_ends_in_the_same_state(backend: Backend) {
    let app = spawn_app(backend).await;
    let in_order = run(
        &app,
        rescheduled_twice_then_no_show,
        &[0, 1, 2, 3, 4],
        "inorder",
    )
    .await;
    assert_eq!(in_order.stage, "no_show");
    assert_eq!(in_order.reschedule_count, 2);
    assert_eq!(in_order.booking_uid.as_deref(), Some("C"));

    let mut orders = Vec::new();
    permutations(&mut [0, 1, 2, 3, 4], 5, &mut orders);
    assert_eq!(orders.len(), 120);
    for (n, order) in orders.iter().enumerate() {
        let got = run(
            &app,
            rescheduled_twice_then_no_show,
            order,
            &format!("p{n}x"),
        )
        .await;
        assert_eq!(got, in_order, "delivery order {order:?}");
    }
}

async fn random_orders_of_an_eight_event_history_end_in_the_same_state(backend: Backend) {
    let app = spawn_app(backend).await;
    let identity: Vec<usize> = (0..8).collect();
    let in_order = run(
        &app,
        requested_confirmed_moved_and_unmarked,
        &identity,
        "inorder",
    )
    .await;
    assert_eq!(in_order.stage, "completed");
    assert_eq!(in_order.reschedule_count, 1);
    assert_eq!(
        in_order.first_booked_at.map(|t| t.timestamp()),
        Some(at("2026-09-20T12:00:00Z"))
    );

    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for n in 0..40 {
        let mut order = identity.clone();
        for i in (1..order.len()).rev() {
            order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        let got = run(
            &app,
            requested_confirmed_moved_and_unmarked,
            &order,
            &format!("r{n}x"),
        )
        .await;
        assert_eq!(got, in_order, "delivery order {order:?}");
    }
}

/// Heap's algorithm.
fn permutations(items: &mut [usize], k: usize, out: &mut Vec<Vec<usize>>) {
    if k == 1 {
        out.push(items.to_vec());
        return;
    }
    for i in 0..k {
        permutations(items, k - 1, out);
        let j = if k.is_multiple_of(2) { i } else { 0 };
        items.swap(j, k - 1);
    }
}

/// A small deterministic generator, so a failing order can be reproduced.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
