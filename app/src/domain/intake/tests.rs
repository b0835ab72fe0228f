use super::*;

fn valid_input() -> IntakeInput {
    IntakeInput {
        name: "Ana Kovač".into(),
        email: "ana.kovac@example.com".into(),
        company: "Kovač & Co".into(),
        phone: "+385 91 234 5678".into(),
        message: "Lower back pain for two weeks".into(),
        consent: true,
    }
}

fn with(field: Field, value: &str) -> IntakeInput {
    let mut input = valid_input();
    match field {
        Field::Name => input.name = value.into(),
        Field::Email => input.email = value.into(),
        Field::Company => input.company = value.into(),
        Field::Phone => input.phone = value.into(),
        Field::Message => input.message = value.into(),
        Field::Consent => input.consent = value == "on",
    }
    input
}

/// Each case: the field, what was typed, and `Ok(stored value)` or `Err(part of the message)`.
type Case = (Field, String, Result<Option<String>, &'static str>);

fn stored(valid: &ValidIntake, field: Field) -> Option<String> {
    match field {
        Field::Name => Some(valid.name.clone()),
        Field::Email => Some(valid.email.clone()),
        Field::Company => valid.company.clone(),
        Field::Phone => valid.phone.clone(),
        Field::Message => Some(valid.message.clone()),
        Field::Consent => Some("on".into()),
    }
}

fn some(text: &str) -> Result<Option<String>, &'static str> {
    Ok(Some(text.to_owned()))
}

fn cases() -> Vec<Case> {
    use Field::*;
    vec![
        // names: trimmed, inner whitespace collapsed, any script, needs a letter, bounded
        (Name, "Ana".into(), some("Ana")),
        (Name, "  Ana   Kovač \t".into(), some("Ana Kovač")),
        (
            Name,
            "Zoë O'Brien-Łukasiewicz".into(),
            some("Zoë O'Brien-Łukasiewicz"),
        ),
        (Name, "李小龍".into(), some("李小龍")),
        (Name, "Ngũgĩ wa Thiong'o".into(), some("Ngũgĩ wa Thiong'o")),
        (Name, "محمد الأمين".into(), some("محمد الأمين")),
        (Name, "Zoe\u{0308}".into(), some("Zoe\u{0308}")),
        (
            Name,
            "<script>alert(1)</script>".into(),
            some("<script>alert(1)</script>"),
        ),
        (Name, "a".repeat(NAME_MAX), Ok(Some("a".repeat(NAME_MAX)))),
        (Name, "é".repeat(NAME_MAX), Ok(Some("é".repeat(NAME_MAX)))),
        (Name, "a".repeat(NAME_MAX + 1), Err("at most 100")),
        (Name, "".into(), Err("Enter your name")),
        (Name, "   \n\t ".into(), Err("Enter your name")),
        (Name, "12345".into(), Err("at least one letter")),
        (Name, "Ana\u{0000}Bo".into(), Err("invisible")),
        (Name, "Ana\u{202E}oB".into(), Err("invisible")),
        // email: a real address with a top-level domain; domain lower-cased, local part kept
        (Email, "ana@example.com".into(), some("ana@example.com")),
        (
            Email,
            "  Ana.Kovac+intake@Example.COM ".into(),
            some("Ana.Kovac+intake@example.com"),
        ),
        (
            Email,
            "o'brien@sub.example.co.uk".into(),
            some("o'brien@sub.example.co.uk"),
        ),
        (Email, "".into(), Err("Enter your email")),
        (Email, "ana".into(), Err("like name@example.com")),
        (Email, "ana@".into(), Err("like name@example.com")),
        (Email, "@example.com".into(), Err("like name@example.com")),
        (Email, "ana@localhost".into(), Err("like name@example.com")),
        (
            Email,
            "ana@@example.com".into(),
            Err("like name@example.com"),
        ),
        (
            Email,
            "ana@example..com".into(),
            Err("like name@example.com"),
        ),
        (
            Email,
            "ana kovac@example.com".into(),
            Err("like name@example.com"),
        ),
        (
            Email,
            "Ana <ana@example.com>".into(),
            Err("like name@example.com"),
        ),
        (
            Email,
            "ana@[127.0.0.1]".into(),
            Err("like name@example.com"),
        ),
        (
            Email,
            format!("{}@example.com", "a".repeat(250)),
            Err("at most 254"),
        ),
        // company: optional, trimmed, bounded
        (Company, "".into(), Ok(None)),
        (Company, "   ".into(), Ok(None)),
        (Company, "  Acme   Ltd ".into(), some("Acme Ltd")),
        (Company, "c".repeat(COMPANY_MAX + 1), Err("at most 120")),
        // phone: optional, normalised
        (Phone, "".into(), Ok(None)),
        (Phone, "+44 20 7946 0958".into(), some("+442079460958")),
        (Phone, "0044 (20) 7946-0958".into(), some("+442079460958")),
        (Phone, "(555) 123-4567".into(), some("5551234567")),
        (Phone, " 091.234.5678 ".into(), some("0912345678")),
        (Phone, "12345".into(), Err("7 to 15 digits")),
        (Phone, "+1234567890123456".into(), Err("7 to 15 digits")),
        (Phone, "call me maybe".into(), Err("Use only digits")),
        (
            Phone,
            "+44 20 7946 0958 ext 12".into(),
            Err("Use only digits"),
        ),
        (Phone, "++4420794609".into(), Err("Use only digits")),
        // message: bounded, line breaks kept, trimmed
        (
            Message,
            "I need a new roof quote".into(),
            some("I need a new roof quote"),
        ),
        (
            Message,
            "  Line one  \r\nLine two\r\n\r\n".into(),
            some("Line one\nLine two"),
        ),
        (
            Message,
            "m".repeat(MESSAGE_MAX),
            Ok(Some("m".repeat(MESSAGE_MAX))),
        ),
        (
            Message,
            "m".repeat(MESSAGE_MAX + 1),
            Err("at most 2,000 characters (you have 2,001)"),
        ),
        (Message, "".into(), Err("Tell us briefly")),
        (Message, "  \n  ".into(), Err("Tell us briefly")),
        (Message, "too short".into(), Err("at least 10")),
        (
            Message,
            "Please help\u{0007} me now".into(),
            Err("invisible"),
        ),
        // consent: required
        (Consent, "on".into(), some("on")),
        (Consent, "".into(), Err("Tick the box")),
    ]
}

