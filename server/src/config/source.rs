//! Where variables come from: the process environment over a `.env` file. A `.env` may only
//! set registered variables. The source notes every variable read from it, so a test can hold
//! the reads to the registry.

use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::Path,
};

use super::{error::ConfigError, registry, var::Var};

/// Variables as seen by the server: the process environment over a `.env` file.
#[derive(Clone, Default)]
pub struct Source {
    vars: BTreeMap<String, String>,
    read: RefCell<BTreeSet<&'static str>>,
}

impl Source {
    /// The process environment, over `.env` in the working directory when there is one.
    pub fn from_process() -> Result<Self, ConfigError> {
        let mut vars = read_dotenv(Path::new(".env"))?;
        vars.extend(std::env::vars());
        Ok(Source {
            vars,
            ..Source::default()
        })
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Source {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            ..Source::default()
        }
    }

    /// The variable's text, trimmed; an empty value counts as unset.
    pub(super) fn text<P, U>(&self, var: &Var<P, U>) -> Option<&str> {
        self.read.borrow_mut().insert(var.name);
        self.vars
            .get(var.name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The names of the variables read so far.
    #[cfg(test)]
    pub(super) fn names_read(&self) -> BTreeSet<&'static str> {
        self.read.borrow().clone()
    }
}

// Values may be secrets (webhook secrets, database and owner passwords): only names are printed.
impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

pub(super) fn read_dotenv(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut vars = BTreeMap::new();
    if !path.exists() {
        return Ok(vars);
    }
    let entries = dotenvy::from_path_iter(path)
        .map_err(|e| ConfigError::new(".env", format!("cannot be read: {e}")))?;
    for entry in entries {
        let (key, value) =
            entry.map_err(|e| ConfigError::new(".env", format!("cannot be parsed: {e}")))?;
        if !registry::is_known(&key) {
            return Err(ConfigError::new(
                &key,
                "is set in .env but is not a known variable (see .env.example)",
            ));
        }
        vars.insert(key, value);
    }
    Ok(vars)
}
