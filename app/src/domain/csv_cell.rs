//! Spreadsheet formula neutralisation for CSV exports. A spreadsheet opening the file would
//! run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one)
//! as a formula; such a cell gets a leading apostrophe, which spreadsheets show as text. A
//! cell that is a plain number with a sign (`-12.5`, `+3`) or a phone number (`+44 20 7946
//! 0000`) is left alone: those are data, and spreadsheets do not run them.

use std::borrow::Cow;

/// The cell as it is safe to write: `'` + the cell when it could start a formula, else the
/// cell unchanged.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_a_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether a spreadsheet could take `cell` for a formula.
pub fn starts_a_formula(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !is_plain_number(chars.as_str()),
        _ => false,
    }
}

/// Digits with at most one decimal point, or a phone number's digits in groups separated by
/// single spaces (what follows the sign of `-12.5` or `+44 20 7946 0000`).
fn is_plain_number(rest: &str) -> bool {
    let starts_with_digit = rest.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !starts_with_digit || rest.ends_with(' ') || rest.contains("  ") {
        return false;
    }
    let decimal = rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        && rest.matches('.').count() <= 1
        && !rest.ends_with('.');
    let phone = rest.chars().all(|c| c.is_ascii_digit() || c == ' ');
    decimal || phone
}

/// The cell as written, from the cell as exported: the apostrophe [`neutralise`] added taken
/// off again (for tests and tools that read the export back).
pub fn restore(cell: &str) -> Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_a_formula(rest) => Cow::Owned(rest.to_owned()),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_an_apostrophe() {
        for (cell, safe) in [
            ("=1+2", "'=1+2"),
            (
                "=HYPERLINK(\"http://evil\")",
                "'=HYPERLINK(\"http://evil\")",
            ),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\r=1", "'\r=1"),
            ("+1+1", "'+1+1"),
            ("-1+1", "'-1+1"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-", "'-"),
            ("+", "'+"),
            ("- dash list", "'- dash list"),
            ("-1.2.3", "'-1.2.3"),
            ("+44 20 7946 0000 ", "'+44 20 7946 0000 "),
            ("-12.", "'-12."),
            ("+(44) 20", "'+(44) 20"),
        ] {
            assert_eq!(neutralise(cell), safe, "{cell:?}");
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
    }

    #[test]
    fn plain_numbers_phone_numbers_and_text_are_left_alone() {
        for cell in [
            "+44 20 7946 0000",
            "+385912345678",
            "-12.5",
            "+3",
            "-0",
            "12",
            "Ana Kovač",
            "a=b",
            "ana@example.com",
            "",
            "'quoted",
            "2026-10-01T09:00:00Z",
        ] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
            assert_eq!(restore(cell), cell, "{cell:?}");
        }
    }
}
