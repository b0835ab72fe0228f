//! What the app needs to know about its deployment, as plain data. The server reads and
//! validates it from the environment once at start and hands it to the app.

use std::time::Duration;

use secrecy::SecretString;

use super::store::webhook_failures::QueueLimits;

/// Settings the pages, server functions and handlers read.
#[derive(Clone, Debug)]
pub struct Settings {
    pub cal: CalSettings,
    pub webhook: WebhookSettings,
    pub intake: IntakeSettings,
    pub owners: OwnerSettings,
    pub review: ReviewSettings,
    pub reconcile: ReconcileSettings,
    pub site: SiteSettings,
}

/// How the open internet reaches the site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteSettings {
    /// The public origin, e.g. `https://book.acme.example`, when configured.
    pub public_origin: Option<String>,
}

impl SiteSettings {
    /// Whether the site is served over https: cookies are then always `Secure` and browsers
    /// are told to use https only.
    pub fn is_https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|origin| origin.starts_with("https://"))
    }
}

/// Reconciliation with Cal.com's bookings API: off without an API key.
#[derive(Clone, Debug)]
pub struct ReconcileSettings {
    /// The account's API, when a key is configured.
    pub api: Option<CalApi>,
    /// How often a pass runs.
    pub every: Duration,
    /// How far back the first pass (with no watermark yet) reads.
    pub lookback_days: u32,
    /// How long one call to the API may take.
    pub call_timeout: Duration,
}

/// Where Cal.com's API v2 is and the key to call it with.
#[derive(Clone, Debug)]
pub struct CalApi {
    /// `https://api.cal.com/v2`, or a self-hosted Cal.com's API (no trailing slash).
    pub url: String,
    pub key: SecretString,
}

impl ReconcileSettings {
    /// Reconciliation off (no key).
    pub fn off() -> ReconcileSettings {
        ReconcileSettings {
            api: None,
            every: Duration::from_secs(15 * 60),
            lookback_days: 30,
            call_timeout: Duration::from_secs(20),
        }
    }
}

/// When the review queue raises an item by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewSettings {
    /// An event held for a booking not known yet is raised after this long (zero: at once).
    pub held_event_after: Duration,
    /// A slot that ended this long ago with no outcome event is overdue…
    pub outcome_overdue_after: Duration,
    /// …always when this was configured; otherwise only once Cal.com has sent an outcome
    /// event in the last 30 days (an account that sends none would see every slot overdue).
    pub outcome_overdue_explicit: bool,
    /// A lead invited this long ago who never booked needs a follow-up.
    pub follow_up_after: Duration,
}

/// Owner sign-in and sessions, and how owners see time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerSettings {
    /// How long a session lasts from sign-in.
    pub session_hours: u32,
    /// How many sign-in attempts may fail, and what happens past that.
    pub signin: SignInLimits,
    /// With bookings in the database, no Cal.com event for this long makes outcome figures
    /// untrusted.
    pub feed_stale_hours: u32,
    /// The business's time zone: the days and weeks of owner views, and every time they show.
    pub time_zone: jiff::tz::TimeZone,
}

/// Sign-in limits, each over a sliding hour of failed attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInLimits {
    /// Failures allowed for one account from one client address (IPv6: per /64); past it that
    /// address is refused for that account.
    pub per_account_and_address: u32,
    /// Failures allowed from one client address over every account; past it the address is
    /// refused.
    pub per_address: u32,
    /// Failures of one account from all addresses together after which every attempt on it
    /// waits [`SignInLimits::slowdown`] first. It never refuses, so strangers cannot lock
    /// the owner out.
    pub account_slowdown_after: u32,
    pub slowdown: Duration,
}

impl OwnerSettings {
    pub fn session_seconds(&self) -> i64 {
        i64::from(self.session_hours) * 3600
    }
}

/// Spam controls of the intake form, and how to find a visitor's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeSettings {
    /// A submission sent sooner than this after the form was shown is taken for a bot.
    pub min_fill: Duration,
    /// A form sent later than this after it was shown comes back with a fresh ticket.
    pub ticket_max_age: Duration,
    /// New leads accepted per client address in a sliding hour; 0 turns the limit off.
    pub rate_limit_per_hour: u32,
    /// How many reverse proxies in front of the server append to `X-Forwarded-For`;
    /// 0 means the peer address is the client.
    pub trusted_proxy_hops: usize,
    /// For how many days after the submission the booking page greets the lead by name and
    /// prefills the booker.
    pub booking_link_days: u32,
}

/// Where the Cal.com booker lives and which event it books.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalSettings {
    /// The event to book, e.g. `acme/intro`.
    pub link: String,
    /// Booker origins (no trailing slash), allowed as frame sources on the booking page.
    pub origins: Vec<String>,
    /// Where the embed script is loaded from.
    pub embed_script_url: String,
    /// The Cal.com event types the form books (by default the slug of `link`).
    pub event_types: Vec<EventType>,
}

/// A Cal.com event type, by its slug or its numeric id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventType {
    Slug(String),
    Id(i64),
}

