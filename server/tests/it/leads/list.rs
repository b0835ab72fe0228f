//! The list: newest first, each filter on its own and together, search over name, email and
//! company, keyset pages that add up to the whole list, and windows of the business's days.

use reqwest::StatusCode;

use super::{get_json, ids, seed, set_stage, Seed};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend},
};

on_both_backends!(
    the_list_filters_searches_and_pages_newest_first,
    a_berlin_window_holds_the_days_of_the_clock_change,
);

async fn the_list_filters_searches_and_pages_newest_first(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let db = &app.state.db;
    let people = [
        (
            "Ana Kovač",
            "ana@example.com",
            Some("Kovač Physio"),
            "spring",
            "2026-11-01T09:00:00Z",
        ),
        (
            "Ben Ode",
            "ben@odeworks.example",
            None,
            "direct",
            "2026-11-02T09:00:00Z",
        ),
        (
            "Cleo Ray",
            "cleo@example.com",
            Some("Raylight"),
            "spring",
            "2026-11-03T09:00:00Z",
        ),
        (
            "Dan Moss",
            "dan.moss@example.com",
            None,
            "partner",
            "2026-11-04T09:00:00Z",
        ),
        (
            "Eva Lind",
            "eva@lind.example",
            Some("50% Off_Shop"),
            "spring",
            "2026-11-05T09:00:00Z",
        ),
        (
            "Fred Kay",
            "fred@example.com",
            None,
            "direct",
            "2026-11-05T09:00:00Z",
        ),
        (
            "Gus Hill",
            "gus@example.com",
            None,
            "direct",
            "2026-11-20T09:00:00Z",
        ),
    ];
    let mut stored = Vec::new();
    for (name, email, company, source, created_at) in people {
        let id = seed(
            db,
            Seed {
                name,
                email,
                company,
                source,
                created_at,
                ..Seed::default()
            },
        )
        .await;
        stored.push(id);
    }
    set_stage(db, &stored[2], "booked").await;
    set_stage(db, &stored[4], "booked").await;

    // Newest first; two leads created at the same instant are ordered by submission id.
    let (status, all) = get_json(&app, "/api/leads", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let all = ids(&all);
    assert_eq!(all.len(), 7);
    assert_eq!(all[0], stored[6]);
    let (eva, fred) = (&stored[4], &stored[5]);
    let tied: Vec<&String> = all[1..3].iter().collect();
    let mut expected = vec![eva, fred];
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(tied, expected);
    assert_eq!(all[6], stored[0]);

    // Pages of three add up to the whole list, in the same order.
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/leads?limit=3&cursor={c}"),
            None => "/api/leads?limit=3".to_owned(),
        };
        let (status, page) = get_json(&app, &path, Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        paged.extend(ids(&page));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!((paged.clone(), pages), (all.clone(), 3));

    let list = |query: &'static str| {
        let app = &app;
        let cookie = &cookie;
        async move {
            let (status, page) = get_json(app, &format!("/api/leads?{query}"), Some(cookie)).await;
            assert_eq!(status, StatusCode::OK, "{query}: {page}");
            ids(&page)
        }
    };
    let pick = |indexes: &[usize]| -> Vec<String> {
        let mut chosen: Vec<String> = indexes.iter().map(|i| stored[*i].clone()).collect();
        chosen.sort_by_key(|id| all.iter().position(|a| a == id));
        chosen
    };
    assert_eq!(list("source=spring").await, pick(&[0, 2, 4]));
    assert_eq!(list("stage=booked").await, pick(&[2, 4]));
    assert_eq!(list("source=spring&stage=booked").await, pick(&[2, 4]));
    assert_eq!(
        list("from=2026-11-02&to=2026-11-04").await,
        pick(&[1, 2, 3])
    );
    assert_eq!(list("days=3650&source=partner").await, pick(&[3]));
    // Search: name, email and company, any case, substrings, pattern characters literally.
    assert_eq!(list("q=kova").await, pick(&[0]));
    assert_eq!(list("q=ODEWORKS").await, pick(&[1]));
    assert_eq!(list("q=raylight").await, pick(&[2]));
    assert_eq!(list("q=50%25%20off").await, pick(&[4]));
    assert_eq!(list("q=_shop").await, pick(&[4]));
    assert_eq!(list("q=%25").await, pick(&[4]));
    assert_eq!(list("q=example.com&source=direct").await, pick(&[5, 6]));
    assert_eq!(list("q=nobody-here").await, Vec::<String>::new());
    assert_eq!(
        list("q=moss&from=2026-11-01&to=2026-11-30&stage=new").await,
        pick(&[3])
    );

    for bad in [
        "/api/leads?cursor=nonsense",
        "/api/leads?stage=lost",
        "/api/leads?from=2026-11-01",
        "/api/leads?limit=0",
        "/api/leads?from=2026-13-01&to=2026-13-02",
    ] {
        let (status, body) = get_json(&app, bad, Some(&cookie)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"], "bad_request");
    }
}

async fn a_berlin_window_holds_the_days_of_the_clock_change(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[("BUSINESS_TIME_ZONE", "Europe/Berlin")]).await;
    let db = &app.state.db;
    // 25 October 2026 in Berlin (clocks go back at 03:00 CEST): 22:00Z on the 24th up to
    // 23:00Z on the 25th, 25 hours.
    let times = [
        "2026-10-24T21:59:59Z",
        "2026-10-24T22:00:00Z",
        "2026-10-25T00:30:00Z",
        "2026-10-25T01:30:00Z",
        "2026-10-25T22:59:59Z",
        "2026-10-25T23:00:00Z",
    ];
    let mut stored = Vec::new();
    for created_at in times {
        stored.push(
            seed(
                db,
                Seed {
                    created_at,
                    ..Seed::default()
                },
            )
            .await,
        );
    }
    let (status, page) = get_json(
        &app,
        "/api/leads?from=2026-10-25&to=2026-10-25",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let expected: Vec<String> = stored[1..5].iter().rev().cloned().collect();
    assert_eq!(ids(&page), expected);
    assert_eq!(page["time_zone"], "Europe/Berlin");
    // The same wall-clock time twice, once in summer time and once in winter time.
    let local: Vec<&str> = page["leads"]
        .as_array()
        .expect("leads")
        .iter()
        .map(|l| l["created_at_local"].as_str().expect("a local time"))
        .collect();
    assert_eq!(local[2], "Sun 25 Oct 2026, 02:30");
    assert_eq!(local[1], "Sun 25 Oct 2026, 02:30");
    assert_eq!(local[3], "Sun 25 Oct 2026, 00:00");
    let (_, day_before) = get_json(
        &app,
        "/api/leads?from=2026-10-24&to=2026-10-24",
        Some(&cookie),
    )
    .await;
    assert_eq!(ids(&day_before), vec![stored[0].clone()]);
}
