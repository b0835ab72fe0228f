//! `/book/{submission_id}`: where a lead goes after the form. It greets them, shows the
//! Cal.com booker, and once the booker reports a booking it says "confirming…" until the
//! signed webhook has written that booking to the database, then shows the slot in the lead's
//! own time zone. Only the database can make this page say "booked".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::booking::load_booking_page,
    components::{CalEmbed, PageFrame},
    error::AppError,
    pages::not_found::NotFoundContent,
    wire::booking::{BookingView, ConfirmedBooking},
};

/// The booking page for one lead; the 404 page for an unknown or malformed id.
#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.with(|p| p.get("submission_id").unwrap_or_default()),
        load_booking_page,
    );
    view! {
        <PageFrame>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Handoff page /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NotFoundContent /> }.into_any(),
                        Err(_) => view! {
                            <Title text="Something went wrong" />
                            <p class="form-problem" role="alert">
                                "This page could not be loaded. Please reload it in a moment."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </PageFrame>
    }
}

/// Where the booking stands, as far as this page knows.
// Only the browser moves past the first state.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq, Eq)]
enum Progress {
    Choosing,
    /// The booker reported a booking; waiting for its webhook.
    Confirming,
    /// Still no webhook after a while: say an e-mail will follow, never "booked".
    ConfirmingSlowly,
    Confirmed(ConfirmedBooking),
}

#[component]
fn Handoff(page: BookingView) -> impl IntoView {
    let BookingView {
        submission_id,
        first_name,
        embed,
        booking,
    } = page;
    let progress = RwSignal::new(match booking {
        Some(booking) => Progress::Confirmed(booking),
        None => Progress::Choosing,
    });
    let on_booked = Callback::new({
        let submission_id = submission_id.clone();
        move |uid: String| confirm(progress, submission_id.clone(), uid)
    });
    let collapsed = Signal::derive(move || matches!(progress.get(), Progress::Confirmed(_)));

    view! {
        <Title text="Pick a time" />
        <section class="hero" data-submission-id=submission_id.clone()>
            <h1>
                {match first_name {
                    Some(name) => format!("Thanks, {name}"),
                    None => "Pick a time".to_owned(),
                }}
            </h1>
            <p class="lede" hidden=collapsed>
                "We have your details. Next, pick a time that suits you."
            </p>
        </section>
        <div class="booking-status" role="status" aria-live="polite" data-testid="booking-status">
            {move || progress_view(progress.get())}
        </div>
        <CalEmbed setup=embed submission_id on_booked collapsed />
    }
}

fn progress_view(progress: Progress) -> impl IntoView {
    match progress {
        Progress::Choosing => ().into_any(),
        Progress::Confirming => {
            view! { <p class="confirming">"Confirming your booking…"</p> }.into_any()
        }
        Progress::ConfirmingSlowly => view! {
            <p class="confirming">
                "Your booking is being confirmed. Cal.com will e-mail you the details shortly."
            </p>
        }
        .into_any(),
        Progress::Confirmed(booking) if booking.accepted => view! {
            <div class="confirmed" data-booking-uid=booking.uid>
                <h2>"You're booked"</h2>
                <p>
                    <time datetime=booking.start_utc>{booking.when}</time>
                </p>
                <p>"The invitation is on its way to your inbox."</p>
            </div>
        }
        .into_any(),
        Progress::Confirmed(booking) => view! {
            <div class="confirmed" data-booking-uid=booking.uid>
                <h2>"Request sent"</h2>
                <p>
                    "You asked for " <time datetime=booking.start_utc>{booking.when}</time> "."
                </p>
                <p>"The host will confirm it by e-mail."</p>
            </div>
        }
        .into_any(),
    }
}

/// After the booker reports booking `uid`: polls the database until that booking's webhook
/// has been applied. A claim that never reaches the database (a forged message, a lost
/// webhook) never turns into "booked".
#[cfg(feature = "hydrate")]
fn confirm(progress: RwSignal<Progress>, submission_id: String, uid: String) {
    use crate::{
        api::booking::booking_confirmation,
        browser::timers::{now_ms, sleep},
    };
    // Past this, say an e-mail will follow; keep looking, less often, until GIVE_UP.
    const PATIENCE_MS: f64 = 20_000.0;
    const GIVE_UP_MS: f64 = 300_000.0;

    if matches!(progress.get_untracked(), Progress::Confirmed(ref b) if b.uid == uid) {
        return;
    }
    progress.set(Progress::Confirming);
    leptos::task::spawn_local(async move {
        let started = now_ms();
        loop {
            let waited = now_ms() - started;
            sleep(if waited < PATIENCE_MS { 500 } else { 3_000 }).await;
            if let Ok(Some(booking)) =
                booking_confirmation(submission_id.clone(), uid.clone()).await
            {
                progress.try_set(Progress::Confirmed(booking));
                return;
            }
            let waited = now_ms() - started;
            match progress.try_get_untracked() {
                Some(Progress::Confirming) if waited >= PATIENCE_MS => {
                    progress.try_set(Progress::ConfirmingSlowly);
                }
                Some(Progress::Confirming | Progress::ConfirmingSlowly) if waited < GIVE_UP_MS => {}
                _ => return,
            }
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn confirm(_: RwSignal<Progress>, _: String, _: String) {}
