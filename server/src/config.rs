//! Configuration: read once at start from the environment and a `.env` file, validated, and
//! turned into plain data. Any missing or invalid variable stops the start with one line
//! naming it.

use std::{collections::BTreeMap, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use app::ssr::{
    db::{DbTarget, PoolSizing},
    settings::{CalSettings, IntakeSettings, OwnerSettings, Settings, WebhookSettings},
    store::webhook_failures::QueueLimits,
};
use leptos::config::{Env, LeptosOptions};
use secrecy::SecretString;

/// Every variable the server reads, with what it means. A `.env` file may only set these.
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "DATABASE_URL",
        "postgres://… for PostgreSQL; unset means the SQLite file data/handoff.sqlite3",
    ),
    (
        "DATABASE_MAX_CONNECTIONS",
        "largest database pool size (default 16)",
    ),
    (
        "LEPTOS_SITE_ADDR",
        "listen address (default 127.0.0.1:3000)",
    ),
    (
        "LEPTOS_SITE_ROOT",
        "folder of the built site (default target/site)",
    ),
    (
        "LEPTOS_SITE_PKG_DIR",
        "folder of the wasm, js and css under the site root (default pkg)",
    ),
    (
        "LEPTOS_OUTPUT_NAME",
        "base name of the built wasm, js and css (default handoff)",
    ),
    ("LEPTOS_ENV", "DEV or PROD (default PROD)"),
    (
        "LEPTOS_RELOAD_PORT",
        "live-reload port used by cargo leptos watch (default 3001)",
    ),
    (
        "CAL_WEBHOOK_SECRETS",
        "required; comma-separated webhook secrets, each accepted",
    ),
    (
        "CAL_LINK",
        "required; the Cal.com event to book, e.g. acme/intro",
    ),
    (
        "CAL_ORIGIN",
        "Cal.com booker origin(s), comma-separated (default https://cal.com)",
    ),
    (
        "CAL_EMBED_SCRIPT_URL",
        "embed script URL (default https://app.cal.com/embed/embed.js)",
    ),
    (
        "WEBHOOK_MAX_BODY_BYTES",
        "largest webhook body accepted (default 1048576)",
    ),
    (
        "WEBHOOK_FAILURE_QUEUE_MAX_ROWS",
        "most deliveries the failure queue keeps (default 10000)",
    ),
    (
        "WEBHOOK_FAILURE_QUEUE_MAX_BYTES",
        "most body bytes the failure queue keeps (default 67108864)",
    ),
    (
        "WEBHOOK_FAILURE_BODY_MAX_BYTES",
        "longest body prefix kept per failed delivery (default 65536)",
    ),
    (
        "INTAKE_MIN_FILL_SECONDS",
        "a form sent sooner after it was shown is taken for a bot (default 3)",
    ),
    (
        "INTAKE_RATE_LIMIT_PER_HOUR",
        "new leads per client address per hour; 0 turns it off (default 20)",
    ),
    (
        "TRUSTED_PROXY_HOPS",
        "reverse proxies in front of the server that append to X-Forwarded-For (default 0)",
    ),
    (
        "OWNER_EMAIL",
        "with OWNER_PASSWORD: the first owner, created at start when there is no owner yet",
    ),
    (
        "OWNER_PASSWORD",
        "the first owner's password (at least 12 characters)",
    ),
    (
        "SESSION_HOURS",
        "how long an owner stays signed in (default 12)",
    ),
    (
        "SIGNIN_ATTEMPTS_PER_HOUR",
        "sign-in attempts allowed per account and per address per hour (default 10)",
    ),
    (
        "DATA_TRUST_STALE_HOURS",
        "with bookings, no Cal.com event for this long marks outcomes untrusted (default 48)",
    ),
    (
        "REQUEST_TIMEOUT_SECONDS",
        "longest time a request may take (default 30)",
    ),
    ("LOG_FORMAT", "text or json (default text)"),
    ("RUST_LOG", "log filter (default info)"),
];

/// A variable that is missing or wrong, and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

