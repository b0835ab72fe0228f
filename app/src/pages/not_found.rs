//! The page for any path the app does not know, answered with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::PageFrame;

/// "Not found" as a whole page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PageFrame>
            <NotFoundContent />
        </PageFrame>
    }
}

/// "Not found", with a way back to the start; sets status 404 when rendered on the server.
#[component]
pub fn NotFoundContent() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="hero">
            <h1>"We could not find that page"</h1>
            <p class="lede">
                <a href="/">"Go to the start"</a>
                " to tell us what you need."
            </p>
        </section>
    }
}
