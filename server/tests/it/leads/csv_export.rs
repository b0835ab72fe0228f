//! The CSV export: the same view as the list, streamed across keyset pages, RFC 4180 that the
//! `csv` crate reads back to the stored values (after the documented apostrophe comes off),
//! with formula cells neutralised and plain numbers left alone.

use app::{domain::csv_cell::restore, ssr::leads::export::COLUMNS};
use reqwest::{header, StatusCode};

use super::{seed, Seed};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend, TestApp},
};

on_both_backends!(
    the_export_reads_back_to_the_stored_leads_with_formulas_neutralised,
    the_export_streams_every_lead_of_the_view_across_pages,
    the_export_compressed_as_a_browser_asks_for_it_arrives_whole,
);

/// Browsers ask for compression; the compressed stream must end cleanly, not abort.
async fn the_export_compressed_as_a_browser_asks_for_it_arrives_whole(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    seed(&app.state.db, Seed::default()).await;
    let response = app
        .client
        .get(app.url("/api/leads?format=csv"))
        .header(header::COOKIE, &cookie)
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key(header::CONTENT_ENCODING));
    let body = response.bytes().await.expect("the whole compressed body");
    assert!(!body.is_empty());
}

/// `GET /api/leads?{query}&format=csv`: the response's headers checked, its records.
pub(super) async fn export(
    app: &TestApp,
    cookie: &str,
    query: &str,
) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let response = app
        .client
        .get(app.url(&format!("/api/leads?{query}&format=csv")))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(text(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    let disposition = text(header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\"leads-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".csv\""), "{disposition}");
    let body = response.bytes().await.expect("a body");
    let mut reader = csv::Reader::from_reader(body.as_ref());
    let headers = reader.headers().expect("a header row").clone();
    let records = reader
        .records()
        .map(|r| r.expect("an RFC 4180 record"))
        .collect();
    (headers, records)
}

async fn the_export_reads_back_to_the_stored_leads_with_formulas_neutralised(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("BUSINESS_TIME_ZONE", "Europe/Berlin")]).await;
    let db = &app.state.db;
    let tricky = Seed {
        name: "=HYPERLINK(\"http://evil.example\",\"click\")",
        email: "@evil@example.com",
        company: Some("-2+3"),
        phone: Some("+44 20 7946 0000"),
        message: "Line one, \"quoted\"\nline two\r\n\tand a tab; ünïcødé ✓",
        source: "spring",
        created_at: "2026-10-25T00:30:00Z",
    };
    let plain = Seed {
        name: "Ana Kovač",
        company: Some("-12.5"),
        phone: Some("+385912345678"),
        source: "spring",
        created_at: "2026-10-25T01:30:00Z",
        ..Seed::default()
    };
    let tricky_id = seed(db, tricky.clone()).await;
    let plain_id = seed(db, plain.clone()).await;
    seed(
        db,
        Seed {
            source: "other",
            ..Seed::default()
        },
    )
    .await;

    let (headers, records) = export(&app, &cookie, "source=spring").await;
    assert_eq!(headers.iter().collect::<Vec<_>>(), COLUMNS.to_vec());
    assert_eq!(records.len(), 2);
    let column = |name: &str| COLUMNS.iter().position(|c| *c == name).expect("a column");
    let cell = |record: &csv::StringRecord, name: &str| {
        record.get(column(name)).unwrap_or_default().to_owned()
    };
    let (plain_row, tricky_row) = (&records[0], &records[1]);
    assert_eq!(cell(plain_row, "submission_id"), plain_id);
    assert_eq!(cell(tricky_row, "submission_id"), tricky_id);

    // Formula cells carry the apostrophe; removing it gives back what was stored.
    assert!(cell(tricky_row, "name").starts_with("'="));
    assert_eq!(cell(tricky_row, "email"), format!("'{}", tricky.email));
    assert_eq!(cell(tricky_row, "company"), "'-2+3");
    for (name, stored) in [
        ("name", tricky.name),
        ("email", tricky.email),
        ("company", "-2+3"),
        ("phone", "+44 20 7946 0000"),
        ("message", tricky.message),
    ] {
        assert_eq!(restore(&cell(tricky_row, name)), stored, "{name}");
    }
    // Numbers and phone numbers are data, left alone.
    assert_eq!(cell(tricky_row, "phone"), "+44 20 7946 0000");
    assert_eq!(cell(plain_row, "company"), "-12.5");
    assert_eq!(cell(plain_row, "phone"), "+385912345678");
    assert_eq!(cell(plain_row, "name"), "Ana Kovač");
    // UTC, and the business's wall-clock time with its offset (either side of the change).
    assert_eq!(cell(tricky_row, "created_at"), "2026-10-25T00:30:00Z");
    assert_eq!(
        cell(tricky_row, "created_at_local"),
        "2026-10-25T02:30:00+02:00"
    );
    assert_eq!(
        cell(plain_row, "created_at_local"),
        "2026-10-25T02:30:00+01:00"
    );
    assert_eq!(cell(plain_row, "stage"), "new");
    assert_eq!(cell(plain_row, "reschedule_count"), "0");
    assert_eq!(cell(plain_row, "booking_start_local"), "");
}

async fn the_export_streams_every_lead_of_the_view_across_pages(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let db = &app.state.db;
    let start: jiff::Timestamp = "2026-06-01T00:00:00Z".parse().expect("a time");
    let mut stored = Vec::new();
    for i in 0..2_105_i64 {
        let created_at = start
            .checked_add(jiff::SignedDuration::from_secs(i * 60))
            .expect("a time")
            .to_string();
        let source = if i % 2 == 0 { "even" } else { "odd" };
        stored.push(
            seed(
                db,
                Seed {
                    source,
                    created_at: &created_at,
                    ..Seed::default()
                },
            )
            .await,
        );
    }
    let (_, records) = export(&app, &cookie, "").await;
    let exported: Vec<String> = records.iter().map(|r| r[0].to_owned()).collect();
    let newest_first: Vec<String> = stored.iter().rev().cloned().collect();
    assert_eq!(exported, newest_first);
    let (_, even) = export(&app, &cookie, "source=even").await;
    assert_eq!(even.len(), 1_053);
    // A search that matches thousands of leads pages like the list (on SQLite it walks the
    // list in order instead of sorting every match).
    let (status, page) = super::get_json(&app, "/api/leads?q=kova&limit=5", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(super::ids(&page), newest_first[..5].to_vec());
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let (_, next) = super::get_json(
        &app,
        &format!("/api/leads?q=kova&limit=5&cursor={cursor}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(super::ids(&next), newest_first[5..10].to_vec());
}