impl ConfigError {
    fn new(variable: &str, problem: impl Into<String>) -> Self {
        ConfigError {
            variable: variable.to_owned(),
            problem: problem.into(),
        }
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything the server process needs, validated.
#[derive(Clone, Debug)]
pub struct Config {
    pub database: DbTarget,
    pub pool: PoolSizing,
    pub leptos: LeptosOptions,
    pub request_timeout: Duration,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub settings: Arc<Settings>,
    /// The owner to create at start when there is none yet (`OWNER_EMAIL`, `OWNER_PASSWORD`).
    pub first_owner: Option<FirstOwner>,
}

/// An owner named by configuration.
#[derive(Clone, Debug)]
pub struct FirstOwner {
    pub email: String,
    pub password: SecretString,
}

/// Variables as seen by the server: the process environment over a `.env` file.
#[derive(Clone, Debug, Default)]
pub struct Source {
    vars: BTreeMap<String, String>,
}

impl Source {
    /// The process environment, over `.env` in the working directory when there is one.
    pub fn from_process() -> Result<Self, ConfigError> {
        let mut vars = read_dotenv(Path::new(".env"))?;
        vars.extend(std::env::vars());
        Ok(Source { vars })
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Source {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn required(&self, name: &str) -> Result<&str, ConfigError> {
        self.get(name)
            .ok_or_else(|| ConfigError::new(name, "is required but not set"))
    }

    fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
        &self,
        name: &str,
        default: T,
        range: std::ops::RangeInclusive<T>,
    ) -> Result<T, ConfigError> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        let value: T = text
            .parse()
            .map_err(|_| ConfigError::new(name, format!("{text:?} is not a whole number")))?;
        if !range.contains(&value) {
            return Err(ConfigError::new(
                name,
                format!(
                    "{value} is out of range ({} to {})",
                    range.start(),
                    range.end()
                ),
            ));
        }
        Ok(value)
    }
}

fn read_dotenv(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut vars = BTreeMap::new();
    if !path.exists() {
        return Ok(vars);
    }
    let entries = dotenvy::from_path_iter(path)
        .map_err(|e| ConfigError::new(".env", format!("cannot be read: {e}")))?;
    for entry in entries {
        let (key, value) =
            entry.map_err(|e| ConfigError::new(".env", format!("cannot be parsed: {e}")))?;
        if !VARIABLES.iter().any(|(known, _)| *known == key) {
            return Err(ConfigError::new(
                &key,
                "is set in .env but is not a known variable (see .env.example)",
            ));
        }
        vars.insert(key, value);
    }
    Ok(vars)
}

/// The database alone, for commands that need nothing else (e.g. `server create-owner`).
pub fn database_target(source: &Source) -> Result<(DbTarget, PoolSizing), ConfigError> {
    let database = DbTarget::parse(source.get("DATABASE_URL"))
        .map_err(|e| ConfigError::new("DATABASE_URL", e.to_string()))?;
    let pool = PoolSizing {
        max_connections: source.number("DATABASE_MAX_CONNECTIONS", 16u32, 1..=500)?,
        ..PoolSizing::default()
    };
    Ok((database, pool))
}

impl Config {
    pub fn from_source(source: &Source) -> Result<Config, ConfigError> {
        let (database, pool) = database_target(source)?;
        let site_addr: SocketAddr = match source.get("LEPTOS_SITE_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(text) => text.parse().map_err(|_| {
                ConfigError::new(
                    "LEPTOS_SITE_ADDR",
                    format!("{text:?} is not an address like 127.0.0.1:3000"),
                )
            })?,
        };
        let env = match source
            .get("LEPTOS_ENV")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("prod") | Some("production") => Env::PROD,
            Some("dev") | Some("development") => Env::DEV,
            Some(other) => {
                return Err(ConfigError::new(
                    "LEPTOS_ENV",
                    format!("{other:?} is neither DEV nor PROD"),
                ))
            }
        };
        let leptos = LeptosOptions::builder()
            .output_name(source.get("LEPTOS_OUTPUT_NAME").unwrap_or("handoff"))
            .site_root(source.get("LEPTOS_SITE_ROOT").unwrap_or("target/site"))
            .site_pkg_dir(source.get("LEPTOS_SITE_PKG_DIR").unwrap_or("pkg"))
            .site_addr(site_addr)
            .env(env)
            .reload_port(source.number("LEPTOS_RELOAD_PORT", 3001u32, 1..=65535)?)
            .build();

        let settings = Settings {
            cal: cal_settings(source)?,
            webhook: WebhookSettings {
                secrets: webhook_secrets(source)?,
                max_body_bytes: source.number(
                    "WEBHOOK_MAX_BODY_BYTES",
                    1_048_576usize,
                    1024..=33_554_432,
                )?,
                failure_limits: QueueLimits {
                    max_rows: source.number(
                        "WEBHOOK_FAILURE_QUEUE_MAX_ROWS",
                        10_000i64,
                        1..=10_000_000,
                    )?,
                    max_bytes: source.number(
                        "WEBHOOK_FAILURE_QUEUE_MAX_BYTES",
                        67_108_864i64,
                        1024..=17_179_869_184,
                    )?,
                },
                failure_body_max_bytes: source.number(
                    "WEBHOOK_FAILURE_BODY_MAX_BYTES",
                    65_536usize,
                    256..=33_554_432,
                )?,
            },
            intake: IntakeSettings {
                min_fill: Duration::from_secs(source.number(
                    "INTAKE_MIN_FILL_SECONDS",
                    3u64,
                    0..=3600,
                )?),
                rate_limit_per_hour: source.number(
                    "INTAKE_RATE_LIMIT_PER_HOUR",
                    20u32,
                    0..=10_000_000,
                )?,
                trusted_proxy_hops: source.number("TRUSTED_PROXY_HOPS", 0usize, 0..=10)?,
            },
            owners: OwnerSettings {
                session_hours: source.number("SESSION_HOURS", 12u32, 1..=720)?,
                signin_attempts_per_hour: source.number(
                    "SIGNIN_ATTEMPTS_PER_HOUR",
                    10u32,
                    1..=10_000,
                )?,
                feed_stale_hours: source.number("DATA_TRUST_STALE_HOURS", 48u32, 1..=8_760)?,
            },
        };
        let first_owner = first_owner(source)?;

