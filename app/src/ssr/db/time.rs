//! Instants as the database stores them: `timestamptz` on PostgreSQL, fixed-width RFC 3339
//! UTC text on SQLite. Both keep microseconds, so a value reads back exactly as written on
//! either backend, and SQLite's text compares in time order.

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};
use sqlx::{
    encode::IsNull,
    error::BoxDynError,
    postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo, PgValueRef},
    sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef},
    Decode, Encode, Postgres, Sqlite, Type,
};
use time::OffsetDateTime;

/// A UTC instant with microsecond precision, bindable and decodable on both backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DbTime(Timestamp);

impl DbTime {
    /// Truncates to whole microseconds, the precision both backends keep.
    pub fn new(ts: Timestamp) -> Self {
        let micros = ts.as_microsecond();
        DbTime(Timestamp::from_microsecond(micros).unwrap_or(ts))
    }

    pub fn now() -> Self {
        Self::new(Timestamp::now())
    }

    pub fn timestamp(self) -> Timestamp {
        self.0
    }

    /// The SQLite text form: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always 27 characters.
    pub fn to_sqlite_text(self) -> String {
        let dt: DateTime = TimeZone::UTC.to_datetime(self.0);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.subsec_nanosecond() / 1_000
        )
    }

    /// Reads RFC 3339 text, and also SQLite's own `YYYY-MM-DD HH:MM:SS` (taken as UTC),
    /// so rows an operator wrote with `datetime('now')` still read.
    pub fn parse_sqlite_text(text: &str) -> Result<Self, BoxDynError> {
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Ok(Self::new(ts));
        }
        let civil: DateTime = text.replace(' ', "T").parse()?;
        Ok(Self::new(TimeZone::UTC.to_timestamp(civil)?))
    }

    fn to_offset_date_time(self) -> Result<OffsetDateTime, BoxDynError> {
        Ok(OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(self.0.as_microsecond()) * 1_000,
        )?)
    }
}

impl From<Timestamp> for DbTime {
    fn from(ts: Timestamp) -> Self {
        Self::new(ts)
    }
}

impl From<DbTime> for Timestamp {
    fn from(value: DbTime) -> Self {
        value.0
    }
}

impl Type<Sqlite> for DbTime {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for DbTime {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.to_sqlite_text(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for DbTime {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Sqlite>>::decode(value)?;
        Self::parse_sqlite_text(text)
    }
}

impl Type<Postgres> for DbTime {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl PgHasArrayType for DbTime {
    fn array_type_info() -> PgTypeInfo {
        <OffsetDateTime as PgHasArrayType>::array_type_info()
    }
}

impl Encode<'_, Postgres> for DbTime {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<'_, Postgres>>::encode(self.to_offset_date_time()?, buf)
    }
}

impl<'r> Decode<'r, Postgres> for DbTime {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let odt = <OffsetDateTime as Decode<'r, Postgres>>::decode(value)?;
        let micros = i64::try_from(odt.unix_timestamp_nanos() / 1_000)?;
        Ok(DbTime(Timestamp::from_microsecond(micros)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DbTime {
        DbTime::new(text.parse().expect("a valid timestamp"))
    }

    #[test]
    fn sqlite_text_has_one_width_and_microseconds() {
        assert_eq!(
            at("2026-03-29T01:02:03Z").to_sqlite_text(),
            "2026-03-29T01:02:03.000000Z"
        );
        assert_eq!(
            at("2026-03-29T01:02:03.123456789+02:00").to_sqlite_text(),
            "2026-03-28T23:02:03.123456Z"
        );
    }

    #[test]
    fn sqlite_text_sorts_like_the_instants() {
        let mut times = [
            at("2026-01-01T00:00:00.5Z"),
            at("2026-01-01T00:00:00Z"),
            at("2025-12-31T23:59:59.999999Z"),
            at("2026-01-01T00:00:00.000001Z"),
        ];
        let mut texts: Vec<String> = times.iter().map(|t| t.to_sqlite_text()).collect();
        times.sort();
        texts.sort();
        let sorted: Vec<String> = times.iter().map(|t| t.to_sqlite_text()).collect();
        assert_eq!(texts, sorted);
    }

    #[test]
    fn sqlite_text_reads_back_exactly() {
        let t = at("2026-07-04T12:34:56.789012Z");
        assert_eq!(DbTime::parse_sqlite_text(&t.to_sqlite_text()).ok(), Some(t));
    }

    #[test]
    fn sqlite_datetime_now_format_reads_as_utc() {
        assert_eq!(
            DbTime::parse_sqlite_text("2026-07-04 12:34:56").ok(),
            Some(at("2026-07-04T12:34:56Z"))
        );
    }

    #[test]
    fn precision_is_cut_to_microseconds() {
        assert_eq!(
            at("2026-07-04T12:34:56.123456999Z"),
            at("2026-07-04T12:34:56.123456Z")
        );
    }
}
