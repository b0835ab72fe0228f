//! Owners: the first owner named by configuration, sessions, sign-in limits, when the
//! dashboard stops trusting outcome figures, and the time zone owners see the business in.

use std::time::Duration;

use app::ssr::{
    auth::password::MIN_LENGTH,
    settings::{OwnerSettings, SignInLimits},
};
use jiff::tz::TimeZone;
use secrecy::SecretString;

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Number, Optional, Parse, Var},
};

pub const OWNER_EMAIL: Var<EmailAddress, Optional> = Var {
    name: "OWNER_EMAIL",
    meaning: "with OWNER_PASSWORD: the first owner, created at start when there is no owner yet",
    unset: Optional("none"),
    parser: EmailAddress,
};

pub const OWNER_PASSWORD: Var<Password, Optional> = Var {
    name: "OWNER_PASSWORD",
    meaning: "the first owner's password",
    unset: Optional("none"),
    parser: Password,
};

pub const SESSION_HOURS: Var<Number<u32>, DefaultsTo> = Var {
    name: "SESSION_HOURS",
    meaning: "how long an owner stays signed in",
    unset: DefaultsTo("12"),
    parser: Number { range: 1..=720 },
};

pub const SIGNIN_ATTEMPTS_PER_HOUR: Var<Number<u32>, DefaultsTo> = Var {
    name: "SIGNIN_ATTEMPTS_PER_HOUR",
    meaning: "failed sign-ins allowed per account from one address in an hour; past it that address gets 429",
    unset: DefaultsTo("10"),
    parser: Number { range: 1..=10_000 },
};

pub const SIGNIN_ADDRESS_ATTEMPTS_PER_HOUR: Var<Number<u32>, DefaultsTo> = Var {
    name: "SIGNIN_ADDRESS_ATTEMPTS_PER_HOUR",
    meaning: "failed sign-ins allowed from one address (IPv6: one /64) over all accounts in an hour; past it 429",
    unset: DefaultsTo("30"),
    parser: Number { range: 1..=100_000 },
};

pub const SIGNIN_ACCOUNT_SLOWDOWN_AFTER: Var<Number<u32>, DefaultsTo> = Var {
    name: "SIGNIN_ACCOUNT_SLOWDOWN_AFTER",
    meaning: "failed sign-ins of one account from all addresses in an hour after which every attempt on it waits SIGNIN_SLOWDOWN_SECONDS (never refused)",
    unset: DefaultsTo("50"),
    parser: Number { range: 1..=1_000_000 },
};

pub const SIGNIN_SLOWDOWN_SECONDS: Var<Number<u32>, DefaultsTo> = Var {
    name: "SIGNIN_SLOWDOWN_SECONDS",
    meaning: "how long an attempt on an account past SIGNIN_ACCOUNT_SLOWDOWN_AFTER waits",
    unset: DefaultsTo("2"),
    parser: Number { range: 0..=30 },
};

pub const DATA_TRUST_STALE_HOURS: Var<Number<u32>, DefaultsTo> = Var {
    name: "DATA_TRUST_STALE_HOURS",
    meaning: "with bookings, no Cal.com event for this long marks outcomes untrusted",
    unset: DefaultsTo("48"),
    parser: Number { range: 1..=8_760 },
};

pub const BUSINESS_TIME_ZONE: Var<Zone, DefaultsTo> = Var {
    name: "BUSINESS_TIME_ZONE",
    meaning: "the IANA time zone of owner views: dashboard days and weeks, /api/metrics dates, times shown",
    unset: DefaultsTo("UTC"),
    parser: Zone,
};

/// An owner named by configuration.
#[derive(Clone, Debug)]
pub struct FirstOwner {
    pub email: String,
    pub password: SecretString,
}

/// An email address, as the owner signs in with it.
pub struct EmailAddress;

impl Parse for EmailAddress {
    type Output = String;

    fn parse(&self, email: &str) -> Result<String, String> {
        if !email_address::EmailAddress::is_valid(email) {
            return Err(format!("{email:?} is not an email address"));
        }
        Ok(email.to_owned())
    }
}

/// An IANA time zone name, looked up in the time-zone database bundled with the server.
pub struct Zone;

impl Parse for Zone {
    type Output = TimeZone;

    fn parse(&self, name: &str) -> Result<TimeZone, String> {
        TimeZone::get(name)
            .map_err(|_| format!("{name:?} is not an IANA time zone like Europe/Berlin"))
    }
}

/// A password long enough for an owner.
pub struct Password;

impl Parse for Password {
    type Output = SecretString;

    fn parse(&self, password: &str) -> Result<SecretString, String> {
        if password.chars().count() < MIN_LENGTH {
            return Err(format!("must be at least {MIN_LENGTH} characters long"));
        }
        Ok(SecretString::from(password.to_owned()))
    }
}

pub(super) fn settings(source: &Source) -> Result<OwnerSettings, ConfigError> {
    Ok(OwnerSettings {
        session_hours: SESSION_HOURS.read(source)?,
        signin: SignInLimits {
            per_account_and_address: SIGNIN_ATTEMPTS_PER_HOUR.read(source)?,
            per_address: SIGNIN_ADDRESS_ATTEMPTS_PER_HOUR.read(source)?,
            account_slowdown_after: SIGNIN_ACCOUNT_SLOWDOWN_AFTER.read(source)?,
            slowdown: Duration::from_secs(SIGNIN_SLOWDOWN_SECONDS.read(source)?.into()),
        },
        feed_stale_hours: DATA_TRUST_STALE_HOURS.read(source)?,
        time_zone: BUSINESS_TIME_ZONE.read(source)?,
    })
}

/// Both or neither. One without the other is named before either is checked.
pub(super) fn first_owner(source: &Source) -> Result<Option<FirstOwner>, ConfigError> {
    let required_with = |missing: &str, set: &str| {
        ConfigError::new(missing, format!("is required when {set} is set"))
    };
    match (OWNER_EMAIL.read(source), OWNER_PASSWORD.read(source)) {
        (Ok(None), Ok(None)) => Ok(None),
        (Ok(None), _) => Err(required_with(OWNER_EMAIL.name, OWNER_PASSWORD.name)),
        (_, Ok(None)) => Err(required_with(OWNER_PASSWORD.name, OWNER_EMAIL.name)),
        (Err(error), _) | (_, Err(error)) => Err(error),
        (Ok(Some(email)), Ok(Some(password))) => Ok(Some(FirstOwner { email, password })),
    }
}
