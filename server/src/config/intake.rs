//! The intake form's spam controls, and how many proxies stand before the client's address.

use std::time::Duration;

use app::ssr::settings::IntakeSettings;

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Var},
};

pub const INTAKE_MIN_FILL_SECONDS: Var<Number<u64>, DefaultsTo> = Var {
    name: "INTAKE_MIN_FILL_SECONDS",
    meaning: "a form sent sooner after it was shown is taken for a bot",
    unset: DefaultsTo("3"),
    parser: Number { range: 0..=3600 },
};

pub const INTAKE_RATE_LIMIT_PER_HOUR: Var<Number<u32>, DefaultsTo> = Var {
    name: "INTAKE_RATE_LIMIT_PER_HOUR",
    meaning: "new leads per client address per hour; 0 turns it off",
    unset: DefaultsTo("20"),
    parser: Number {
        range: 0..=10_000_000,
    },
};

pub const TRUSTED_PROXY_HOPS: Var<Number<usize>, DefaultsTo> = Var {
    name: "TRUSTED_PROXY_HOPS",
    meaning: "reverse proxies in front of the server that append to X-Forwarded-For",
    unset: DefaultsTo("0"),
    parser: Number { range: 0..=10 },
};

pub(super) fn settings(source: &Source) -> Result<IntakeSettings, ConfigError> {
    Ok(IntakeSettings {
        min_fill: Duration::from_secs(INTAKE_MIN_FILL_SECONDS.read(source)?),
        rate_limit_per_hour: INTAKE_RATE_LIMIT_PER_HOUR.read(source)?,
        trusted_proxy_hops: TRUSTED_PROXY_HOPS.read(source)?,
    })
}
