//! `GET /api/owner/events`: server-sent events for a signed-in owner's open dashboard, one
//! `changed` message whenever a webhook changed what it shows (from any server process, on
//! PostgreSQL). A stream lasts a little less than the request timeout, then the browser
//! reconnects by itself; it also ends when the server shuts down.

use std::{convert::Infallible, time::Duration};

use app::ssr::{auth::Owner, state::AppState};
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

pub async fn changes(app: AppState, _owner: Owner, request_timeout: Duration) -> Response {
    let deadline = tokio::time::Instant::now() + stream_lifetime(request_timeout);
    Sse::new(change_stream(app, deadline))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

fn change_stream(
    app: AppState,
    deadline: tokio::time::Instant,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let first = Event::default()
        .retry(Duration::from_millis(500))
        .comment("listening");
    let state = (app.changes.subscribe(), app.changes.closing(), Some(first));
    stream::unfold(state, move |(mut changes, mut closing, first)| async move {
        if let Some(first) = first {
            return Some((Ok(first), (changes, closing, None)));
        }
        if *closing.borrow() {
            return None;
        }
        tokio::select! {
            received = changes.recv() => match received {
                Ok(()) | Err(RecvError::Lagged(_)) => {
                    Some((Ok(Event::default().data("changed")), (changes, closing, None)))
                }
                Err(RecvError::Closed) => None,
            },
            _ = closing.changed() => None,
            () = tokio::time::sleep_until(deadline) => None,
        }
    })
}
