//! Phone numbers: optional, typed any usual way, stored in one normal form.

/// Fewest and most digits a phone number may have (E.164 allows at most 15).
pub const PHONE_MIN_DIGITS: usize = 7;
pub const PHONE_MAX_DIGITS: usize = 15;

/// Normalises a phone number: `None` when empty; international numbers (`+…` or `00…`)
/// become `+` and digits, others keep only their digits. Spaces, dots, dashes and brackets
/// are allowed while typing and dropped.
pub fn normalise_phone(raw: &str) -> Result<Option<String>, String> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let (international, rest) = match phone.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => match phone.strip_prefix("00") {
            Some(rest) => (true, rest),
            None => (false, phone),
        },
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return Err("Use only digits, spaces, +, -, . and brackets".into()),
        }
    }
    if !(PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits.len()) {
        return Err(format!(
            "Enter a phone number with {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits, e.g. +44 20 7946 0958"
        ));
    }
    Ok(Some(if international {
        format!("+{digits}")
    } else {
        digits
    }))
}
