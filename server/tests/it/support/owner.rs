//! A signed-in owner for tests of owner pages and routes.

use app::ssr::auth::create_or_update_owner;
use axum::Router;
use reqwest::header;

use super::{spawn_app_with, Backend, TestApp};

pub const OWNER_EMAIL: &str = "owner@acme.example";
pub const OWNER_PASSWORD: &str = "a long enough passphrase";

/// An app (with `vars` over the test defaults) with an owner, and that owner's session cookie.
pub async fn signed_in(backend: Backend, vars: &[(&str, &str)]) -> (TestApp, String) {
    let app = spawn_app_with(backend, vars, Router::new()).await;
    create_or_update_owner(&app.state.db, OWNER_EMAIL, OWNER_PASSWORD.into())
        .await
        .expect("an owner");
    let cookie = sign_in(&app).await;
    (app, cookie)
}

/// Signs the owner in through the sign-in form; answers the `Cookie` header value.
pub async fn sign_in(app: &TestApp) -> String {
    let response = app
        .client
        .post(app.url("/api/signin"))
        .header(header::ACCEPT, "text/html")
        .form(&[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)])
        .send()
        .await
        .expect("send");
    let set_cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}
