//! `GET /v2/bookings`' query (Cal.com's `GetBookingsInput_2024_08_13`): parsed and checked
//! like its validators, then applied to the store's bookings; unknown parameters are ignored.

use std::{cmp::Ordering, collections::HashMap};

use jiff::{civil::Date, tz::TimeZone, Timestamp};

use crate::booking::{Booking, Status};

pub const DEFAULT_TAKE: usize = 100;
pub const MAX_TAKE: usize = 250;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StatusFilter {
    Upcoming,
    Recurring,
    Past,
    Cancelled,
    Unconfirmed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    Start,
    End,
    Created,
    Updated,
}

/// A checked query.
#[derive(Debug, Default)]
pub struct BookingQuery {
    statuses: Vec<StatusFilter>,
    attendee_email: Option<String>,
    attendee_name: Option<String>,
    booking_uid: Option<String>,
    event_type_ids: Vec<i64>,
    after_start: Option<Timestamp>,
    before_end: Option<Timestamp>,
    after_created: Option<Timestamp>,
    before_created: Option<Timestamp>,
    after_updated: Option<Timestamp>,
    before_updated: Option<Timestamp>,
    sort: Option<(SortKey, bool)>,
    pub take: usize,
    pub skip: usize,
}

/// Parses `params`; `Err` holds one validator message per bad parameter.
pub fn parse(params: &HashMap<String, String>) -> Result<BookingQuery, Vec<String>> {
    let mut errors = Vec::new();
    let get = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut time = |name: &str| {
        get(name).and_then(|text| {
            let parsed = parse_time(text);
            if parsed.is_none() {
                errors.push(format!("{name} must be a valid ISO 8601 date string"));
            }
            parsed
        })
    };
    let mut query = BookingQuery {
        after_start: time("afterStart"),
        before_end: time("beforeEnd"),
        after_created: time("afterCreatedAt"),
        before_created: time("beforeCreatedAt"),
        after_updated: time("afterUpdatedAt"),
        before_updated: time("beforeUpdatedAt"),
        attendee_email: get("attendeeEmail").map(str::to_owned),
        attendee_name: get("attendeeName").map(str::to_owned),
        booking_uid: get("bookingUid").map(str::to_owned),
        take: DEFAULT_TAKE,
        ..BookingQuery::default()
    };
    for status in get("status").into_iter().flat_map(|s| s.split(',')) {
        match status.trim() {
            "upcoming" => query.statuses.push(StatusFilter::Upcoming),
            "recurring" => query.statuses.push(StatusFilter::Recurring),
            "past" => query.statuses.push(StatusFilter::Past),
            "cancelled" => query.statuses.push(StatusFilter::Cancelled),
            "unconfirmed" => query.statuses.push(StatusFilter::Unconfirmed),
            "" => {}
            _ => errors.push(
                "each value in status must be one of the following values: upcoming, recurring, past, cancelled, unconfirmed"
                    .into(),
            ),
        }
    }
    for name in ["eventTypeId", "eventTypeIds"] {
        for id in get(name).into_iter().flat_map(|s| s.split(',')) {
            match id.trim().parse() {
                Ok(id) => query.event_type_ids.push(id),
                Err(_) => errors.push(format!("{name} must be an integer number")),
            }
        }
    }
    for (name, key) in [
        ("sortStart", SortKey::Start),
        ("sortEnd", SortKey::End),
        ("sortCreated", SortKey::Created),
        ("sortUpdatedAt", SortKey::Updated),
    ] {
        let descending = match get(name) {
            None => continue,
            Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                errors.push(format!(
                    "{name} must be one of the following values: asc, desc"
                ));
                continue;
            }
        };
        query.sort = query.sort.or(Some((key, descending)));
    }
    if let Some(take) = get("take") {
        match take.parse::<i64>() {
            Ok(n) if n < 1 => errors.push("take must not be less than 1".into()),
            Ok(n) if n > MAX_TAKE as i64 => {
                errors.push(format!("take must not be greater than {MAX_TAKE}"))
            }
            Ok(n) => query.take = n as usize,
            Err(_) => errors.push("take must be an integer number".into()),
        }
    }
    if let Some(skip) = get("skip") {
        match skip.parse::<i64>() {
            Ok(n) if n < 0 => errors.push("skip must not be less than 0".into()),
            Ok(n) => query.skip = n as usize,
            Err(_) => errors.push("skip must be an integer number".into()),
        }
    }
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(errors)
    }
}

