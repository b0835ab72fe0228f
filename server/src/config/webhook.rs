//! The Cal.com webhook receiver: the secrets deliveries are signed with, and how much it
//! accepts and keeps.

use app::ssr::{settings::WebhookSettings, store::webhook_failures::QueueLimits};
use secrecy::SecretString;

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Parse, Required, Var},
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

/// Comma-separated secrets, none of them empty.
pub struct Secrets;

impl Parse for Secrets {
    type Output = Vec<SecretString>;

    fn parse(&self, text: &str) -> Result<Vec<SecretString>, String> {
        let secrets: Vec<&str> = text.split(',').map(str::trim).collect();
        if secrets.iter().any(|s| s.is_empty()) {
            return Err("has an empty entry (check for a stray comma)".to_owned());
        }
        Ok(secrets.into_iter().map(SecretString::from).collect())
    }
}

pub(super) fn settings(source: &Source) -> Result<WebhookSettings, ConfigError> {
    Ok(WebhookSettings {
        secrets: CAL_WEBHOOK_SECRETS.read(source)?,
        max_body_bytes: WEBHOOK_MAX_BODY_BYTES.read(source)?,
        failure_limits: QueueLimits {
            max_rows: WEBHOOK_FAILURE_QUEUE_MAX_ROWS.read(source)?,
            max_bytes: WEBHOOK_FAILURE_QUEUE_MAX_BYTES.read(source)?,
        },
    })
}
