//! `GET /api/owner/events`: server-sent events for a signed-in owner's open dashboard, one
//! `changed` message whenever a webhook changed what it shows (from any server process, on
//! PostgreSQL). A stream lasts a little less than the request timeout, then the browser
//! reconnects by itself; it also ends when the server shuts down. An owner may have
//! `LIVE_STREAMS_PER_OWNER` streams open, everyone together `LIVE_STREAMS_MAX`; past either,
//! 429 (the dashboard still works, without live updates).

use std::{convert::Infallible, time::Duration};

use app::{
    error::AppError,
    ssr::{auth::Owner, state::AppState, stream_slots::StreamSlot},
};
use axum::response::{
    sse::{Event, KeepAlive, Sse},
    IntoResponse, Response,
};
use futures::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

pub const PATH: &str = "/api/owner/events";

/// How long one stream lasts at most: under the request timeout, which would cut it.
fn stream_lifetime(request_timeout: Duration) -> Duration {
    request_timeout
        .saturating_sub(Duration::from_secs(5))
        .max(Duration::from_secs(5))
}

pub async fn changes(app: AppState, owner: Owner, request_timeout: Duration) -> Response {
    let Some(slot) = app.stream_slots.take(&owner.id) else {
        tracing::info!("live-update stream refused: too many open");
        return AppError::TooMany("too many live-update streams are open".into()).into_response();
    };
    let deadline = tokio::time::Instant::now() + stream_lifetime(request_timeout);
    Sse::new(change_stream(app, deadline, slot))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

/// The stream holds `slot` until it ends or the client goes away.
fn change_stream(
    app: AppState,
    deadline: tokio::time::Instant,
    slot: StreamSlot,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let first = Event::default()
        .retry(Duration::from_millis(500))
        .comment("listening");
    let state = (
        app.changes.subscribe(),
        app.changes.closing(),
        Some(first),
        slot,
    );
    stream::unfold(
        state,
        move |(mut changes, mut closing, first, slot)| async move {
            if let Some(first) = first {
                return Some((Ok(first), (changes, closing, None, slot)));
            }
            if *closing.borrow() {
                return None;
            }
            tokio::select! {
                received = changes.recv() => match received {
                    Ok(()) | Err(RecvError::Lagged(_)) => {
                        Some((Ok(Event::default().data("changed")), (changes, closing, None, slot)))
                    }
                    Err(RecvError::Closed) => None,
                },
                _ = closing.changed() => None,
                () = tokio::time::sleep_until(deadline) => None,
            }
        },
    )
}