/// An ISO-8601 instant, or a bare date (its UTC midnight), as `IsDateString` accepts.
fn parse_time(text: &str) -> Option<Timestamp> {
    text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<Date>()
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    })
}

impl BookingQuery {
    /// The bookings that match, in the requested order (by id without one).
    pub fn select<'a>(&self, bookings: &'a [Booking], now: Timestamp) -> Vec<&'a Booking> {
        let mut selected: Vec<&Booking> =
            bookings.iter().filter(|b| self.matches(b, now)).collect();
        selected.sort_by(|a, b| self.order(a, b));
        selected
    }

    fn matches(&self, b: &Booking, now: Timestamp) -> bool {
        let at_least = |bound: Option<Timestamp>, t: Timestamp| bound.is_none_or(|x| t >= x);
        let at_most = |bound: Option<Timestamp>, t: Timestamp| bound.is_none_or(|x| t <= x);
        (self.statuses.is_empty() || self.statuses.iter().any(|s| status_matches(*s, b, now)))
            && self
                .attendee_email
                .as_ref()
                .is_none_or(|e| *e == b.attendee.email)
            && self
                .attendee_name
                .as_ref()
                .is_none_or(|n| *n == b.attendee.name)
            && self.booking_uid.as_ref().is_none_or(|u| *u == b.uid)
            && (self.event_type_ids.is_empty()
                || self.event_type_ids.contains(&b.event.event_type_id))
            && at_least(self.after_start, b.start)
            && at_most(self.before_end, b.end)
            && at_least(self.after_created, b.created_at)
            && at_most(self.before_created, b.created_at)
            && at_least(self.after_updated, b.updated_at)
            && at_most(self.before_updated, b.updated_at)
    }

    fn order(&self, a: &Booking, b: &Booking) -> Ordering {
        let Some((key, descending)) = self.sort else {
            return a.id.cmp(&b.id);
        };
        let field = |x: &Booking| match key {
            SortKey::Start => x.start,
            SortKey::End => x.end,
            SortKey::Created => x.created_at,
            SortKey::Updated => x.updated_at,
        };
        let by_field = field(a).cmp(&field(b));
        let by_field = if descending {
            by_field.reverse()
        } else {
            by_field
        };
        by_field.then(a.id.cmp(&b.id))
    }
}

fn status_matches(filter: StatusFilter, b: &Booking, now: Timestamp) -> bool {
    let ended = b.end <= now;
    let gone = matches!(b.status, Status::Cancelled | Status::Rejected);
    match filter {
        StatusFilter::Upcoming => !ended && !gone,
        StatusFilter::Past => ended && !gone,
        StatusFilter::Cancelled => gone,
        StatusFilter::Unconfirmed => b.status == Status::Pending && !ended,
        // The stand-in has no recurring events.
        StatusFilter::Recurring => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_and_bounds_of_take_and_skip() {
        let query = parse(&params(&[("unknown", "x")])).expect("valid");
        assert_eq!((query.take, query.skip), (DEFAULT_TAKE, 0));
        assert!(parse(&params(&[("take", "0")])).is_err());
        assert!(parse(&params(&[("take", "251")])).is_err());
        assert!(parse(&params(&[("skip", "-1")])).is_err());
        assert_eq!(parse(&params(&[("take", "250")])).expect("valid").take, 250);
    }

    #[test]
    fn bad_times_statuses_and_sorts_are_refused_together() {
        let errors = parse(&params(&[
            ("afterStart", "yesterday"),
            ("status", "upcoming,soon"),
            ("sortStart", "up"),
        ]))
        .expect_err("invalid");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(parse(&params(&[("afterStart", "2026-10-01")])).is_ok());
        assert!(parse(&params(&[("afterStart", "2026-10-01T09:00:00.000Z")])).is_ok());
    }

    #[test]
    fn the_first_sort_in_precedence_wins() {
        let query =
            parse(&params(&[("sortUpdatedAt", "asc"), ("sortEnd", "desc")])).expect("valid");
        assert_eq!(query.sort, Some((SortKey::End, true)));
    }
}
