//! The intake form's rules: what a valid submission is, and the message for each field that
//! is not. The browser runs these on blur and submit; the server runs them again and trusts
//! only its own answer.

mod phone;
mod text;

use serde::{Deserialize, Serialize};

pub use phone::normalise_phone;

/// Longest accepted name, in characters.
pub const NAME_MAX: usize = 100;
/// Longest accepted email address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Longest accepted company name, in characters.
pub const COMPANY_MAX: usize = 120;
/// Shortest and longest accepted "what do you need" message, in characters.
pub const MESSAGE_MIN: usize = 10;
pub const MESSAGE_MAX: usize = 2000;

/// The fields a person fills in. The names are the form's input names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Email,
    Company,
    Phone,
    Message,
    Consent,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Name,
        Field::Email,
        Field::Company,
        Field::Phone,
        Field::Message,
        Field::Consent,
    ];

    /// The input's `name` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Company => "company",
            Field::Phone => "phone",
            Field::Message => "message",
            Field::Consent => "consent",
        }
    }
}

/// What was typed, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeInput {
    pub name: String,
    pub email: String,
    pub company: String,
    pub phone: String,
    pub message: String,
    pub consent: bool,
}

/// A submission that passed every rule, cleaned up: trimmed, inner whitespace of one-line
/// fields collapsed, email domain lower-cased, phone normalised, empty optionals absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidIntake {
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub message: String,
}

/// One field's problem, in words for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// Checks one field, as on blur: `None` when it is fine.
pub fn check_field(field: Field, input: &IntakeInput) -> Option<String> {
    match field {
        Field::Name => parse_name(&input.name).err(),
        Field::Email => parse_email(&input.email).err(),
        Field::Company => parse_company(&input.company).err(),
        Field::Phone => normalise_phone(&input.phone).err(),
        Field::Message => parse_message(&input.message).err(),
        Field::Consent => (!input.consent)
            .then(|| "Tick the box so we can contact you about your request".to_owned()),
    }
}

/// Checks every field; either the cleaned submission or one message per failing field, in
/// form order.
pub fn validate(input: &IntakeInput) -> Result<ValidIntake, Vec<FieldError>> {
    let name = parse_name(&input.name);
    let email = parse_email(&input.email);
    let company = parse_company(&input.company);
    let phone = normalise_phone(&input.phone);
    let message = parse_message(&input.message);
    match (name, email, company, phone, message, input.consent) {
        (Ok(name), Ok(email), Ok(company), Ok(phone), Ok(message), true) => Ok(ValidIntake {
            name,
            email,
            company,
            phone,
            message,
        }),
        _ => Err(Field::ALL
            .into_iter()
            .filter_map(|field| {
                check_field(field, input).map(|message| FieldError { field, message })
            })
            .collect()),
    }
}

/// The first word of a (validated) name, for a friendly greeting.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn parse_name(raw: &str) -> Result<String, String> {
    let name = text::one_line(raw);
    if name.is_empty() {
        return Err("Enter your name".into());
    }
    if text::has_control_chars(&name) {
        return Err("Remove the unusual invisible characters from your name".into());
    }
    if name.chars().count() > NAME_MAX {
        return Err(format!("Use at most {NAME_MAX} characters"));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err("Your name needs at least one letter".into());
    }
    Ok(name)
}

fn parse_email(raw: &str) -> Result<String, String> {
    let email = raw.trim();
    if email.is_empty() {
        return Err("Enter your email address".into());
    }
    if email.chars().count() > EMAIL_MAX {
        return Err(format!("Use at most {EMAIL_MAX} characters"));
    }
    let invalid = || "Enter an email address like name@example.com".to_owned();
    let options = email_address::Options::default()
        .with_required_tld()
        .without_display_text()
        .without_domain_literal();
    let parsed =
        email_address::EmailAddress::parse_with_options(email, options).map_err(|_| invalid())?;
    let (local, domain) = (parsed.local_part(), parsed.domain());
    if domain.split('.').any(str::is_empty) || local.starts_with('"') {
        return Err(invalid());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

fn parse_company(raw: &str) -> Result<Option<String>, String> {
    let company = text::one_line(raw);
    if company.is_empty() {
        return Ok(None);
    }
    if text::has_control_chars(&company) {
        return Err("Remove the unusual invisible characters".into());
    }
    if company.chars().count() > COMPANY_MAX {
        return Err(format!("Use at most {COMPANY_MAX} characters"));
    }
    Ok(Some(company))
}

fn parse_message(raw: &str) -> Result<String, String> {
    let message = text::multi_line(raw);
    let length = message.chars().count();
    if length == 0 {
        return Err("Tell us briefly what you need".into());
    }
    if text::has_control_chars(&message) {
        return Err("Remove the unusual invisible characters from your message".into());
    }
    if length < MESSAGE_MIN {
        return Err(format!(
            "Write at least {MESSAGE_MIN} characters so we can prepare"
        ));
    }
    if length > MESSAGE_MAX {
        return Err(format!(
            "Use at most 2,000 characters (you have {})",
            group_thousands(length)
        ));
    }
    Ok(message)
}

fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
