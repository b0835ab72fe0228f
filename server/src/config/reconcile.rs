//! Reconciliation with Cal.com's bookings API: the key that turns it on, where the API is,
//! how often a pass runs and how far back the first one reads.

use std::time::Duration;

use app::ssr::settings::{CalApi, ReconcileSettings};
use secrecy::SecretString;

use super::{
    cal::HttpUrl,
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Optional, Parse, Var},
};

pub const CAL_API_KEY: Var<ApiKey, Optional> = Var {
    name: "CAL_API_KEY",
    meaning: "a Cal.com API key (Settings → Developer → API keys); turns on reconciliation with Cal.com's bookings",
    unset: Optional("none: no reconciliation"),
    parser: ApiKey,
};

pub const CAL_API_URL: Var<HttpUrl, DefaultsTo> = Var {
    name: "CAL_API_URL",
    meaning: "Cal.com's API v2 (a self-hosted Cal.com serves it from its own API host)",
    unset: DefaultsTo("https://api.cal.com/v2"),
    parser: HttpUrl,
};

pub const CAL_RECONCILE_MINUTES: Var<Number<u64>, DefaultsTo> = Var {
    name: "CAL_RECONCILE_MINUTES",
    meaning: "minutes between reconciliation passes",
    unset: DefaultsTo("15"),
    parser: Number { range: 1..=1_440 },
};

pub const CAL_RECONCILE_LOOKBACK_DAYS: Var<Number<u32>, DefaultsTo> = Var {
    name: "CAL_RECONCILE_LOOKBACK_DAYS",
    meaning: "how far back the first reconciliation pass reads Cal.com's bookings",
    unset: DefaultsTo("30"),
    parser: Number { range: 1..=365 },
};

pub const CAL_API_TIMEOUT_SECONDS: Var<Number<u64>, DefaultsTo> = Var {
    name: "CAL_API_TIMEOUT_SECONDS",
    meaning: "how long one call to Cal.com's API may take before the pass gives up (and tries again next time)",
    unset: DefaultsTo("20"),
    parser: Number { range: 1..=300 },
};

/// A Cal.com API key: one word, no spaces.
pub struct ApiKey;

impl Parse for ApiKey {
    type Output = SecretString;

    fn parse(&self, text: &str) -> Result<SecretString, String> {
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must be one word (an API key like cal_live_…)".to_owned());
        }
        Ok(SecretString::from(text.to_owned()))
    }
}

pub(super) fn settings(source: &Source) -> Result<ReconcileSettings, ConfigError> {
    let url = CAL_API_URL.read(source)?;
    Ok(ReconcileSettings {
        api: CAL_API_KEY.read(source)?.map(|key| CalApi {
            url: url.trim_end_matches('/').to_owned(),
            key,
        }),
        every: Duration::from_secs(60 * CAL_RECONCILE_MINUTES.read(source)?),
        lookback_days: CAL_RECONCILE_LOOKBACK_DAYS.read(source)?,
        call_timeout: Duration::from_secs(CAL_API_TIMEOUT_SECONDS.read(source)?),
    })
}
