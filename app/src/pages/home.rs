//! The intake form at `/`: who you are and what you need, before booking.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::intake::load_intake_form,
    components::{IntakeForm, PageFrame},
};

/// The home page. The form's ticket is made on the server while rendering, so the page works
/// fully before (and without) the wasm.
#[component]
pub fn HomePage() -> impl IntoView {
    let form = Resource::new(|| (), |_| load_intake_form());
    view! {
        <Title text="Tell us what you need" />
        <PageFrame>
            <section class="hero">
                <h1>"Tell us what you need, then pick a time"</h1>
                <p class="lede">
                    "Share a few details first so the call starts where it matters. "
                    "Then choose a slot that suits you."
                </p>
            </section>
            <Suspense fallback=|| view! { <p class="loading">"Loading the form…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(state) => view! { <IntakeForm state /> }.into_any(),
                        Err(_) => view! {
                            <p class="form-problem" role="alert">
                                "The form could not be loaded. Please reload the page."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </PageFrame>
    }
}
