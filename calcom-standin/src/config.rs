//! The stand-in's resolved configuration: where it listens and sends, the webhook secret, the
//! event links it knows, the failure modes it starts with and how its API v2 behaves
//! (changeable at run time).

use std::{net::SocketAddr, path::PathBuf};

use serde::{Deserialize, Serialize};

/// The embed script shipped by `@calcom/embed-core`, installed by `scripts/setup.sh`.
pub const DEFAULT_EMBED_JS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/embed-core/node_modules/@calcom/embed-core/dist/embed/embed.js"
);

/// What `serve` is asked to do, as given (the command line fills it in).
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    /// [default: `http://<the address bound>`]
    pub public_origin: Option<String>,
    pub webhook_url: String,
    /// `CAL_WEBHOOK_SECRETS`: comma-separated, the first is used.
    pub secret: String,
    /// `CAL_LINK`: comma-separated event links.
    pub links: String,
    /// [default: [`DEFAULT_EMBED_JS`]]
    pub embed_js: Option<PathBuf>,
    /// Failure modes to start with.
    pub fail: Vec<FailMode>,
    pub webhook_delay_ms: u64,
    pub drop_webhooks: bool,
    /// The bearer key `/v2` accepts.
    pub api_key: String,
    /// `/v2` requests per minute per key.
    pub api_rate_limit: u32,
    pub api_delay_ms: u64,
}

/// The API key a stand-in accepts unless told otherwise (a test double's, not a secret).
pub const DEFAULT_API_KEY: &str = "cal_test_standin_key";

/// Cal.com's default: requests per minute per API key.
pub const DEFAULT_API_RATE_LIMIT: u32 = 120;

/// A failure mode the stand-in can start with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailMode {
    /// `GET /embed/embed.js` answers 503.
    EmbedScript,
    /// Every booker page posts `linkFailed`.
    Links,
}

/// Everything `serve` needs, validated.
#[derive(Clone, Debug)]
pub struct Config {
    /// `http://host:port`, no trailing slash: used in booker pages and booking URLs.
    pub public_origin: String,
    pub webhook_url: String,
    pub secret: String,
    pub links: Vec<EventLink>,
    pub embed_js: PathBuf,
    pub settings: Settings,
}

impl Config {
    /// Resolves the options; `local` is the address actually bound (for the default origin).
    pub fn from_options(args: &ServeOptions, local: SocketAddr) -> anyhow::Result<Self> {
        let secret = first_secret(&args.secret)
            .ok_or_else(|| anyhow::anyhow!("--secret / CAL_WEBHOOK_SECRETS is empty"))?;
        let links = parse_links(&args.links)?;
        let public_origin = match &args.public_origin {
            Some(origin) => origin.trim().trim_end_matches('/').to_owned(),
            None => format!("http://{local}"),
        };
        Ok(Self {
            public_origin,
            webhook_url: args.webhook_url.clone(),
            secret,
            links,
            embed_js: args
                .embed_js
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_EMBED_JS)),
            settings: Settings {
                fail_embed_script: args.fail.contains(&FailMode::EmbedScript),
                fail_links: args.fail.contains(&FailMode::Links),
                webhook_delay_ms: args.webhook_delay_ms,
                drop_webhooks: args.drop_webhooks,
                api_key: args.api_key.clone(),
                api_rate_limit: args.api_rate_limit,
                api_delay_ms: args.api_delay_ms,
                api_throttle_next: 0,
            },
        })
    }

    /// The known event behind `link` (`acme/intro`, leading/trailing slashes ignored).
    pub fn link(&self, link: &str) -> Option<&EventLink> {
        let link = link.trim_matches('/');
        self.links.iter().find(|known| known.link == link)
    }
}

