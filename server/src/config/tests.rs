use std::time::Duration;

use app::ssr::db::DbTarget;
use leptos::config::Env;
use secrecy::ExposeSecret;

use super::{source::read_dotenv, Config, ConfigError, LogFormat, Source};

const REQUIRED: [(&str, &str); 2] = [
    ("CAL_WEBHOOK_SECRETS", "whsec-one-sixteen-chars"),
    ("CAL_LINK", "acme/intro"),
];

fn config_with(extra: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
    let source = Source::from_pairs(REQUIRED.iter().chain(extra.iter()).copied());
    Config::from_source(&source)
}

fn error_variable(extra: &[(&'static str, &'static str)]) -> String {
    match config_with(extra) {
        Ok(_) => panic!("expected {extra:?} to be refused"),
        Err(e) => e.variable,
    }
}

#[test]
fn the_two_required_variables_are_enough() {
    let config = config_with(&[]).expect("valid");
    assert_eq!(config.database, DbTarget::default_sqlite());
    assert_eq!(config.leptos.site_addr.to_string(), "127.0.0.1:3000");
    assert_eq!(config.settings.cal.link, "acme/intro");
    assert_eq!(config.settings.cal.origins, vec!["https://cal.com"]);
    assert_eq!(
        config.settings.cal.embed_script_url,
        "https://app.cal.com/embed/embed.js"
    );
    assert_eq!(config.request_timeout, Duration::from_secs(30));
    assert_eq!(config.settings.intake.min_fill, Duration::from_secs(3));
    assert_eq!(config.settings.intake.rate_limit_per_hour, 20);
    assert_eq!(config.settings.intake.trusted_proxy_hops, 0);
}

#[test]
fn a_missing_required_variable_is_named() {
    for (missing, _) in REQUIRED {
        let source = Source::from_pairs(REQUIRED.iter().copied().filter(|(k, _)| *k != missing));
        let error = Config::from_source(&source).expect_err("refused");
        assert_eq!(error.variable, missing);
        assert!(error.to_string().starts_with(missing));
    }
}

#[test]
fn invalid_values_are_named() {
    let cases: &[(&str, &str)] = &[
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_MAX_CONNECTIONS", "0"),
        ("DATABASE_MAX_CONNECTIONS", "many"),
        ("LEPTOS_SITE_ADDR", "localhost"),
        ("LEPTOS_ENV", "staging"),
        ("CAL_LINK", "https://cal.com/acme/intro"),
        ("CAL_LINK", "/acme/intro"),
        ("CAL_ORIGIN", "https://cal.com/"),
        ("CAL_ORIGIN", "https://cal.com,ftp://files.example.com"),
        ("CAL_EMBED_SCRIPT_URL", "embed.js"),
        ("CAL_WEBHOOK_SECRETS", "one,,two"),
        ("CAL_WEBHOOK_SECRETS", "short-secret"),
        ("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret,short"),
        ("PUBLIC_URL", "book.acme.example"),
        ("PUBLIC_URL", "https://acme.example/book"),
        ("PUBLIC_URL", "ftp://acme.example"),
        ("SIGNIN_SLOWDOWN_SECONDS", "31"),
        ("REQUEST_TIMEOUT_SECONDS", "0"),
        ("INTAKE_MIN_FILL_SECONDS", "-1"),
        ("WEBHOOK_MAX_BODY_BYTES", "10"),
        ("WEBHOOK_FAILURE_QUEUE_MAX_ROWS", "0"),
        ("WEBHOOK_FAILURE_QUEUE_MAX_BYTES", "x"),
        ("INTAKE_RATE_LIMIT_PER_HOUR", "lots"),
        ("TRUSTED_PROXY_HOPS", "99"),
        ("LOG_FORMAT", "xml"),
        ("BUSINESS_TIME_ZONE", "Mars/Olympus"),
        ("BUSINESS_TIME_ZONE", "+02:00"),
    ];
    for (variable, value) in cases {
        let named = error_variable(&[(variable, value)]);
        assert_eq!(named, *variable, "{variable}={value}");
    }
}

#[test]
fn an_https_public_url_makes_the_site_https_only() {
    let config = config_with(&[("PUBLIC_URL", "https://book.acme.example/")]).expect("valid");
    assert_eq!(
        config.settings.site.public_origin.as_deref(),
        Some("https://book.acme.example")
    );
    assert!(config.settings.site.is_https());
    let plain = config_with(&[("PUBLIC_URL", "http://127.0.0.1:3000")]).expect("valid");
    assert!(!plain.settings.site.is_https());
    assert!(!config_with(&[]).expect("valid").settings.site.is_https());
}

