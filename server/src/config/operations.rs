//! Running the process: how long a request may take, how many connections are served and how
//! slow a client may be, and how and what it logs.

use secrecy::SecretString;

use super::var::{Choice, DefaultsTo, Number, Optional, Parse, Text, Var};

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

pub const REQUEST_TIMEOUT_SECONDS: Var<Number<u64>, DefaultsTo> = Var {
    name: "REQUEST_TIMEOUT_SECONDS",
    meaning: "longest time a request may take",
    unset: DefaultsTo("30"),
    parser: Number { range: 1..=600 },
};

pub const MAX_CONNECTIONS: Var<Number<usize>, DefaultsTo> = Var {
    name: "MAX_CONNECTIONS",
    meaning: "connections served at once; further ones wait until one closes",
    unset: DefaultsTo("1024"),
    parser: Number {
        range: 1..=1_000_000,
    },
};

pub const HEADER_READ_TIMEOUT_SECONDS: Var<Number<u64>, DefaultsTo> = Var {
    name: "HEADER_READ_TIMEOUT_SECONDS",
    meaning: "time a client has to send a request's headers (also an idle connection's life); slower ones are cut off",
    unset: DefaultsTo("10"),
    parser: Number { range: 1..=300 },
};

pub const LIVE_STREAMS_PER_OWNER: Var<Number<usize>, DefaultsTo> = Var {
    name: "LIVE_STREAMS_PER_OWNER",
    meaning: "live-update streams (open dashboards) one owner may have at once; past it 429",
    unset: DefaultsTo("8"),
    parser: Number { range: 1..=1_000 },
};

pub const LIVE_STREAMS_MAX: Var<Number<usize>, DefaultsTo> = Var {
    name: "LIVE_STREAMS_MAX",
    meaning: "live-update streams open at once over all owners; past it 429",
    unset: DefaultsTo("256"),
    parser: Number { range: 1..=100_000 },
};

pub const METRICS_TOKEN: Var<Token, Optional> = Var {
    name: "METRICS_TOKEN",
    meaning: "turns on GET /metrics (Prometheus text) for requests carrying it as a bearer token; at least 16 characters",
    unset: Optional("none: /metrics answers 404"),
    parser: Token,
};

/// A bearer token long enough not to be guessed.
pub struct Token;

impl Parse for Token {
    type Output = SecretString;

    fn parse(&self, text: &str) -> Result<SecretString, String> {
        if text.chars().count() < 16 || text.chars().any(char::is_whitespace) {
            return Err("must be at least 16 characters, without spaces".to_owned());
        }
        Ok(SecretString::from(text.to_owned()))
    }
}

pub const LOG_FORMAT: Var<Choice<LogFormat>, DefaultsTo> = Var {
    name: "LOG_FORMAT",
    meaning: "text or json",
    unset: DefaultsTo("text"),
    parser: Choice {
        words: &[("text", LogFormat::Text), ("json", LogFormat::Json)],
        otherwise: "is neither text nor json",
    },
};

pub const RUST_LOG: Var<Text, DefaultsTo> = Var {
    name: "RUST_LOG",
    meaning: "log filter",
    unset: DefaultsTo("info"),
    parser: Text,
};
