//! The Cal.com webhook receiver: the secrets deliveries are signed with, and how much it
//! accepts and keeps.

use std::path::PathBuf;

use app::ssr::{settings::WebhookSettings, store::webhook_failures::QueueLimits};
use secrecy::SecretString;

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Parse, Required, Text, Var},
};

pub const CAL_WEBHOOK_SECRETS: Var<Secrets, Required> = Var {
    name: "CAL_WEBHOOK_SECRETS",
    meaning: "comma-separated webhook secrets, each accepted",
    unset: Required,
    parser: Secrets,
};

pub const WEBHOOK_MAX_BODY_BYTES: Var<Number<usize>, DefaultsTo> = Var {
    name: "WEBHOOK_MAX_BODY_BYTES",
    meaning: "largest webhook body accepted",
    unset: DefaultsTo("1048576"),
    parser: Number {
        range: 1024..=33_554_432,
    },
};

pub const WEBHOOK_MAX_CONCURRENT: Var<Number<usize>, DefaultsTo> = Var {
    name: "WEBHOOK_MAX_CONCURRENT",
    meaning: "webhook requests whose bodies are read and checked at once (more wait their turn); verified deliveries then have database turns of their own",
    unset: DefaultsTo("64"),
    parser: Number { range: 1..=10_000 },
};

pub const WEBHOOK_FAILURE_QUEUE_MAX_ROWS: Var<Number<i64>, DefaultsTo> = Var {
    name: "WEBHOOK_FAILURE_QUEUE_MAX_ROWS",
    meaning: "most deliveries the failure queue keeps",
    unset: DefaultsTo("10000"),
    parser: Number {
        range: 1..=10_000_000,
    },
};

pub const WEBHOOK_FAILURE_QUEUE_MAX_BYTES: Var<Number<i64>, DefaultsTo> = Var {
    name: "WEBHOOK_FAILURE_QUEUE_MAX_BYTES",
    meaning: "most body bytes the failure queue keeps",
    unset: DefaultsTo("67108864"),
    parser: Number {
        range: 1024..=17_179_869_184,
    },
};

pub const RAW_BODY_RETENTION_DAYS: Var<Number<u32>, DefaultsTo> = Var {
    name: "RAW_BODY_RETENTION_DAYS",
    meaning: "verified deliveries' bytes are kept this long (the parsed events stay), then pruned",
    unset: DefaultsTo("90"),
    parser: Number { range: 1..=3_650 },
};

pub const WEBHOOK_SPOOL_DIR: Var<Text, DefaultsTo> = Var {
    name: "WEBHOOK_SPOOL_DIR",
    meaning: "where verified deliveries wait while the database cannot take them; put it on a persistent volume, one per server process",
    unset: DefaultsTo("data/spool"),
    parser: Text,
};

pub const WEBHOOK_SPOOL_MAX_BYTES: Var<Number<u64>, DefaultsTo> = Var {
    name: "WEBHOOK_SPOOL_MAX_BYTES",
    meaning:
        "most bytes the spool holds; past it a delivery the database cannot take is answered 503",
    unset: DefaultsTo("268435456"),
    parser: Number {
        range: 65_536..=1_099_511_627_776,
    },
};

/// Where the spool lives and how much it may hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpoolConfig {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

pub(super) fn spool(source: &Source) -> Result<SpoolConfig, ConfigError> {
    let dir = WEBHOOK_SPOOL_DIR.read(source)?;
    if dir.trim().is_empty() {
        return Err(ConfigError::new(WEBHOOK_SPOOL_DIR.name, "is empty"));
    }
    Ok(SpoolConfig {
        dir: PathBuf::from(dir),
        max_bytes: WEBHOOK_SPOOL_MAX_BYTES.read(source)?,
    })
}

/// Comma-separated secrets, none of them empty.
pub struct Secrets;

/// The shortest webhook secret accepted.
pub const MIN_SECRET_CHARS: usize = 16;

impl Parse for Secrets {
    type Output = Vec<SecretString>;

    fn parse(&self, text: &str) -> Result<Vec<SecretString>, String> {
        let secrets: Vec<&str> = text.split(',').map(str::trim).collect();
        if secrets.iter().any(|s| s.is_empty()) {
            return Err("has an empty entry (check for a stray comma)".to_owned());
        }
        if let Some(short) = secrets
            .iter()
            .position(|s| s.chars().count() < MIN_SECRET_CHARS)
        {
            return Err(format!(
                "secret number {} is shorter than {MIN_SECRET_CHARS} characters: a short secret \
                 can be guessed; use the one Cal.com shows, or a long random one",
                short + 1
            ));
        }
        Ok(secrets.into_iter().map(SecretString::from).collect())
    }
}

pub(super) fn settings(source: &Source) -> Result<WebhookSettings, ConfigError> {
    Ok(WebhookSettings {
        secrets: CAL_WEBHOOK_SECRETS.read(source)?,
        max_body_bytes: WEBHOOK_MAX_BODY_BYTES.read(source)?,
        max_concurrent: WEBHOOK_MAX_CONCURRENT.read(source)?,
        // A body trickled in slowly would hold its turn: it gets as long as headers do.
        body_timeout: std::time::Duration::from_secs(
            super::operations::HEADER_READ_TIMEOUT_SECONDS.read(source)?,
        ),
        failure_limits: QueueLimits {
            max_rows: WEBHOOK_FAILURE_QUEUE_MAX_ROWS.read(source)?,
            max_bytes: WEBHOOK_FAILURE_QUEUE_MAX_BYTES.read(source)?,
        },
        raw_body_retention_days: RAW_BODY_RETENTION_DAYS.read(source)?,
    })
}
