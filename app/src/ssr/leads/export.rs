//! The CSV export of a list view: RFC 4180, UTF-8, a header row of the reporting contract's
//! column names (plus `created_at_local` and `booking_start_local` in the business's time
//! zone), every cell formula-neutralised (`domain::csv_cell`). Rows are read a keyset page at
//! a time and sent as they are written, so memory stays bounded however many leads match.

use jiff::{tz::TimeZone, Timestamp};
use tokio::sync::mpsc;

use crate::{
    domain::csv_cell::neutralise,
    ssr::{
        db::DbTime,
        leads::list::cursor_after,
        state::AppState,
        store::leads::list::{self, LeadRow, ListFilter},
    },
};

/// The header row.
pub const COLUMNS: [&str; 29] = [
    "submission_id",
    "name",
    "email",
    "company",
    "phone",
    "message",
    "source",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "referrer",
    "landing_path",
    "stage",
    "created_at",
    "created_at_local",
    "invited_at",
    "booking_status",
    "booking_uid",
    "booking_start",
    "booking_start_local",
    "booking_end",
    "attendee_time_zone",
    "location",
    "first_booked_at",
    "reschedule_count",
    "cancellation_reason",
    "last_event",
    "last_event_at",
    "erased_at",
];

/// Leads read (and sent) per chunk.
const PAGE_ROWS: i64 = 1_000;
/// Chunks written ahead of the client.
const CHUNKS_AHEAD: usize = 4;

fn utc(t: Option<DbTime>) -> String {
    t.map(|t| t.timestamp().to_string()).unwrap_or_default()
}

/// An instant as RFC 3339 with the zone's offset (`2026-10-25T02:30:00+01:00`).
fn local(t: Option<DbTime>, zone: &TimeZone) -> String {
    t.map(|t| offset_time(t.timestamp(), zone))
        .unwrap_or_default()
}

pub fn offset_time(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// One lead's cells, in [`COLUMNS`] order, before neutralisation.
pub fn cells(row: &LeadRow, zone: &TimeZone) -> Vec<String> {
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    vec![
        row.submission_id.clone(),
        row.name.clone(),
        row.email.clone(),
        text(&row.company),
        text(&row.phone),
        row.message.clone(),
        row.source.clone(),
        text(&row.utm_source),
        text(&row.utm_medium),
        text(&row.utm_campaign),
        text(&row.referrer),
        text(&row.landing_path),
        row.stage.as_str().to_owned(),
        utc(Some(row.created_at)),
        local(Some(row.created_at), zone),
        utc(row.invited_at),
        row.booking_status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        text(&row.booking_uid),
        utc(row.booking_start),
        local(row.booking_start, zone),
        utc(row.booking_end),
        text(&row.attendee_time_zone),
        text(&row.location),
        utc(row.first_booked_at),
        row.reschedule_count.to_string(),
        text(&row.cancellation_reason),
        text(&row.last_event),
        utc(row.last_event_at),
        utc(row.erased_at),
    ]
}

/// Writes records into a fresh buffer.
fn write<I>(records: I) -> Result<Vec<u8>, std::io::Error>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in records {
        writer.write_record(record.iter().map(|cell| neutralise(cell).into_owned()))?;
    }
    writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Starts writing the export of `filter`; answers the chunks as they are written (the header
/// row first). An error ends the stream (the client sees a cut-off download).
pub fn start(
    state: AppState,
    filter: ListFilter,
) -> mpsc::Receiver<Result<Vec<u8>, std::io::Error>> {
    let (chunks, receiver) = mpsc::channel(CHUNKS_AHEAD);
    tokio::spawn(async move {
        let zone = state.settings.owners.time_zone.clone();
        let header = write([COLUMNS.iter().map(|c| (*c).to_owned()).collect()]);
        if chunks.send(header).await.is_err() {
            return;
        }
        let mut cursor = None;
        loop {
            let rows = match list::page(&state.db, &filter, cursor.as_ref(), PAGE_ROWS).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(%error, "the CSV export stopped");
                    let _ = chunks
                        .send(Err(std::io::Error::other("the export stopped")))
                        .await;
                    return;
                }
            };
            cursor = rows.last().map(cursor_after);
            let full = rows.len() as i64 == PAGE_ROWS;
            let chunk = write(rows.iter().map(|row| cells(row, &zone)));
            // The client went away: stop reading.
            if chunks.send(chunk).await.is_err() || !full {
                return;
            }
        }
    });
    receiver
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_as_rfc_4180_says_and_formulas_neutralised() {
        let out = write([vec![
            "=1+2".to_owned(),
            "a,b".to_owned(),
            "say \"hi\"".to_owned(),
            "+44 20 7946 0000".to_owned(),
        ]])
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "'=1+2,\"a,b\",\"say \"\"hi\"\"\",+44 20 7946 0000\r\n"
        );
    }

    #[test]
    fn local_times_carry_the_zones_offset() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let at: Timestamp = "2026-10-25T00:30:00Z".parse().unwrap();
        assert_eq!(offset_time(at, &berlin), "2026-10-25T02:30:00+02:00");
        let at: Timestamp = "2026-10-25T01:30:00Z".parse().unwrap();
        assert_eq!(offset_time(at, &berlin), "2026-10-25T02:30:00+01:00");
    }
}
