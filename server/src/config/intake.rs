//! The intake form's spam controls, how many proxies stand before the client's address, and
//! how long a booking link shows personal data.

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

pub const INTAKE_TICKET_MAX_AGE_HOURS: Var<Number<u64>, DefaultsTo> = Var {
    name: "INTAKE_TICKET_MAX_AGE_HOURS",
    meaning: "a form sent later after it was shown comes back, with everything typed, to be sent again; also how long a rotated-out form signing key stays valid",
    unset: DefaultsTo("24"),
    parser: Number { range: 1..=720 },
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

pub const BOOKING_LINK_DAYS: Var<Number<u32>, DefaultsTo> = Var {
    name: "BOOKING_LINK_DAYS",
    meaning: "days after a submission its booking page greets the lead by name and prefills the booker; later the link still books, without personal data",
    unset: DefaultsTo("30"),
    parser: Number { range: 1..=3650 },
};

/// `INTAKE_TICKET_MAX_AGE_HOURS` alone (for `rotate-keys`).
pub fn ticket_max_age(source: &Source) -> Result<Duration, ConfigError> {
    Ok(Duration::from_secs(
        INTAKE_TICKET_MAX_AGE_HOURS.read(source)? * 3600,
    ))
}

pub(super) fn settings(source: &Source) -> Result<IntakeSettings, ConfigError> {
    Ok(IntakeSettings {
        min_fill: Duration::from_secs(INTAKE_MIN_FILL_SECONDS.read(source)?),
        ticket_max_age: ticket_max_age(source)?,
        rate_limit_per_hour: INTAKE_RATE_LIMIT_PER_HOUR.read(source)?,
        trusted_proxy_hops: TRUSTED_PROXY_HOPS.read(source)?,
        booking_link_days: BOOKING_LINK_DAYS.read(source)?,
    })
}
