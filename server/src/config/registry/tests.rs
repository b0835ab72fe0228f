use std::collections::BTreeSet;

use super::VARIABLES;
use crate::config::{Config, Source};

const README: &str = include_str!("../../../../README.md");
const ENV_EXAMPLE: &str = include_str!("../../../../.env.example");

fn registered() -> BTreeSet<&'static str> {
    VARIABLES.iter().map(|var| var.name()).collect()
}

/// `(name, default cell)` for every name in the README's configuration table; a row may name
/// several variables.
fn readme_rows() -> Vec<(String, String)> {
    let section = README
        .split("\n## ")
        .find(|section| section.starts_with("Configuration\n"))
        .expect("README has a Configuration section");
    let mut table = section.lines().filter(|line| line.starts_with('|'));
    assert_eq!(
        table.next().map(str::trim),
        Some("| variable | default | meaning |")
    );
    table.next();
    let mut rows = Vec::new();
    for line in table {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (names, default) = (cells[1], cells[2]);
        for name in names.split(',').map(str::trim) {
            let bare = name
                .strip_prefix('`')
                .and_then(|name| name.strip_suffix('`'))
                .unwrap_or_else(|| panic!("{name} in the README table is not in backticks"));
            rows.push((bare.to_owned(), default.to_owned()));
        }
    }
    rows
}

/// `(name, value)` of every `NAME=value` line of `.env.example`, commented out or not.
fn env_example_entries() -> Vec<(&'static str, &'static str)> {
    ENV_EXAMPLE
        .lines()
        .map(|line| line.trim_start_matches('#').trim())
        .filter_map(|line| line.split_once('='))
        .filter(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .collect()
}

fn assert_same_names(place: &str, listed: &BTreeSet<&str>) {
    let registered = registered();
    let missing: Vec<_> = registered.difference(listed).collect();
    let unknown: Vec<_> = listed.difference(&registered).collect();
    assert!(missing.is_empty(), "{place} leaves out {missing:?}");
    assert!(
        unknown.is_empty(),
        "{place} has {unknown:?}, which are not registered"
    );
}

#[test]
fn no_variable_is_registered_twice() {
    assert_eq!(registered().len(), VARIABLES.len());
}

#[test]
fn every_variable_has_a_meaning() {
    for var in VARIABLES {
        assert!(!var.meaning().trim().is_empty(), "{}", var.name());
    }
}

#[test]
fn the_readme_table_lists_exactly_the_registered_variables() {
    let rows = readme_rows();
    let listed: BTreeSet<&str> = rows.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        listed.len(),
        rows.len(),
        "a name appears twice in the README table"
    );
    assert_same_names("the README's configuration table", &listed);
}

#[test]
fn the_readme_shows_the_default_the_server_applies() {
    for (name, shown) in readme_rows() {
        let Some(var) = VARIABLES.iter().find(|var| var.name() == name) else {
            continue;
        };
        assert_eq!(
            shown,
            var.default_shown(),
            "default of {name} in the README"
        );
    }
}

#[test]
fn env_example_lists_exactly_the_registered_variables() {
    let listed: BTreeSet<&str> = env_example_entries()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_same_names(".env.example", &listed);
}

#[test]
fn every_value_in_env_example_is_accepted_even_the_commented_out() {
    let source = Source::from_pairs(env_example_entries());
    if let Err(error) = Config::from_source(&source) {
        panic!(".env.example: {error}");
    }
}

#[test]
fn the_configuration_reads_exactly_the_registered_variables() {
    let source = Source::from_pairs([
        ("CAL_WEBHOOK_SECRETS", "a-long-enough-webhook-secret"),
        ("CAL_LINK", "acme/intro"),
    ]);
    Config::from_source(&source).expect("valid");
    assert_same_names("what Config::from_source reads", &source.names_read());
}

#[test]
fn with_every_variable_set_it_still_reads_exactly_the_registered_variables() {
    let source = Source::from_pairs(env_example_entries());
    Config::from_source(&source).expect("valid");
    assert_same_names("what Config::from_source reads", &source.names_read());
}
