//! Where a lead came from: the UTM tags of the landing URL, the referring page and the path
//! they landed on, and the one `source` the dashboard groups by.

use serde::{Deserialize, Serialize};

/// Longest kept UTM value, and longest kept referrer or landing path, in characters. Longer
/// values are cut: attribution is never a reason to refuse a lead.
pub const UTM_MAX: usize = 200;
pub const URL_MAX: usize = 2000;

/// Attribution as captured when the form was shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub referrer: Option<String>,
    pub landing_path: Option<String>,
}

impl Attribution {
    /// Trimmed, control characters removed, empty values absent, long values cut.
    pub fn cleaned(self) -> Attribution {
        Attribution {
            utm_source: clean(self.utm_source, UTM_MAX),
            utm_medium: clean(self.utm_medium, UTM_MAX),
            utm_campaign: clean(self.utm_campaign, UTM_MAX),
            referrer: clean(self.referrer, URL_MAX),
            landing_path: clean(self.landing_path, URL_MAX),
        }
    }
}

fn clean(value: Option<String>, max: usize) -> Option<String> {
    let value = value?;
    let kept: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect();
    (!kept.is_empty()).then_some(kept)
}

/// The lead's `source`: `utm_source` (lower-cased) when present, else the referring site's
/// host when it is another site (without `www.`), else `direct`.
pub fn derive_source(
    utm_source: Option<&str>,
    referrer_host: Option<&str>,
    own_host: Option<&str>,
) -> String {
    if let Some(utm) = utm_source.map(str::trim).filter(|s| !s.is_empty()) {
        return utm.to_lowercase();
    }
    let site = |host: &str| {
        let host = host.trim().trim_end_matches('.').to_lowercase();
        host.strip_prefix("www.").map(str::to_owned).unwrap_or(host)
    };
    match referrer_host.map(site).filter(|h| !h.is_empty()) {
        Some(referrer) if own_host.map(site).as_deref() != Some(referrer.as_str()) => referrer,
        _ => "direct".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_the_utm_source_first() {
        assert_eq!(
            derive_source(Some(" Newsletter "), Some("google.com"), Some("acme.test")),
            "newsletter"
        );
    }

    #[test]
    fn the_source_is_another_sites_host_without_www() {
        assert_eq!(
            derive_source(None, Some("www.Google.com"), Some("acme.test")),
            "google.com"
        );
        assert_eq!(
            derive_source(Some("  "), Some("news.ycombinator.com"), None),
            "news.ycombinator.com"
        );
    }

    #[test]
    fn our_own_site_or_nothing_is_direct() {
        assert_eq!(
            derive_source(None, Some("acme.test"), Some("www.acme.test")),
            "direct"
        );
        assert_eq!(derive_source(None, None, Some("acme.test")), "direct");
        assert_eq!(derive_source(None, Some(""), None), "direct");
    }

    #[test]
    fn attribution_is_cleaned_and_capped() {
        let cleaned = Attribution {
            utm_source: Some("  spring\u{0000}sale ".into()),
            utm_medium: Some("   ".into()),
            utm_campaign: Some("c".repeat(UTM_MAX + 50)),
            referrer: None,
            landing_path: Some("/?utm_source=x".into()),
        }
        .cleaned();
        assert_eq!(cleaned.utm_source.as_deref(), Some("springsale"));
        assert_eq!(cleaned.utm_medium, None);
        assert_eq!(
            cleaned.utm_campaign.map(|c| c.chars().count()),
            Some(UTM_MAX)
        );
        assert_eq!(cleaned.landing_path.as_deref(), Some("/?utm_source=x"));
    }
}
