//! The frame every public page sits in: header, main content, footer.

use leptos::prelude::*;

use super::hydration_marker::use_hydrated;

/// Wraps a page's content with the site header and footer. `<main>` carries
/// `data-hydrated`, which tests and styles can rely on.
#[component]
pub fn PageFrame(children: Children) -> impl IntoView {
    let hydrated = use_hydrated();
    view! {
        <div class="frame">
            <header class="site-header">
                <a class="brand" href="/">
                    "Handoff"
                </a>
            </header>
            <main id="main" data-hydrated=move || hydrated.get().to_string()>
                {children()}
            </main>
            <footer class="site-footer">
                <p>"Your details are only used to prepare your call."</p>
            </footer>
        </div>
    }
}
