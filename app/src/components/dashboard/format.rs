//! Numbers as the dashboard writes them. A rate with no denominator is "—", never 0 % or NaN.

use jiff::civil::Date;

use crate::domain::metrics::Window;

pub const NONE: &str = "—";

/// `0.425` → "42.5 %".
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| NONE.to_owned(), |r| format!("{:.1} %", r * 100.0))
}

/// Signed numbers with the minus sign ("−3"), not a hyphen, as durations write it too.
fn minus_sign(text: String) -> String {
    text.replace('-', "−")
}

/// A change in percentage points: "+3.1 pp", "−2.0 pp".
pub fn points(delta: Option<f64>) -> String {
    delta.map_or_else(|| NONE.to_owned(), |d| minus_sign(format!("{d:+.1} pp")))
}

/// A count's change: "+5 (+12.5 %)", or "+5" when there was nothing before.
pub fn count_change(delta: i64, delta_pct: Option<f64>) -> String {
    minus_sign(match delta_pct {
        Some(pct) => format!("{delta:+} ({pct:+.1} %)"),
        None => format!("{delta:+}"),
    })
}

/// A duration in seconds, in the unit that reads best: "45 min", "3.5 h", "2.1 days".
pub fn duration(seconds: Option<f64>) -> String {
    let Some(s) = seconds else {
        return NONE.to_owned();
    };
    let sign = if s < 0.0 { "−" } else { "" };
    let s = s.abs();
    if s < 3_600.0 {
        format!("{sign}{:.0} min", s / 60.0)
    } else if s < 2.0 * 86_400.0 {
        format!("{sign}{:.1} h", s / 3_600.0)
    } else {
        format!("{sign}{:.1} days", s / 86_400.0)
    }
}

/// "1 Nov 2026".
pub fn day(date: Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

/// "1 Nov – 30 Nov 2026 (30 days)".
pub fn window(window: &Window) -> String {
    format!(
        "{} – {} ({} days)",
        day(window.from),
        day(window.to),
        window.days()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_without_a_denominator_are_a_dash() {
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(0.0)), "0.0 %");
        assert_eq!(percent(Some(0.4251)), "42.5 %");
        assert_eq!(points(Some(3.06)), "+3.1 pp");
        assert_eq!(points(Some(-2.0)), "−2.0 pp");
        assert_eq!(points(None), "—");
    }

    #[test]
    fn changes_and_durations_read_naturally() {
        assert_eq!(count_change(5, Some(12.5)), "+5 (+12.5 %)");
        assert_eq!(count_change(-3, None), "−3");
        assert_eq!(count_change(-2, Some(-40.0)), "−2 (−40.0 %)");
        assert_eq!(duration(Some(1_800.0)), "30 min");
        assert_eq!(duration(Some(12_600.0)), "3.5 h");
        assert_eq!(duration(Some(259_200.0)), "3.0 days");
        assert_eq!(duration(Some(-7_200.0)), "−2.0 h");
        assert_eq!(duration(None), "—");
    }
}
