//! The Cal.com booker, inline, with a plain link to the same booking page for when it cannot
//! be shown. Rendered on the server as the link alone (so the page works without JavaScript);
//! once hydrated, the embed is started and the link comes back only if the embed fails or is
//! not ready within a few seconds.

use leptos::prelude::*;

use crate::wire::booking::EmbedSetup;

/// How long the booker may take to say it is ready before the link is offered too.
#[cfg(feature = "hydrate")]
const READY_WITHIN_MS: i32 = 6_000;

// Only the browser moves past the first state.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EmbedState {
    /// Server-rendered, or the wasm has not run: only the link.
    Static,
    Loading,
    /// Still loading after [`READY_WITHIN_MS`]: the link is offered alongside.
    Slow,
    Ready,
    Failed,
}

/// The inline booker for one lead. `on_booked` hears the uid of a booking the booker claims
/// to have made; `collapsed` hides the booker (e.g. once the booking is confirmed).
#[component]
pub fn CalEmbed(
    setup: EmbedSetup,
    submission_id: String,
    on_booked: Callback<String>,
    #[prop(into)] collapsed: Signal<bool>,
) -> impl IntoView {
    let state = RwSignal::new(EmbedState::Static);
    let fallback_url = setup.fallback_url.clone();

    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        if started.is_some() {
            return;
        }
        state.set(EmbedState::Loading);
        let events = crate::browser::cal_embed::EmbedEvents {
            ready: Callback::new(move |()| {
                state.try_set(EmbedState::Ready);
            }),
            failed: Callback::new(move |()| {
                state.try_set(EmbedState::Failed);
            }),
            booked: on_booked,
        };
        let started =
            crate::browser::cal_embed::start(&setup, &submission_id, "#cal-booker", events);
        if started.is_err() {
            state.set(EmbedState::Failed);
            return;
        }
        leptos::task::spawn_local(async move {
            crate::browser::timers::sleep(READY_WITHIN_MS).await;
            if state.try_get_untracked() == Some(EmbedState::Loading) {
                state.try_set(EmbedState::Slow);
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (setup, submission_id, on_booked);

    let show_link = move || {
        matches!(
            state.get(),
            EmbedState::Static | EmbedState::Slow | EmbedState::Failed
        )
    };
    view! {
        // The embed script owns the inside of #cal-booker; nothing reactive may touch it.
        <div
            class="booker"
            data-embed=move || format!("{:?}", state.get()).to_lowercase()
            hidden=move || collapsed.get() || state.get() == EmbedState::Failed
        >
            <div id="cal-booker"></div>
        </div>
        <p class="booker-fallback" data-testid="booking-fallback" hidden=move || collapsed.get() || !show_link()>
            {move || match state.get() {
                EmbedState::Failed => "The calendar could not be shown here. ",
                EmbedState::Slow => "The calendar is taking a while. ",
                _ => "",
            }}
            <a href=fallback_url rel="noopener">
                "Open the booking calendar"
            </a>
        </p>
    }
}
