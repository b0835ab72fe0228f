//! Who is signed in: the owner a request's session cookie names, for server functions and
//! (as an extractor) for plain routes, and ending a session.

use axum::{extract::FromRequestParts, http::request::Parts};

use crate::{
    error::AppError,
    ssr::{auth::session, db::DbTime, state::AppState, store::owners},
};

/// A signed-in owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    pub id: String,
    pub email: String,
}

/// The owner whose session cookie the request carries, if it is valid and unexpired.
pub async fn owner_of(
    app: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Owner>, sqlx::Error> {
    let Some(token) = session::token_from(headers) else {
        return Ok(None);
    };
    Ok(
        owners::session_owner(&app.db, &session::token_hash(&token), DbTime::now())
            .await?
            .map(|(id, email)| Owner { id, email }),
    )
}

/// Ends the session the request's cookie names, if any.
pub async fn sign_out(app: &AppState, headers: &http::HeaderMap) -> Result<(), sqlx::Error> {
    if let Some(token) = session::token_from(headers) {
        owners::delete_session(&app.db, &session::token_hash(&token)).await?;
    }
    Ok(())
}

/// Owner routes take an `Owner` argument: without a valid session they answer 401 and the
/// handler does not run.
impl FromRequestParts<AppState> for Owner {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, AppError> {
        owner_of(app, &parts.headers)
            .await?
            .ok_or(AppError::Unauthenticated)
    }
}
