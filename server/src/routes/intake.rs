//! The intake form's endpoint. A browser posting the form without JavaScript gets a real
//! page back: a redirect on success, the form re-rendered with its messages and every value
//! typed (status 422), or a short page saying what went wrong, with the error's status.
//! Calls made by the hydrated app go to the server function as usual, and its errors are the
//! JSON problem every API route answers with. Both paths run the same `submit`.

use std::net::SocketAddr;

use app::{
    api::intake::SubmitIntake,
    error::AppError,
    shell,
    ssr::{
        client_ip::client_ip,
        intake::{capture::own_host, submit, ClientContext, IntakeRejection, SubmitOutcome},
        state::AppState,
    },
};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, request::Parts, Method, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;
use leptos_axum::{handle_server_fns_with_context, render_app_async_with_context};

use crate::security_headers::provide_request_nonce;

/// Largest accepted form body; the fields' own limits are far smaller.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn post_intake(State(state): State<AppState>, request: Request) -> Response {
    let from_plain_form = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if from_plain_form {
        submit_plain_form(state, request).await
    } else {
        call_server_function(state, request).await
    }
}

/// The hydrated app's call, answered by the server function.
async fn call_server_function(state: AppState, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    let context = move || {
        provide_context(state.clone());
        provide_request_nonce();
    };
    handle_server_fns_with_context(context, Request::from_parts(parts, Body::from(bytes)))
        .await
        .into_response()
}

async fn submit_plain_form(state: AppState, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return problem_page(
                &AppError::PayloadTooLarge,
                "The form was too large to send.",
            )
        }
    };
    let args: SubmitIntake = match serde_urlencoded::from_bytes(&bytes) {
        Ok(args) => args,
        Err(error) => {
            return problem_page(
                &AppError::BadRequest(error.to_string()),
                "The form could not be read.",
            )
        }
    };
    let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>().copied() else {
        tracing::error!("the peer address is missing from the request");
        return problem_page(&AppError::Internal, "Something went wrong.");
    };
    let client = ClientContext {
        ip: client_ip(
            peer,
            &parts.headers,
            state.settings.intake.trusted_proxy_hops,
        ),
        own_host: own_host(&parts.headers),
    };
    let form = args.clone().into_submission();
    match submit(&state, &client, &form, jiff::Timestamp::now()).await {
        Ok(SubmitOutcome::Stored(id)) => Redirect::to(&format!("/book/{id}")).into_response(),
        Ok(SubmitOutcome::Dropped(_)) => Redirect::to("/thanks").into_response(),
        Ok(SubmitOutcome::Rejected(errors)) => {
            render_form_again(state, &parts, IntakeRejection(args.rejected(errors))).await
        }
        Ok(SubmitOutcome::Expired { token }) => {
            render_form_again(state, &parts, IntakeRejection(args.renewed(token))).await
        }
        Err(error) => problem_page(
            &AppError::from(error),
            "We could not save your details just now. Please go back and send the form again.",
        ),
    }
}

/// Renders the home page as a GET of `/` would, with the rejected submission in context.
async fn render_form_again(state: AppState, parts: &Parts, rejection: IntakeRejection) -> Response {
    let mut page_request = Request::new(Body::empty());
    *page_request.method_mut() = Method::GET;
    *page_request.uri_mut() = "/".parse().unwrap_or_default();
    *page_request.headers_mut() = parts.headers.clone();
    page_request.headers_mut().remove(header::CONTENT_TYPE);
    page_request.headers_mut().remove(header::CONTENT_LENGTH);
    if let Some(nonce) = parts.extensions.get::<leptos::nonce::Nonce>() {
        page_request.extensions_mut().insert(nonce.clone());
    }
    let options = state.leptos_options.clone();
    let render = render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_request_nonce();
            provide_context(rejection.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = render(page_request).await;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// A small HTML page for a form post that cannot be taken, with the error's status.
fn problem_page(error: &AppError, message: &'static str) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Handoff</title>\
         </head><body><main><h1>{message}</h1><p><a href=\"/\">Back to the form</a></p></main>\
         </body></html>"
    );
    (status, Html(page)).into_response()
}
