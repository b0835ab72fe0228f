//! The signed-in owner, as pages show them.

use serde::{Deserialize, Serialize};

/// Where a signed-in owner lands when no other page was asked for.
pub const HOME: &str = "/dashboard";

/// The signed-in owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerView {
    pub email: String,
}

/// A path of this site to go to after signing in; anything else (another site, `//host`,
/// a backslash trick) becomes the dashboard.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => HOME.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/dashboard?window=30d")),
            "/dashboard?window=30d"
        );
        for hostile in [
            None,
            Some("https://evil.example/"),
            Some("//evil.example/"),
            Some("/\\evil.example"),
            Some("dashboard"),
            Some("/\nLocation: x"),
        ] {
            assert_eq!(safe_next(hostile), HOME, "{hostile:?}");
        }
    }
}
