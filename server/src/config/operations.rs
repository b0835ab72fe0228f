//! Running the process: how long a request may take, and how and what it logs.

use super::var::{Choice, DefaultsTo, Number, Text, Var};

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