#[test]
fn a_short_webhook_secret_is_refused_by_name() {
    let error = config_with(&[("CAL_WEBHOOK_SECRETS", "fifteen-chars!!")])
        .expect_err("too short")
        .to_string();
    assert!(error.starts_with("CAL_WEBHOOK_SECRETS"), "{error}");
    assert!(error.contains("shorter than 16"), "{error}");
    assert!(
        !error.contains("fifteen-chars"),
        "the secret is not echoed: {error}"
    );
}

#[test]
fn several_origins_and_secrets_are_accepted() {
    let config = config_with(&[
        ("CAL_ORIGIN", "https://cal.com, http://127.0.0.1:4010"),
        (
            "CAL_WEBHOOK_SECRETS",
            "old-secret-0123456789, new-secret-0123456789",
        ),
    ])
    .expect("valid");
    assert_eq!(
        config.settings.cal.origins,
        vec!["https://cal.com", "http://127.0.0.1:4010"]
    );
    assert_eq!(config.settings.webhook.secrets.len(), 2);
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let config = config_with(&[
        ("CAL_WEBHOOK_SECRETS", "whsec-topsecret-1,whsec-topsecret-2"),
        (
            "DATABASE_URL",
            "postgres://app:pg-password@db.example.com/app",
        ),
    ])
    .expect("valid");
    let source = Source::from_pairs([
        ("CAL_WEBHOOK_SECRETS", "whsec-topsecret-1"),
        ("OWNER_PASSWORD", "owner-topsecret"),
    ]);
    for printed in [format!("{config:?}"), format!("{source:?}")] {
        for secret in ["whsec-topsecret", "pg-password", "owner-topsecret"] {
            assert!(!printed.contains(secret), "{secret} leaked: {printed}");
        }
    }
}

#[test]
fn a_dotenv_file_may_only_set_known_variables() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".env");
    std::fs::write(&path, "CAL_LINK=acme/intro\nCAL_LNIK=typo/here\n").expect("write");
    let error = read_dotenv(&path).expect_err("typo refused");
    assert_eq!(error.variable, "CAL_LNIK");

    std::fs::write(&path, "CAL_LINK=acme/intro\n# a comment\nLOG_FORMAT=json\n").expect("write");
    let vars = read_dotenv(&path).expect("valid");
    assert_eq!(vars.get("LOG_FORMAT").map(String::as_str), Some("json"));
}

#[test]
fn unset_variables_take_their_defaults() {
    let config = config_with(&[]).expect("valid");
    assert_eq!(config.pool.max_connections, 16);
    assert_eq!(&*config.leptos.site_root, "target/site");
    assert_eq!(&*config.leptos.site_pkg_dir, "pkg");
    assert_eq!(&*config.leptos.output_name, "handoff");
    assert_eq!(config.leptos.env, Env::PROD);
    assert_eq!(config.leptos.reload_port, 3001);
    let webhook = &config.settings.webhook;
    assert_eq!(webhook.max_body_bytes, 1_048_576);
    assert_eq!(webhook.failure_limits.max_rows, 10_000);
    assert_eq!(webhook.failure_limits.max_bytes, 67_108_864);
    let owners = &config.settings.owners;
    assert_eq!(owners.session_hours, 12);
    assert_eq!(owners.signin.per_account_and_address, 10);
    assert_eq!(owners.signin.per_address, 30);
    assert_eq!(owners.signin.account_slowdown_after, 50);
    assert_eq!(owners.signin.slowdown, std::time::Duration::from_secs(2));
    assert_eq!(owners.feed_stale_hours, 48);
    assert_eq!(owners.time_zone, jiff::tz::TimeZone::UTC);
    assert!(config.first_owner.is_none());
    assert_eq!(config.log_format, LogFormat::Text);
    assert_eq!(config.log_filter, "info");
}