        let log_format = match source
            .get("LOG_FORMAT")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::new(
                    "LOG_FORMAT",
                    format!("{other:?} is neither text nor json"),
                ))
            }
        };

        Ok(Config {
            database,
            pool,
            leptos,
            request_timeout: Duration::from_secs(source.number(
                "REQUEST_TIMEOUT_SECONDS",
                30u64,
                1..=600,
            )?),
            log_format,
            log_filter: source.get("RUST_LOG").unwrap_or("info").to_owned(),
            settings: Arc::new(settings),
            first_owner,
        })
    }
}

fn first_owner(source: &Source) -> Result<Option<FirstOwner>, ConfigError> {
    match (source.get("OWNER_EMAIL"), source.get("OWNER_PASSWORD")) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(ConfigError::new(
            "OWNER_PASSWORD",
            "is required when OWNER_EMAIL is set",
        )),
        (None, Some(_)) => Err(ConfigError::new(
            "OWNER_EMAIL",
            "is required when OWNER_PASSWORD is set",
        )),
        (Some(email), Some(password)) => {
            if !email_address::EmailAddress::is_valid(email) {
                return Err(ConfigError::new(
                    "OWNER_EMAIL",
                    format!("{email:?} is not an email address"),
                ));
            }
            if password.chars().count() < app::ssr::auth::password::MIN_LENGTH {
                return Err(ConfigError::new(
                    "OWNER_PASSWORD",
                    format!(
                        "must be at least {} characters long",
                        app::ssr::auth::password::MIN_LENGTH
                    ),
                ));
            }
            Ok(Some(FirstOwner {
                email: email.to_owned(),
                password: SecretString::from(password.to_owned()),
            }))
        }
    }
}

fn cal_settings(source: &Source) -> Result<CalSettings, ConfigError> {
    let link = source.required("CAL_LINK")?;
    let valid_segment = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !link.split('/').all(valid_segment) {
        return Err(ConfigError::new(
            "CAL_LINK",
            format!("{link:?} is not a Cal.com link like acme/intro (no scheme, no leading slash)"),
        ));
    }
    let origins = source
        .get("CAL_ORIGIN")
        .unwrap_or("https://cal.com")
        .split(',')
        .map(|origin| parse_origin("CAL_ORIGIN", origin.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let embed_script_url = source
        .get("CAL_EMBED_SCRIPT_URL")
        .unwrap_or("https://app.cal.com/embed/embed.js");
    let parsed = url::Url::parse(embed_script_url).map_err(|e| {
        ConfigError::new(
            "CAL_EMBED_SCRIPT_URL",
            format!("is not an absolute URL: {e}"),
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ConfigError::new(
            "CAL_EMBED_SCRIPT_URL",
            "must be an http or https URL",
        ));
    }
    Ok(CalSettings {
        link: link.to_owned(),
        origins,
        embed_script_url: parsed.to_string(),
    })
}

/// An origin as browsers write it: `scheme://host[:port]`, no path, no trailing slash.
fn parse_origin(variable: &str, text: &str) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(text)
        .map_err(|e| ConfigError::new(variable, format!("{text:?} is not an origin: {e}")))?;
    let is_origin = matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some()
        && !text.ends_with('/')
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none();
    if !is_origin {
        return Err(ConfigError::new(
            variable,
            format!("{text:?} is not an origin like https://cal.com (no path, no trailing slash)"),
        ));
    }
    Ok(parsed.origin().ascii_serialization())
}

fn webhook_secrets(source: &Source) -> Result<Vec<SecretString>, ConfigError> {
    let text = source.required("CAL_WEBHOOK_SECRETS")?;
    let secrets: Vec<&str> = text.split(',').map(str::trim).collect();
    if secrets.iter().any(|s| s.is_empty()) {
        return Err(ConfigError::new(
            "CAL_WEBHOOK_SECRETS",
            "has an empty entry (check for a stray comma)",
        ));
    }
    Ok(secrets.into_iter().map(SecretString::from).collect())
}

#[cfg(test)]
mod tests;