impl EventType {
    /// `123` is an id, anything else a slug.
    pub fn parse(text: &str) -> EventType {
        match text.parse::<i64>() {
            Ok(id) => EventType::Id(id),
            Err(_) => EventType::Slug(text.to_owned()),
        }
    }
}

impl CalSettings {
    /// The origin the embed is initialised with, and the public booking page lives on.
    pub fn booker_origin(&self) -> &str {
        self.origins
            .first()
            .map(String::as_str)
            .unwrap_or("https://cal.com")
    }

    /// Where the booker's frame may come from. The embed script loads Cal.com cloud's booker
    /// from `app.cal.com` when told `cal.com`, so that origin comes along with it.
    pub fn frame_origins(&self) -> Vec<String> {
        let mut origins = self.origins.clone();
        if origins.iter().any(|o| o == "https://cal.com") {
            origins.push("https://app.cal.com".into());
        }
        origins.dedup();
        origins
    }

    /// Whether a body of event type `slug`/`id` is of an event type the form does not book:
    /// only when it names one the configuration can compare with, and none matches. A body
    /// that names no event type is taken for the form's.
    pub fn is_other_event_type(&self, slug: Option<&str>, id: Option<i64>) -> bool {
        let slugs: Vec<&str> = self
            .event_types
            .iter()
            .filter_map(|t| match t {
                EventType::Slug(s) => Some(s.as_str()),
                EventType::Id(_) => None,
            })
            .collect();
        let ids: Vec<i64> = self
            .event_types
            .iter()
            .filter_map(|t| match t {
                EventType::Id(i) => Some(*i),
                EventType::Slug(_) => None,
            })
            .collect();
        let by_slug = slug
            .filter(|_| !slugs.is_empty())
            .map(|s| slugs.contains(&s));
        let by_id = id.filter(|_| !ids.is_empty()).map(|i| ids.contains(&i));
        match (by_slug, by_id) {
            (None, None) => false,
            (slug, id) => slug != Some(true) && id != Some(true),
        }
    }

    /// The origin (`scheme://host[:port]`) of the embed script, allowed as a script source
    /// on the booking page.
    pub fn embed_script_origin(&self) -> &str {
        origin_of(&self.embed_script_url)
    }
}

/// How the Cal.com webhook receiver checks and keeps deliveries.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Every secret that may have signed a delivery (several at once during a rotation).
    pub secrets: Vec<SecretString>,
    /// Largest body accepted; larger deliveries are answered 413.
    pub max_body_bytes: usize,
    /// Requests whose bodies are read and checked at once; more wait their turn.
    pub max_concurrent: usize,
    /// How long a body may take to arrive once its turn came.
    pub body_timeout: Duration,
    /// Bounds of the failure queue.
    pub failure_limits: QueueLimits,
    /// How long verified deliveries' bytes are kept beside their events.
    pub raw_body_retention_days: u32,
}

/// `scheme://authority` of an absolute URL, or the whole text when it has no path.
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find(['/', '?', '#']) {
        Some(end) => &url[..after_scheme + end],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(origins: &[&str]) -> CalSettings {
        CalSettings {
            link: "acme/intro".into(),
            origins: origins.iter().map(|o| o.to_string()).collect(),
            embed_script_url: "https://app.cal.com/embed/embed.js".into(),
            event_types: vec![EventType::Slug("intro".into())],
        }
    }

    #[test]
    fn only_a_body_naming_another_event_type_is_of_another_type() {
        let by_slug = cal(&["https://cal.com"]);
        assert!(!by_slug.is_other_event_type(Some("intro"), Some(7)));
        assert!(by_slug.is_other_event_type(Some("30min"), Some(7)));
        assert!(
            !by_slug.is_other_event_type(None, Some(7)),
            "nothing to compare"
        );
        assert!(!by_slug.is_other_event_type(None, None));
        let by_id = CalSettings {
            event_types: vec![EventType::parse("7"), EventType::parse("deep-dive")],
            ..by_slug
        };
        assert!(
            !by_id.is_other_event_type(Some("30min"), Some(7)),
            "the id matches"
        );
        assert!(by_id.is_other_event_type(Some("30min"), Some(8)));
        assert!(!by_id.is_other_event_type(Some("deep-dive"), None));
    }

    #[test]
    fn cal_com_cloud_frames_come_from_app_cal_com_too() {
        assert_eq!(
            cal(&["https://cal.com"]).frame_origins(),
            ["https://cal.com", "https://app.cal.com"]
        );
        assert_eq!(
            cal(&["http://127.0.0.1:4010"]).frame_origins(),
            ["http://127.0.0.1:4010"]
        );
    }

    #[test]
    fn the_booker_origin_is_the_first_configured() {
        assert_eq!(
            cal(&["https://cal.acme.test", "https://cal.com"]).booker_origin(),
            "https://cal.acme.test"
        );
    }

    #[test]
    fn the_origin_of_a_url_drops_path_query_and_fragment() {
        assert_eq!(
            origin_of("https://app.cal.com/embed/embed.js"),
            "https://app.cal.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:4010/embed/embed.js?v=1"),
            "http://127.0.0.1:4010"
        );
        assert_eq!(origin_of("https://cal.com"), "https://cal.com");
    }
}
