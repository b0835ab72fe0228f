//! A variable's descriptor: its name, what it means, what applies when it is unset, and how its
//! text is parsed; and the parsers several concerns share (numbers in a range, words, text).

use std::{fmt::Display, ops::RangeInclusive, str::FromStr};

use super::{error::ConfigError, source::Source};

/// One variable. `U` says what applies when it is unset ([`Required`], [`DefaultsTo`],
/// [`Optional`]); `P` parses its text. Its `read` is the only way to read it.
pub struct Var<P, U> {
    pub name: &'static str,
    pub meaning: &'static str,
    pub unset: U,
    pub parser: P,
}

/// Unset stops the start.
pub struct Required;

/// Unset reads as if set to this text.
pub struct DefaultsTo(pub &'static str);

/// Unset leaves the setting out; the text says what that means to people.
pub struct Optional(pub &'static str);

/// What applies when a variable is unset, as the README's "default" column shows it.
pub trait Unset {
    fn shown(&self) -> String;
}

impl Unset for Required {
    fn shown(&self) -> String {
        "required".to_owned()
    }
}

impl Unset for DefaultsTo {
    fn shown(&self) -> String {
        format!("`{}`", self.0)
    }
}

impl Unset for Optional {
    fn shown(&self) -> String {
        self.0.to_owned()
    }
}

/// Turns a variable's (trimmed, non-empty) text into its value, or says what is wrong with it.
pub trait Parse {
    type Output;
    fn parse(&self, text: &str) -> Result<Self::Output, String>;
}

/// A descriptor without its types, as the registry lists it.
pub trait Variable: Sync {
    fn name(&self) -> &'static str;
    fn meaning(&self) -> &'static str;
    /// What applies when it is unset, as the README shows it: `` `16` ``, `required`, `none`…
    fn default_shown(&self) -> String;
}

impl<P: Sync, U: Unset + Sync> Variable for Var<P, U> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn meaning(&self) -> &'static str {
        self.meaning
    }

    fn default_shown(&self) -> String {
        self.unset.shown()
    }
}

impl<P: Parse, U> Var<P, U> {
    fn parse(&self, text: &str) -> Result<P::Output, ConfigError> {
        self.parser
            .parse(text)
            .map_err(|problem| ConfigError::new(self.name, problem))
    }
}

impl<P: Parse> Var<P, Required> {
    pub fn read(&self, source: &Source) -> Result<P::Output, ConfigError> {
        let text = source
            .text(self)
            .ok_or_else(|| ConfigError::new(self.name, "is required but not set"))?;
        self.parse(text)
    }
}

impl<P: Parse> Var<P, DefaultsTo> {
    pub fn read(&self, source: &Source) -> Result<P::Output, ConfigError> {
        self.parse(source.text(self).unwrap_or(self.unset.0))
    }
}

impl<P: Parse> Var<P, Optional> {
    pub fn read(&self, source: &Source) -> Result<Option<P::Output>, ConfigError> {
        source.text(self).map(|text| self.parse(text)).transpose()
    }
}

/// A whole number within a range.
pub struct Number<T> {
    pub range: RangeInclusive<T>,
}

impl<T: FromStr + PartialOrd + Display> Parse for Number<T> {
    type Output = T;

    fn parse(&self, text: &str) -> Result<T, String> {
        let value: T = text
            .parse()
            .map_err(|_| format!("{text:?} is not a whole number"))?;
        if !self.range.contains(&value) {
            return Err(format!(
                "{value} is out of range ({} to {})",
                self.range.start(),
                self.range.end()
            ));
        }
        Ok(value)
    }
}

/// One of a few words, in any case.
pub struct Choice<T: 'static> {
    pub words: &'static [(&'static str, T)],
    /// Said after the word that is none of them, e.g. `is neither text nor json`.
    pub otherwise: &'static str,
}

impl<T: Clone> Parse for Choice<T> {
    type Output = T;

    fn parse(&self, text: &str) -> Result<T, String> {
        let word = text.to_ascii_lowercase();
        self.words
            .iter()
            .find(|(known, _)| *known == word)
            .map(|(_, value)| value.clone())
            .ok_or_else(|| format!("{word:?} {}", self.otherwise))
    }
}

/// Any text, as it is.
pub struct Text;

impl Parse for Text {
    type Output = String;

    fn parse(&self, text: &str) -> Result<String, String> {
        Ok(text.to_owned())
    }
}
