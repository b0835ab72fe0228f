use super::*;

const REQUIRED: [(&str, &str); 2] = [
    ("CAL_WEBHOOK_SECRETS", "whsec-one"),
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
        ("REQUEST_TIMEOUT_SECONDS", "0"),
        ("INTAKE_MIN_FILL_SECONDS", "-1"),
        ("WEBHOOK_MAX_BODY_BYTES", "10"),
        ("WEBHOOK_FAILURE_QUEUE_MAX_ROWS", "0"),
        ("WEBHOOK_FAILURE_QUEUE_MAX_BYTES", "x"),
        ("WEBHOOK_FAILURE_BODY_MAX_BYTES", "1"),
        ("INTAKE_RATE_LIMIT_PER_HOUR", "lots"),
        ("TRUSTED_PROXY_HOPS", "99"),
        ("LOG_FORMAT", "xml"),
    ];
    for (variable, value) in cases {
        let named = error_variable(&[(variable, value)]);
        assert_eq!(named, *variable, "{variable}={value}");
    }
}

#[test]
fn several_origins_and_secrets_are_accepted() {
    let config = config_with(&[
        ("CAL_ORIGIN", "https://cal.com, http://127.0.0.1:4010"),
        ("CAL_WEBHOOK_SECRETS", "old-secret, new-secret"),
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
    let printed = format!("{config:?}");
    for secret in ["whsec-topsecret", "pg-password"] {
        assert!(!printed.contains(secret), "{secret} leaked: {printed}");
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
fn every_variable_env_example_documents_may_be_set_in_dotenv() {
    let example = include_str!("../../../.env.example");
    let documented: Vec<&str> = example
        .lines()
        .map(|line| line.trim_start_matches('#').trim())
        .filter_map(|line| line.split_once('=').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    assert!(documented.len() >= 15, "{documented:?}");
    for name in documented {
        assert!(
            VARIABLES.iter().any(|(known, _)| *known == name),
            "{name} is in .env.example but .env may not set it"
        );
    }
}

#[test]
fn every_variable_the_server_reads_is_known() {
    let code = include_str!("../config.rs");
    for (start, _) in code.match_indices("source.") {
        let call = &code[start..];
        let Some(open) = call.find('"') else { continue };
        if open > 40 {
            continue;
        }
        let rest = &call[open + 1..];
        let name = &rest[..rest.find('"').unwrap_or(0)];
        if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') && !name.is_empty() {
            assert!(
                VARIABLES.iter().any(|(known, _)| *known == name),
                "{name} is read but .env may not set it"
            );
        }
    }
}
