//! Cal.com: the event to book, the booker origin(s), the embed script, and which of the
//! account's event types are the form's.

use app::ssr::settings::{CalSettings, EventType};

use super::{
    error::ConfigError,
    source::Source,
    var::{DefaultsTo, Optional, Parse, Required, Var},
};

pub const CAL_LINK: Var<CalLink, Required> = Var {
    name: "CAL_LINK",
    meaning: "the Cal.com event to book, e.g. acme/intro",
    unset: Required,
    parser: CalLink,
};

pub const CAL_ORIGIN: Var<Origins, DefaultsTo> = Var {
    name: "CAL_ORIGIN",
    meaning: "Cal.com booker origin(s), comma-separated",
    unset: DefaultsTo("https://cal.com"),
    parser: Origins,
};

pub const CAL_EMBED_SCRIPT_URL: Var<HttpUrl, DefaultsTo> = Var {
    name: "CAL_EMBED_SCRIPT_URL",
    meaning: "embed script URL",
    unset: DefaultsTo("https://app.cal.com/embed/embed.js"),
    parser: HttpUrl,
};

pub const CAL_EVENT_TYPES: Var<EventTypes, Optional> = Var {
    name: "CAL_EVENT_TYPES",
    meaning: "the form's Cal.com event types (slugs or numeric ids, comma-separated); deliveries of other types that match no lead are ignored",
    unset: Optional("the slug of `CAL_LINK`"),
    parser: EventTypes,
};

/// Comma-separated event type slugs (`intro`) or ids (`1234`).
pub struct EventTypes;

impl Parse for EventTypes {
    type Output = Vec<EventType>;

    fn parse(&self, text: &str) -> Result<Vec<EventType>, String> {
        let names: Vec<&str> = text.split(',').map(str::trim).collect();
        if let Some(bad) = names.iter().find(|n| {
            n.is_empty()
                || !n
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        }) {
            return Err(format!(
                "{bad:?} is not an event type slug or id (comma-separated, like intro,1234)"
            ));
        }
        Ok(names.into_iter().map(EventType::parse).collect())
    }
}

/// A Cal.com event path like `acme/intro`: no scheme, no leading slash.
pub struct CalLink;

impl Parse for CalLink {
    type Output = String;

    fn parse(&self, link: &str) -> Result<String, String> {
        let valid_segment = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if !link.split('/').all(valid_segment) {
            return Err(format!(
                "{link:?} is not a Cal.com link like acme/intro (no scheme, no leading slash)"
            ));
        }
        Ok(link.to_owned())
    }
}

/// Comma-separated origins as browsers write them: `scheme://host[:port]`, no path, no
/// trailing slash.
pub struct Origins;

impl Parse for Origins {
    type Output = Vec<String>;

    fn parse(&self, text: &str) -> Result<Vec<String>, String> {
        text.split(',')
            .map(|origin| parse_origin(origin.trim()))
            .collect()
    }
}

pub(super) fn parse_origin(text: &str) -> Result<String, String> {
    let parsed = url::Url::parse(text).map_err(|e| format!("{text:?} is not an origin: {e}"))?;
    let is_origin = matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some()
        && !text.ends_with('/')
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none();
    if !is_origin {
        return Err(format!(
            "{text:?} is not an origin like https://cal.com (no path, no trailing slash)"
        ));
    }
    Ok(parsed.origin().ascii_serialization())
}

/// An absolute http or https URL.
pub struct HttpUrl;

impl Parse for HttpUrl {
    type Output = String;

    fn parse(&self, text: &str) -> Result<String, String> {
        let parsed = url::Url::parse(text).map_err(|e| format!("is not an absolute URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("must be an http or https URL".to_owned());
        }
        Ok(parsed.to_string())
    }
}

pub(super) fn settings(source: &Source) -> Result<CalSettings, ConfigError> {
    let link = CAL_LINK.read(source)?;
    let event_types = match CAL_EVENT_TYPES.read(source)? {
        Some(types) => types,
        None => {
            let slug = link.rsplit('/').next().unwrap_or(&link);
            vec![EventType::Slug(slug.to_owned())]
        }
    };
    Ok(CalSettings {
        link,
        origins: CAL_ORIGIN.read(source)?,
        embed_script_url: CAL_EMBED_SCRIPT_URL.read(source)?,
        event_types,
    })
}
