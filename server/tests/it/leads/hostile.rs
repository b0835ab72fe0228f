//! Hostile values the form accepts (markup, scripts, quotes, emoji, each field at its
//! longest) reach every owner view escaped, and the JSON and the CSV intact; what the form
//! refuses (control and bidirectional-override characters) is refused with a message.

use app::domain::{
    csv_cell::restore,
    intake::{validate, Field, IntakeInput, COMPANY_MAX, MESSAGE_MAX, NAME_MAX},
};
use reqwest::header;

use super::{csv_export::export, get_json, seed, Seed};
use crate::{
    on_both_backends,
    support::{owner::signed_in, Backend, TestApp},
};

on_both_backends!(hostile_values_are_escaped_in_every_page_and_intact_in_json_and_csv);

/// `text` padded with `fill` to exactly `chars` characters.
fn padded(text: &str, fill: char, chars: usize) -> String {
    let mut out = text.to_owned();
    while out.chars().count() < chars {
        out.push(fill);
    }
    out
}

/// The page without its `<title>` element.
fn strip_title(html: &str) -> String {
    match (html.find("<title>"), html.find("</title>")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &html[..start], &html[end + "</title>".len()..])
        }
        _ => html.to_owned(),
    }
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> String {
    app.client
        .get(app.url(path))
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("a page")
}

async fn hostile_values_are_escaped_in_every_page_and_intact_in_json_and_csv(backend: Backend) {
    let (app, cookie) = signed_in(backend, &[]).await;
    let input = IntakeInput {
        name: padded(
            r#"<img src=x onerror=alert(1)></title><script>alert(0)</script> "Zoë" O'Brien 😀"#,
            'é',
            NAME_MAX,
        ),
        email: "o'brien+tag@example.com".into(),
        company: padded("</td></tr><script>alert(2)</script> & Co", 'ß', COMPANY_MAX),
        phone: "+1 (555) 010-9999".into(),
        message: padded(
            "<script>alert(3)</script>\n\"quoted\" 'single' & ampersand 👩🏽‍⚕️ =SUM(A1)",
            '字',
            MESSAGE_MAX,
        ),
        consent: true,
    };
    let valid = validate(&input).expect("the form accepts these");
    let id = seed(
        &app.state.db,
        Seed {
            name: &valid.name,
            email: &valid.email,
            company: valid.company.as_deref(),
            phone: valid.phone.as_deref(),
            message: &valid.message,
            created_at: &jiff::Timestamp::now().to_string(),
            ..Seed::default()
        },
    )
    .await;

    // Pages: escaped, never markup.
    for path in ["/leads".to_owned(), format!("/leads/{id}")] {
        let html = page(&app, &path, &cookie).await;
        // A title's text is not markup (RCDATA): it must only not end early.
        assert_eq!(html.matches("</title>").count(), 1, "one title on {path}");
        let html = strip_title(&html);
        for raw in [
            "<img src=x",
            "<script>alert(0)",
            "<script>alert(2)",
            "<script>alert(3)",
            "</td></tr><script>",
        ] {
            assert!(!html.contains(raw), "{raw} unescaped on {path}");
        }
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{path}"
        );
        if path != "/leads" {
            assert!(
                html.contains("&lt;script&gt;alert(3)&lt;/script&gt;"),
                "{path}"
            );
        }
    }

    // JSON: exactly as stored.
    let (_, lead) = get_json(&app, &format!("/api/leads/{id}"), Some(&cookie)).await;
    let fields = &lead["lead"];
    assert_eq!(fields["name"], valid.name.as_str(), "{lead}");
    assert_eq!(
        fields["company"],
        valid.company.as_deref().unwrap_or_default()
    );
    assert_eq!(fields["message"], valid.message.as_str());

    // CSV: RFC 4180, read back to the stored values (formula cells carry the apostrophe).
    let (headers, records) = export(&app, &cookie, "").await;
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let row = records
        .iter()
        .find(|r| r[column("submission_id")] == id)
        .expect("the lead");
    assert_eq!(restore(&row[column("name")]), valid.name);
    assert_eq!(
        restore(&row[column("company")]),
        valid.company.clone().unwrap_or_default()
    );
    assert_eq!(restore(&row[column("message")]), valid.message);

    // One character over any limit, or a control or bidi character, is refused by name.
    let over = IntakeInput {
        name: padded("Ana", 'a', NAME_MAX + 1),
        ..input.clone()
    };
    let refused = validate(&over).expect_err("too long");
    assert!(refused
        .iter()
        .any(|e| e.field == Field::Name && e.message.contains("at most")));
    for sneaky in ["Ana\u{202E}evil", "Ana\u{0}", "Ana\u{1B}[31m"] {
        let refused = validate(&IntakeInput {
            name: sneaky.into(),
            ..input.clone()
        })
        .expect_err("refused");
        assert!(refused.iter().any(|e| e.field == Field::Name), "{sneaky:?}");
    }
}