#[test]
fn every_rule_accepts_and_refuses_what_it_should() {
    for (field, typed, expected) in cases() {
        let input = with(field, &typed);
        match (validate(&input), expected) {
            (Ok(valid), Ok(value)) => {
                assert_eq!(stored(&valid, field), value, "{field:?} {typed:?}");
                assert_eq!(check_field(field, &input), None, "{field:?} {typed:?}");
            }
            (Err(errors), Err(part)) => {
                assert_eq!(errors.len(), 1, "{field:?} {typed:?}: {errors:?}");
                assert_eq!(errors[0].field, field);
                assert!(
                    errors[0].message.contains(part),
                    "{field:?} {typed:?}: {:?} lacks {part:?}",
                    errors[0].message
                );
                assert_eq!(check_field(field, &input), Some(errors[0].message.clone()));
            }
            (got, expected) => panic!("{field:?} {typed:?}: got {got:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn an_empty_form_names_every_required_field_in_form_order() {
    let errors = validate(&IntakeInput::default()).expect_err("refused");
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![Field::Name, Field::Email, Field::Message, Field::Consent]
    );
}

#[test]
fn very_long_input_is_refused_without_trouble() {
    let huge = "x".repeat(1_000_000);
    let input = IntakeInput {
        name: huge.clone(),
        email: huge.clone(),
        company: huge.clone(),
        phone: huge.clone(),
        message: huge,
        consent: true,
    };
    let errors = validate(&input).expect_err("refused");
    assert_eq!(errors.len(), 5);
}

#[test]
fn the_first_name_is_the_first_word() {
    assert_eq!(first_name("Ana Kovač"), "Ana");
    assert_eq!(first_name("李小龍"), "李小龍");
    assert_eq!(first_name(""), "");
}

#[test]
fn field_names_match_the_form_inputs() {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(
        names,
        vec!["name", "email", "company", "phone", "message", "consent"]
    );
}