#[test]
fn numbers_are_accepted_exactly_within_their_ranges() {
    let ranges: &[(&str, i128, i128)] = &[
        ("DATABASE_MAX_CONNECTIONS", 1, 500),
        ("LEPTOS_RELOAD_PORT", 1, 65_535),
        ("WEBHOOK_MAX_BODY_BYTES", 1024, 33_554_432),
        ("WEBHOOK_FAILURE_QUEUE_MAX_ROWS", 1, 10_000_000),
        ("WEBHOOK_FAILURE_QUEUE_MAX_BYTES", 1024, 17_179_869_184),
        ("INTAKE_MIN_FILL_SECONDS", 0, 3600),
        ("INTAKE_RATE_LIMIT_PER_HOUR", 0, 10_000_000),
        ("TRUSTED_PROXY_HOPS", 0, 10),
        ("SESSION_HOURS", 1, 720),
        ("SIGNIN_ATTEMPTS_PER_HOUR", 1, 10_000),
        ("DATA_TRUST_STALE_HOURS", 1, 8_760),
        ("REQUEST_TIMEOUT_SECONDS", 1, 600),
    ];
    for &(variable, lowest, highest) in ranges {
        for inside in [lowest, highest] {
            let text = inside.to_string();
            let source = Source::from_pairs(REQUIRED.into_iter().chain([(variable, &*text)]));
            assert!(Config::from_source(&source).is_ok(), "{variable}={text}");
        }
        for outside in [lowest - 1, highest + 1] {
            let text = outside.to_string();
            let source = Source::from_pairs(REQUIRED.into_iter().chain([(variable, &*text)]));
            let error = Config::from_source(&source).expect_err("refused");
            assert_eq!(error.variable, variable, "{variable}={text}");
        }
    }
}

#[test]
fn words_are_read_in_any_case() {
    let config =
        config_with(&[("LEPTOS_ENV", "Development"), ("LOG_FORMAT", "JSON")]).expect("valid");
    assert_eq!(config.leptos.env, Env::DEV);
    assert_eq!(config.log_format, LogFormat::Json);
    let error = config_with(&[("LOG_FORMAT", "XML")]).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "LOG_FORMAT: \"xml\" is neither text nor json"
    );
}

#[test]
fn an_empty_value_counts_as_unset() {
    let config = config_with(&[("SESSION_HOURS", "  "), ("OWNER_EMAIL", "")]).expect("valid");
    assert_eq!(config.settings.owners.session_hours, 12);
    let error = config_with(&[("CAL_LINK", " ")]).expect_err("refused");
    assert_eq!(error.to_string(), "CAL_LINK: is required but not set");
}

#[test]
fn the_first_owner_needs_both_an_email_and_a_long_enough_password() {
    let config = config_with(&[
        ("OWNER_EMAIL", "owner@example.com"),
        ("OWNER_PASSWORD", "a-long-passphrase"),
    ])
    .expect("valid");
    let owner = config.first_owner.expect("a first owner");
    assert_eq!(owner.email, "owner@example.com");
    assert_eq!(owner.password.expose_secret(), "a-long-passphrase");

    let refused: &[(&[(&'static str, &'static str)], &str)] = &[
        (
            &[("OWNER_EMAIL", "owner@example.com")],
            "OWNER_PASSWORD: is required when OWNER_EMAIL is set",
        ),
        (
            &[("OWNER_EMAIL", "not-an-email")],
            "OWNER_PASSWORD: is required when OWNER_EMAIL is set",
        ),
        (
            &[("OWNER_PASSWORD", "short")],
            "OWNER_EMAIL: is required when OWNER_PASSWORD is set",
        ),
        (
            &[("OWNER_EMAIL", "not-an-email"), ("OWNER_PASSWORD", "short")],
            "OWNER_EMAIL: \"not-an-email\" is not an email address",
        ),
        (
            &[
                ("OWNER_EMAIL", "owner@example.com"),
                ("OWNER_PASSWORD", "short"),
            ],
            "OWNER_PASSWORD: must be at least 12 characters long",
        ),
    ];
    for (vars, message) in refused {
        let error = config_with(vars).expect_err("refused");
        assert_eq!(error.to_string(), *message, "{vars:?}");
    }
}

#[test]
fn the_business_time_zone_is_an_iana_zone() {
    let config = config_with(&[("BUSINESS_TIME_ZONE", "Europe/Berlin")]).expect("valid");
    assert_eq!(
        config.settings.owners.time_zone.iana_name(),
        Some("Europe/Berlin")
    );
    let error = config_with(&[("BUSINESS_TIME_ZONE", "Berlin")]).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "BUSINESS_TIME_ZONE: \"Berlin\" is not an IANA time zone like Europe/Berlin"
    );
}
