//! `/book/{submission_id}`: where a lead goes after the form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::booking::load_booking_lead, components::PageFrame, error::AppError,
    pages::not_found::NotFoundContent,
};

/// The booking page for one lead; the 404 page for an unknown or malformed id.
#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let lead = Resource::new(
        move || params.with(|p| p.get("submission_id").unwrap_or_default()),
        load_booking_lead,
    );
    view! {
        <PageFrame>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match lead.await {
                        Ok(lead) => view! {
                            <Title text="Pick a time" />
                            <section class="hero" data-submission-id=lead.submission_id>
                                <h1>{format!("Thanks, {}", lead.first_name)}</h1>
                                <p class="lede">"We have your details. Next, pick a time that suits you."</p>
                            </section>
                        }
                        .into_any(),
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
