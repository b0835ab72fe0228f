//! The weekly trend of book rate and no-show rate as a server-rendered SVG: axes, labels, a
//! legend, no script. Every known week is a marker, joined to the next known week by a line;
//! a week without a denominator leaves a gap. The markers are what make a lone week visible:
//! a path of a single move has no length and draws nothing.

use leptos::prelude::*;

use super::format;
use crate::wire::dashboard::TrendWeek;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
// Room for half of the latest week's label, centred under the right edge.
const RIGHT: f64 = 28.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

fn x(index: usize, count: usize) -> f64 {
    let span = WIDTH - LEFT - RIGHT;
    if count <= 1 {
        LEFT + span / 2.0
    } else {
        LEFT + span * index as f64 / (count - 1) as f64
    }
}

fn y(rate: f64) -> f64 {
    TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - rate.clamp(0.0, 1.0))
}

/// SVG path data for one series: a move at the start of every run of known weeks.
pub fn path(values: &[Option<f64>]) -> String {
    let mut data = String::new();
    let mut drawing = false;
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) => {
                let command = if drawing { 'L' } else { 'M' };
                data.push_str(&format!("{command}{:.1},{:.1} ", x(i, values.len()), y(*v)));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    data.trim_end().to_owned()
}

/// Where each known week's marker sits.
pub fn markers(values: &[Option<f64>]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, value)| value.map(|v| (x(i, values.len()), y(v))))
        .collect()
}

fn series(class: &'static str, values: &[Option<f64>]) -> impl IntoView {
    let dots = markers(values)
        .into_iter()
        .map(|(cx, cy)| {
            view! {
                <circle
                    class=format!("marker {class}")
                    cx=format!("{cx:.1}")
                    cy=format!("{cy:.1}")
                    r="4"
                />
            }
        })
        .collect_view();
    view! {
        <path class=format!("series {class}") d=path(values) />
        {dots}
    }
}

#[component]
pub fn TrendChart(weeks: Vec<TrendWeek>) -> impl IntoView {
    let book: Vec<Option<f64>> = weeks.iter().map(|w| w.book_rate).collect();
    let no_show: Vec<Option<f64>> = weeks.iter().map(|w| w.no_show_rate).collect();
    let count = weeks.len();
    let label_every = count.div_ceil(6).max(1);
    // Counted back from the latest week, which is always labelled: it is the one people read.
    let x_labels = weeks
        .iter()
        .enumerate()
        .filter(|(i, _)| (count - 1 - i).is_multiple_of(label_every))
        .map(|(i, week)| {
            view! {
                <text class="axis-label" x=format!("{:.1}", x(i, count)) y=format!("{:.1}", HEIGHT - 12.0) text-anchor="middle">
                    {week.from.strftime("%-d %b").to_string()}
                </text>
            }
        })
        .collect_view();
    let y_labels = [0.0, 0.5, 1.0]
        .into_iter()
        .map(|rate| {
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y(rate) y2=y(rate) />
                <text class="axis-label" x=LEFT - 6.0 y=y(rate) + 4.0 text-anchor="end">
                    {format::percent(Some(rate)).replace(".0", "")}
                </text>
            }
        })
        .collect_view();
    let summary = format!(
        "Weekly book rate and no-show rate over {count} weeks from {}.",
        weeks
            .first()
            .map(|w| format::day(w.from))
            .unwrap_or_default()
    );
    let label = summary.clone();
    view! {
        <figure class="trend">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label>
                <title>{summary}</title>
                {y_labels}
                <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM />
                <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM />
                {x_labels}
                {series("book", &book)}
                {series("no-show", &no_show)}
            </svg>
            <figcaption>
                <span class="key book">"Book rate (leads of the week)"</span>
                <span class="key no-show">"No-show rate (slots that ended in the week)"</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_the_line() {
        let d = path(&[Some(0.5), Some(1.0), None, Some(0.0)]);
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 1, "{d}");
        assert_eq!(path(&[None, None]), "");
    }

    fn week(day: i8, book_rate: Option<f64>, no_show_rate: Option<f64>) -> TrendWeek {
        TrendWeek {
            from: jiff::civil::date(2026, 11, day),
            book_rate,
            no_show_rate,
        }
    }

    fn svg(weeks: Vec<TrendWeek>) -> String {
        Owner::new().with(|| view! { <TrendChart weeks /> }.to_html())
    }

    #[test]
    fn a_single_known_week_is_drawn_as_a_visible_marker() {
        let html = svg(vec![
            week(2, None, None),
            week(9, None, None),
            week(16, Some(1.0), None),
        ]);
        assert_eq!(html.matches("<circle").count(), 1, "{html}");
        let circle = html
            .split("<circle")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default();
        for attribute in [
            format!(r#"cx="{:.1}""#, x(2, 3)),
            format!(r#"cy="{:.1}""#, y(1.0)),
            r#"r="4""#.to_owned(),
            r#"class="marker book""#.to_owned(),
        ] {
            assert!(circle.contains(&attribute), "{attribute} in {circle}");
        }
    }

    #[test]
    fn an_isolated_week_between_gaps_gets_a_marker_and_runs_get_lines() {
        let values = [Some(0.5), None, Some(0.25), None, Some(0.0), Some(1.0)];
        assert_eq!(markers(&values).len(), 4);
        let d = path(&values);
        assert_eq!(d.matches('M').count(), 3, "{d}");
        assert_eq!(d.matches('L').count(), 1, "{d}");
        let html = svg(vec![
            week(2, Some(0.5), Some(0.0)),
            week(9, None, None),
            week(16, Some(0.25), None),
        ]);
        assert_eq!(html.matches(r#"class="marker book""#).count(), 2, "{html}");
        assert_eq!(
            html.matches(r#"class="marker no-show""#).count(),
            1,
            "{html}"
        );
    }

    #[test]
    fn the_latest_week_is_always_labelled() {
        let weeks = (0..8)
            .map(|i| TrendWeek {
                from: jiff::civil::date(2026, 10, 5)
                    .checked_add(jiff::Span::new().days(7 * i))
                    .unwrap(),
                book_rate: None,
                no_show_rate: None,
            })
            .collect::<Vec<_>>();
        let html = svg(weeks);
        for label in ["12 Oct", "26 Oct", "9 Nov", "23 Nov"] {
            assert!(html.contains(&format!(">{label}<")), "{label} in {html}");
        }
        assert!(!html.contains(">16 Nov<"), "{html}");
    }

    #[test]
    fn rates_map_onto_the_plot_area() {
        assert_eq!(y(1.0), TOP);
        assert_eq!(y(0.0), HEIGHT - BOTTOM);
        assert_eq!(x(0, 5), LEFT);
        assert_eq!(x(4, 5), WIDTH - RIGHT);
    }
}
