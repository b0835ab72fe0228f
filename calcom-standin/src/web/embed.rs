//! `GET /embed/embed.js`: Cal.com's embed script, byte for byte, or a 503 in that failure mode.

use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use crate::standin::Standin;

pub async fn script(State(standin): State<Standin>) -> Response {
    if standin.store().settings.fail_embed_script {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "embed script unavailable (stand-in failure mode embed-script)\n",
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/javascript"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        standin.embed_js.clone(),
    )
        .into_response()
}
