//! The routes: every path the stand-in answers, with the stand-in as state.

use axum::{
    routing::{get, post},
    Router,
};

use super::{api, api_v2, booker, dashboard, demo, embed, ui};
use crate::standin::Standin;

/// Every route, with the stand-in as state.
pub fn router(standin: Standin) -> Router {
    Router::new()
        .route("/embed/embed.js", get(embed::script))
        .route("/standin", get(dashboard::page))
        .route("/standin/booker.js", get(booker::script))
        .route("/standin/demo", get(demo::page))
        .route("/standin/api/bookings", get(api::list).post(api::create))
        .route("/standin/api/bookings/{uid}", get(api::show))
        .route("/standin/api/bookings/{uid}/{action}", post(api::act))
        .route("/standin/api/deliveries", get(api::deliveries))
        .route("/standin/api/outbox/flush", post(api::flush))
        .route("/standin/api/ping", post(api::ping))
        .route(
            "/standin/api/settings",
            get(api::settings).post(api::update_settings),
        )
        .route("/standin/api/reset", post(api::reset))
        .route("/standin/api/seed", post(api::seed))
        .route("/standin/ui/book", post(ui::book))
        .route("/standin/ui/bookings/{uid}", post(ui::act))
        .route("/standin/ui/flush", post(ui::flush))
        .route("/standin/ui/ping", post(ui::ping))
        .route("/standin/ui/settings", post(ui::settings))
        .route("/standin/ui/reset", post(ui::reset))
        .route("/video/{uid}", get(booker::video))
        .route("/v2/bookings", get(api_v2::list))
        .route("/v2/bookings/{uid}", get(api_v2::show))
        .route("/{*path}", get(booker::page))
        .with_state(standin)
}
