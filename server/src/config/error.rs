//! The one error of configuration: which variable, and what is wrong with it.

/// A variable that is missing or wrong, and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

impl ConfigError {
    pub(super) fn new(variable: &str, problem: impl Into<String>) -> Self {
        ConfigError {
            variable: variable.to_owned(),
            problem: problem.into(),
        }
    }
}
