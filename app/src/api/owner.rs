//! Owner server functions: signing in and out, and who is signed in. Every function here but
//! `sign_in` refuses a request without a valid session (401).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Where a signed-in owner lands when no other page was asked for.
pub const HOME: &str = "/dashboard";

/// The signed-in owner, as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerView {
    pub email: String,
}

/// Signs an owner in: sets the session cookie and redirects to `next` (a path of this site)
/// or the dashboard.
#[server(endpoint = "signin")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::{
        auth::{self, session, SignIn},
        request::client_context,
        state::AppState,
    };

    let app = use_context::<AppState>().ok_or(AppError::Internal)?;
    let client = client_context(&app).await?;
    let outcome = auth::sign_in(&app, &email, password, client.ip)
        .await
        .map_err(internal("cannot check a sign-in"))?;
    match outcome {
        SignIn::Accepted { token } => {
            let cookie = session::set_cookie(
                &token,
                app.settings.owners.session_seconds().unsigned_abs(),
                request_is_https(&app),
            );
            set_cookie(&cookie);
            leptos_axum::redirect(&safe_next(next.as_deref()));
            Ok(())
        }
        SignIn::Refused => {
            tracing::info!("sign-in refused");
            Err(with_status(
                http::StatusCode::UNAUTHORIZED,
                AppError::SignInRefused,
            ))
        }
        SignIn::TooManyAttempts => {
            tracing::info!("sign-in attempts over the limit");
            Err(with_status(
                http::StatusCode::TOO_MANY_REQUESTS,
                AppError::TooManyAttempts,
            ))
        }
    }
}

/// Ends the owner's session and goes to the sign-in page.
#[server(endpoint = "owner/signout")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::ssr::auth::{self, session};

    let (app, _owner) = require_owner().await?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    auth::sign_out(&app, &parts.headers)
        .await
        .map_err(internal("cannot end a session"))?;
    set_cookie(&session::clear_cookie(request_is_https(&app)));
    leptos_axum::redirect("/signin");
    Ok(())
}

/// The signed-in owner.
#[server(endpoint = "owner/me")]
pub async fn current_owner() -> Result<OwnerView, AppError> {
    let (_, owner) = require_owner().await?;
    Ok(OwnerView { email: owner.email })
}

/// The app and the signed-in owner of this request; `Unauthenticated` (status 401) without a
/// valid session. Every owner server function starts with this.
#[cfg(feature = "ssr")]
pub async fn require_owner(
) -> Result<(crate::ssr::state::AppState, crate::ssr::auth::Owner), AppError> {
    use crate::ssr::{auth, state::AppState};

    let app = use_context::<AppState>().ok_or(AppError::Internal)?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    match auth::owner_of(&app, &parts.headers)
        .await
        .map_err(internal("cannot read a session"))?
    {
        Some(owner) => Ok((app, owner)),
        None => Err(with_status(
            http::StatusCode::UNAUTHORIZED,
            AppError::Unauthenticated,
        )),
    }
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

#[cfg(feature = "ssr")]
fn with_status(status: http::StatusCode, error: AppError) -> AppError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    error
}

#[cfg(feature = "ssr")]
fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Whether the browser reached us over https (directly, or through a trusted proxy that says
/// so), so the cookie can be marked Secure.
#[cfg(feature = "ssr")]
fn request_is_https(app: &crate::ssr::state::AppState) -> bool {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return false;
    };
    parts.uri.scheme_str() == Some("https")
        || (app.settings.intake.trusted_proxy_hops > 0
            && parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https")))
}

#[cfg(feature = "ssr")]
fn internal(what: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |error| {
        tracing::error!(%error, "{what}");
        AppError::Internal
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
