//! Cleaning typed text: trimming, collapsing whitespace, spotting control characters.

/// Trimmed, with every run of whitespace (including newlines) turned into one space.
pub fn one_line(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trimmed, with Windows and old Mac line ends turned into `\n` and trailing spaces on each
/// line removed; the person's own line breaks are kept.
pub fn multi_line(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_owned()
}

/// Whether the text has characters no person types on purpose (NUL, escape, bidi overrides…),
/// line breaks and tabs excepted.
pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}
