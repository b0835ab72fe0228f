//! A plain acknowledgement page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::PageFrame;

#[component]
pub fn ThanksPage() -> impl IntoView {
    view! {
        <Title text="Thank you" />
        <PageFrame>
            <section class="hero">
                <h1>"Thank you"</h1>
                <p class="lede">"We have received your message and will be in touch."</p>
            </section>
        </PageFrame>
    }
}
