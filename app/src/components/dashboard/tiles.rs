//! The number tiles: each value with the prior period's, the change, and the exact formula
//! (shown on hover and on keyboard focus).

use leptos::prelude::*;

use super::format;
use crate::{
    domain::metrics::{CountChange, RateChange, SecondsChange},
    wire::dashboard::DashboardReport,
};

/// One tile: what it measures, its value now, the comparison line and the formula.
struct Tile {
    key: &'static str,
    label: &'static str,
    value: String,
    change: String,
    formula: String,
    /// Completed/no-show figures while the webhook feed is unhealthy.
    needs_confirm: bool,
}

fn count_tile(
    key: &'static str,
    label: &'static str,
    c: &CountChange,
    what: &str,
    report: &DashboardReport,
) -> Tile {
    Tile {
        key,
        label,
        value: c.current.to_string(),
        change: format!(
            "{} vs {} before",
            format::count_change(c.delta, c.delta_pct),
            c.prior
        ),
        formula: format!(
            "{label} = {what}, {} ({}); prior period {} ({}).",
            format::window(&report.window),
            c.current,
            format::window(&report.prior),
            c.prior
        ),
        needs_confirm: false,
    }
}

fn rate_tile(
    key: &'static str,
    label: &'static str,
    r: &RateChange,
    numerator: &str,
    denominator: &str,
    report: &DashboardReport,
) -> Tile {
    Tile {
        key,
        label,
        value: format::percent(r.current),
        change: format!(
            "{} vs {} before",
            format::points(r.delta_pp),
            format::percent(r.prior)
        ),
        formula: format!(
            "{label} = {numerator} ÷ {denominator}. {}: {} ÷ {}; prior period {}: {} ÷ {}.",
            format::window(&report.window),
            r.current_ratio.numerator,
            r.current_ratio.denominator,
            format::window(&report.prior),
            r.prior_ratio.numerator,
            r.prior_ratio.denominator,
        ),
        needs_confirm: false,
    }
}

fn seconds_tile(
    key: &'static str,
    label: &'static str,
    s: &SecondsChange,
    percentile: &str,
    report: &DashboardReport,
) -> Tile {
    Tile {
        key,
        label,
        value: format::duration(s.current),
        change: format!(
            "{} vs {} before",
            s.delta.map_or_else(|| format::NONE.to_owned(), |d| {
                let text = format::duration(Some(d));
                if d >= 0.0 { format!("+{text}") } else { text }
            }),
            format::duration(s.prior)
        ),
        formula: format!(
            "{label} = the {percentile} of (first booking created − lead created) over leads created {} that booked (continuous percentile); prior period {}.",
            format::window(&report.window),
            format::window(&report.prior),
        ),
        needs_confirm: false,
    }
}

fn tiles(report: &DashboardReport) -> Vec<Tile> {
    let m = &report.metrics;
    let untrusted = report.data_trust.needs_manual_confirm;
    let mut tiles = vec![
        count_tile("leads", "Leads", &m.leads, "leads created", report),
        rate_tile(
            "book_rate",
            "Book rate",
            &m.book_rate,
            "leads with a booking",
            "leads created in the window",
            report,
        ),
        seconds_tile(
            "time_to_book_p50",
            "Time to book (median)",
            &m.time_to_book_p50_seconds,
            "median",
            report,
        ),
        seconds_tile(
            "time_to_book_p90",
            "Time to book (p90)",
            &m.time_to_book_p90_seconds,
            "90th percentile",
            report,
        ),
        rate_tile(
            "reschedule_rate",
            "Reschedule rate",
            &m.reschedule_rate,
            "bookings rescheduled at least once",
            "bookings of leads created in the window",
            report,
        ),
        rate_tile(
            "cancellation_rate",
            "Cancellation rate",
            &m.cancellation_rate,
            "bookings now cancelled",
            "bookings of leads created in the window",
            report,
        ),
        rate_tile(
            "no_show_rate",
            "No-show rate",
            &m.no_show_rate,
            "bookings whose slot ended in the window marked no-show",
            "those marked no-show or completed",
            report,
        ),
        rate_tile(
            "outcome_coverage",
            "Outcome coverage",
            &m.outcome_coverage,
            "bookings whose slot ended in the window with an outcome (completed or no-show)",
            "bookings whose slot ended in the window, not cancelled",
            report,
        ),
    ];
    for tile in &mut tiles {
        tile.needs_confirm = untrusted && matches!(tile.key, "no_show_rate" | "outcome_coverage");
    }
    tiles
}

fn funnel_tiles(report: &DashboardReport) -> Vec<Tile> {
    let f = &report.metrics.funnel;
    let untrusted = report.data_trust.needs_manual_confirm;
    let mut tiles = vec![
        count_tile(
            "funnel_invited",
            "Invited",
            &f.invited,
            "leads created that reached the booking page",
            report,
        ),
        count_tile(
            "funnel_booked",
            "Booked",
            &f.booked,
            "leads created that Cal.com booked",
            report,
        ),
        count_tile(
            "funnel_rescheduled",
            "Rescheduled",
            &f.rescheduled,
            "booked leads created that rescheduled at least once",
            report,
        ),
        count_tile(
            "funnel_completed",
            "Completed",
            &f.completed,
            "leads created whose booking is completed",
            report,
        ),
        count_tile(
            "funnel_cancelled",
            "Cancelled",
            &f.cancelled,
            "leads created whose booking is cancelled",
            report,
        ),
        count_tile(
            "funnel_no_show",
            "No-show",
            &f.no_show,
            "leads created whose booking is a no-show",
            report,
        ),
    ];
    for tile in &mut tiles {
        tile.needs_confirm = untrusted && matches!(tile.key, "funnel_completed" | "funnel_no_show");
    }
    tiles
}

fn tile_view(tile: Tile) -> impl IntoView {
    let formula_id = format!("formula-{}", tile.key);
    let described_by = formula_id.clone();
    view! {
        <div class="tile" tabindex="0" data-tile=tile.key aria-describedby=described_by>
            <span class="tile-label">{tile.label}</span>
            <span class="tile-value">{tile.value}</span>
            <span class="tile-change">{tile.change}</span>
            {tile.needs_confirm.then(|| view! { <span class="tile-flag">"needs manual confirm"</span> })}
            <span class="formula" role="tooltip" id=formula_id>{tile.formula}</span>
        </div>
    }
}

#[component]
pub fn Tiles(report: DashboardReport) -> impl IntoView {
    view! {
        <section class="tiles" aria-label="Key numbers">
            {tiles(&report).into_iter().map(tile_view).collect_view()}
        </section>
        <h2>"Funnel"</h2>
        <section class="tiles funnel" aria-label="Funnel">
            {funnel_tiles(&report).into_iter().map(tile_view).collect_view()}
        </section>
    }
}
