use jiff::{civil::date, Timestamp};

use super::*;
use crate::domain::booking::Stage;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn lead(created: &str) -> LeadFacts {
    LeadFacts {
        submission_id: created.into(),
        source: "direct".into(),
        stage: Stage::New,
        created_at: at(created),
        invited_at: None,
        first_booked_at: None,
        booking_end: None,
        reschedule_count: 0,
        last_event_at: None,
    }
}

fn booked(created: &str, first_booked: &str, end: &str, stage: Stage) -> LeadFacts {
    LeadFacts {
        stage,
        invited_at: Some(at(created)),
        first_booked_at: Some(at(first_booked)),
        booking_end: Some(at(end)),
        ..lead(created)
    }
}

fn november() -> Period {
    Window::new(date(2026, 11, 1), date(2026, 11, 30))
        .unwrap()
        .period(&jiff::tz::TimeZone::UTC)
}

#[test]
fn percentiles_interpolate_like_postgres() {
    // select percentile_cont(0.5) within group (order by x) from unnest(array[1,2,3,4]) x; → 2.5
    assert_eq!(percentile_cont(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
    // percentile_cont(0.9) of 1..=4 → 3.7
    let p90 = percentile_cont(&[1.0, 2.0, 3.0, 4.0], 0.9).unwrap();
    assert!((p90 - 3.7).abs() < 1e-9, "{p90}");
    assert_eq!(percentile_cont(&[7.0], 0.9), Some(7.0));
    assert_eq!(percentile_cont(&[], 0.5), None);
}

#[test]
fn an_empty_window_has_no_rates() {
    let metrics = compute(&[], &november(), None);
    assert_eq!(metrics.leads, 0);
    for ratio in [
        metrics.book_rate,
        metrics.reschedule_rate,
        metrics.cancellation_rate,
        metrics.no_show_rate,
        metrics.outcome_coverage,
    ] {
        assert_eq!(ratio.value(), None);
    }
    assert_eq!(metrics.time_to_book_p50_seconds, None);
}

#[test]
fn the_cohort_is_the_leads_created_in_the_window() {
    let leads = [
        booked(
            "2026-11-02T10:00:00Z",
            "2026-11-02T10:30:00Z",
            "2026-11-09T10:30:00Z",
            Stage::Completed,
        ),
        booked(
            "2026-11-03T10:00:00Z",
            "2026-11-03T12:00:00Z",
            "2026-11-10T10:30:00Z",
            Stage::NoShow,
        ),
        LeadFacts {
            reschedule_count: 2,
            ..booked(
                "2026-11-04T10:00:00Z",
                "2026-11-05T10:00:00Z",
                "2026-12-10T10:30:00Z",
                Stage::Cancelled,
            )
        },
        LeadFacts {
            invited_at: Some(at("2026-11-05T10:01:00Z")),
            ..lead("2026-11-05T10:00:00Z")
        },
        lead("2026-10-31T23:59:59Z"),
    ];
    let m = compute(&leads, &november(), None);
    assert_eq!(m.leads, 4);
    assert_eq!(
        m.book_rate,
        Ratio {
            numerator: 3,
            denominator: 4
        }
    );
    // Waits: 1800 s, 7200 s, 86400 s.
    assert_eq!(m.time_to_book_p50_seconds, Some(7200.0));
    assert!((m.time_to_book_p90_seconds.unwrap() - (7200.0 + 0.8 * 79200.0)).abs() < 1e-6);
    assert_eq!(
        m.reschedule_rate,
        Ratio {
            numerator: 1,
            denominator: 3
        }
    );
    assert_eq!(
        m.cancellation_rate,
        Ratio {
            numerator: 1,
            denominator: 3
        }
    );
    // Slots ending in November: the completed and the no-show one.
    assert_eq!(
        m.no_show_rate,
        Ratio {
            numerator: 1,
            denominator: 2
        }
    );
    assert_eq!(
        m.outcome_coverage,
        Ratio {
            numerator: 2,
            denominator: 2
        }
    );
    assert_eq!(
        m.funnel,
        Funnel {
            invited: 4,
            booked: 3,
            rescheduled: 1,
            completed: 1,
            cancelled: 1,
            no_show: 1
        }
    );
}

#[test]
fn outcomes_count_by_when_the_slot_ended_not_when_the_lead_came() {
    let leads = [
        // An October lead whose November slot has no outcome yet.
        booked(
            "2026-10-20T10:00:00Z",
            "2026-10-21T10:00:00Z",
            "2026-11-02T10:00:00Z",
            Stage::Booked,
        ),
        booked(
            "2026-10-20T10:00:00Z",
            "2026-10-21T10:00:00Z",
            "2026-11-03T10:00:00Z",
            Stage::NoShow,
        ),
    ];
    let m = compute(&leads, &november(), None);
    assert_eq!(m.leads, 0);
    assert_eq!(m.book_rate.value(), None);
    assert_eq!(
        m.no_show_rate,
        Ratio {
            numerator: 1,
            denominator: 1
        }
    );
    assert_eq!(
        m.outcome_coverage,
        Ratio {
            numerator: 1,
            denominator: 2
        }
    );
}

#[test]
fn a_source_filter_narrows_every_number() {
    let mut spring = booked(
        "2026-11-02T10:00:00Z",
        "2026-11-02T11:00:00Z",
        "2026-11-09T10:00:00Z",
        Stage::NoShow,
    );
    spring.source = "spring".into();
    let leads = [spring, lead("2026-11-03T10:00:00Z")];
    let m = compute(&leads, &november(), Some("spring"));
    assert_eq!(m.leads, 1);
    assert_eq!(m.book_rate.value(), Some(1.0));
    assert_eq!(m.no_show_rate.value(), Some(1.0));
    let none = compute(&leads, &november(), Some("nowhere"));
    assert_eq!(none.leads, 0);
    assert_eq!(none.no_show_rate.value(), None);
}

#[test]
fn cancelled_and_rejected_bookings_had_no_meeting_to_cover() {
    let ended = |stage| {
        booked(
            "2026-10-20T10:00:00Z",
            "2026-10-21T10:00:00Z",
            "2026-11-02T10:00:00Z",
            stage,
        )
    };
    let leads = [
        ended(Stage::Completed),
        ended(Stage::Booked),
        ended(Stage::Cancelled),
        // Booked, then a reschedule request the host rejected.
        ended(Stage::Rejected),
    ];
    let m = compute(&leads, &november(), None);
    assert_eq!(
        m.outcome_coverage,
        Ratio {
            numerator: 1,
            denominator: 2
        }
    );
}
