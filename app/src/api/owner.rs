//! Owner server functions: signing in and out, and who is signed in. Every function here but
//! `sign_in` refuses a request without a valid session (401).

use leptos::prelude::*;

use crate::{error::AppError, wire::owner::OwnerView};

/// Signs an owner in: sets the session cookie and redirects to `next` (a path of this site)
/// or the dashboard.
#[server(endpoint = "signin")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        ssr::{
            auth::{
                self, password::MAX_BYTES as MAX_PASSWORD_BYTES, session, sign_in::MAX_EMAIL_BYTES,
                SignIn,
            },
            request::client_context,
            respond::{app_state, request_parts, respond, set_cookie, set_retry_after},
        },
        wire::owner::safe_next,
    };

    respond(async move {
        let app = app_state()?;
        let client = client_context(&app).await?;
        match auth::sign_in(&app, &email, password, client.ip).await? {
            SignIn::Accepted { token } => {
                let secure = session::secure_cookie(&request_parts()?, &app.settings);
                let lifetime = app.settings.owners.session_seconds().unsigned_abs();
                set_cookie(&session::set_cookie(&token, lifetime, secure));
                leptos_axum::redirect(&safe_next(next.as_deref()));
                Ok(())
            }
            SignIn::Refused => {
                tracing::info!("sign-in refused");
                Err(AppError::SignInRefused)
            }
            SignIn::TooLong => Err(AppError::BadRequest(format!(
                "an email is at most {MAX_EMAIL_BYTES} bytes and a password at most {MAX_PASSWORD_BYTES}"
            ))),
            SignIn::TooManyAttempts {
                retry_after_seconds,
            } => {
                set_retry_after(retry_after_seconds);
                Err(AppError::TooManyAttempts)
            }
            SignIn::Busy => {
                tracing::warn!("sign-in refused: too many password checks waiting");
                set_retry_after(1);
                Err(AppError::Unavailable)
            }
        }
    })
    .await
}

/// Ends the owner's session and goes to the sign-in page.
#[server(endpoint = "owner/signout")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::ssr::{
        auth::{self, session},
        respond::{as_owner, request_parts, set_cookie},
    };

    as_owner(|app, _owner| async move {
        let parts = request_parts()?;
        auth::sign_out(&app, &parts.headers).await?;
        set_cookie(&session::clear_cookie(session::secure_cookie(
            &parts,
            &app.settings,
        )));
        leptos_axum::redirect("/signin");
        Ok(())
    })
    .await
}

/// The signed-in owner.
#[server(endpoint = "owner/me")]
pub async fn current_owner() -> Result<OwnerView, AppError> {
    use crate::ssr::respond::as_owner;

    as_owner(|_app, owner| async move { Ok(OwnerView { email: owner.email }) }).await
}