/// The first of `CAL_WEBHOOK_SECRETS`' comma-separated values (the app accepts any of them).
pub fn first_secret(list: &str) -> Option<String> {
    list.split(',')
        .map(str::trim)
        .find(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `acme/intro, team/acme/demo` → event links, numbered from 1001 in order.
pub fn parse_links(list: &str) -> anyhow::Result<Vec<EventLink>> {
    let links: Vec<EventLink> = list
        .split(',')
        .map(|link| link.trim().trim_matches('/'))
        .filter(|link| !link.is_empty())
        .zip(1001..)
        .map(|(link, id)| EventLink::new(link, id))
        .collect();
    if links.is_empty() {
        anyhow::bail!("--links / CAL_LINK names no event link (expected e.g. demo/intro)");
    }
    if let Some(bad) = links
        .iter()
        .find(|l| l.link.contains(['?', '#', ' ']) || l.link.contains("://"))
    {
        anyhow::bail!(
            "--links / CAL_LINK: {:?} is not a path like acme/intro",
            bad.link
        );
    }
    Ok(links)
}

/// One bookable event: `<user>/<slug>` and what Cal.com would say about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventLink {
    pub link: String,
    pub slug: String,
    pub title: String,
    pub event_type_id: i64,
    pub organizer_name: String,
    pub organizer_email: String,
    pub organizer_username: String,
    pub organizer_time_zone: String,
}

impl EventLink {
    fn new(link: &str, event_type_id: i64) -> Self {
        let (user, slug) = link.rsplit_once('/').unwrap_or((link, link));
        let user = user.rsplit('/').next().unwrap_or(user);
        Self {
            link: link.to_owned(),
            slug: slug.to_owned(),
            title: capitalise(&slug.replace(['-', '_'], " ")),
            event_type_id,
            organizer_name: capitalise(user),
            organizer_email: format!("{user}@example.com"),
            organizer_username: user.to_owned(),
            organizer_time_zone: "Europe/London".to_owned(),
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The failure modes, delivery defaults and API v2 behaviour; all changeable through the
/// control API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// `GET /embed/embed.js` answers 503.
    pub fail_embed_script: bool,
    /// Every booker page acts as an unknown link (`linkFailed`).
    pub fail_links: bool,
    /// Delay applied to deliveries that do not set their own.
    pub webhook_delay_ms: u64,
    /// Deliveries are recorded but never sent.
    pub drop_webhooks: bool,
    /// The bearer key `/v2` accepts.
    pub api_key: String,
    /// `/v2` requests per minute per key, counted in fixed 60 s windows; 0 = no limit.
    pub api_rate_limit: u32,
    /// Delay before every `/v2` answer.
    pub api_delay_ms: u64,
    /// The next this many `/v2` requests answer 429 (counts down).
    pub api_throttle_next: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            fail_embed_script: false,
            fail_links: false,
            webhook_delay_ms: 0,
            drop_webhooks: false,
            api_key: DEFAULT_API_KEY.to_owned(),
            api_rate_limit: DEFAULT_API_RATE_LIMIT,
            api_delay_ms: 0,
            api_throttle_next: 0,
        }
    }
}

/// A partial update of [`Settings`]: absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    pub fail_embed_script: Option<bool>,
    pub fail_links: Option<bool>,
    pub webhook_delay_ms: Option<u64>,
    pub drop_webhooks: Option<bool>,
    pub api_key: Option<String>,
    pub api_rate_limit: Option<u32>,
    pub api_delay_ms: Option<u64>,
    pub api_throttle_next: Option<u32>,
}

impl Settings {
    pub fn apply(&mut self, update: &SettingsUpdate) {
        let SettingsUpdate {
            fail_embed_script,
            fail_links,
            webhook_delay_ms,
            drop_webhooks,
            api_key,
            api_rate_limit,
            api_delay_ms,
            api_throttle_next,
        } = update;
        self.fail_embed_script = fail_embed_script.unwrap_or(self.fail_embed_script);
        self.fail_links = fail_links.unwrap_or(self.fail_links);
        self.webhook_delay_ms = webhook_delay_ms.unwrap_or(self.webhook_delay_ms);
        self.drop_webhooks = drop_webhooks.unwrap_or(self.drop_webhooks);
        if let Some(key) = api_key {
            self.api_key.clone_from(key);
        }
        self.api_rate_limit = api_rate_limit.unwrap_or(self.api_rate_limit);
        self.api_delay_ms = api_delay_ms.unwrap_or(self.api_delay_ms);
        self.api_throttle_next = api_throttle_next.unwrap_or(self.api_throttle_next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_non_empty_secret_is_used() {
        assert_eq!(first_secret(" , new ,old").as_deref(), Some("new"));
        assert_eq!(first_secret(" , "), None);
    }

    #[test]
    fn links_name_the_user_and_the_event() {
        let links = parse_links("/acme/intro/, team/acme/deep-dive").expect("links");
        assert_eq!(links[0].link, "acme/intro");
        assert_eq!(links[0].slug, "intro");
        assert_eq!(links[0].title, "Intro");
        assert_eq!(links[0].organizer_name, "Acme");
        assert_eq!(links[0].event_type_id, 1001);
        assert_eq!(links[1].title, "Deep dive");
        assert_eq!(links[1].organizer_username, "acme");
        assert_eq!(links[1].event_type_id, 1002);
    }

    #[test]
    fn no_link_or_a_url_is_refused() {
        assert!(parse_links(" , ").is_err());
        assert!(parse_links("https://cal.com/acme/intro").is_err());
    }

    #[test]
    fn a_settings_update_changes_only_what_it_names() {
        let mut settings = Settings {
            webhook_delay_ms: 5,
            ..Settings::default()
        };
        settings.apply(&SettingsUpdate {
            fail_links: Some(true),
            ..SettingsUpdate::default()
        });
        assert!(settings.fail_links);
        assert_eq!(settings.webhook_delay_ms, 5);
    }
}
