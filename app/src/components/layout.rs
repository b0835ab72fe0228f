//! The frames pages sit in: header, main content, footer. Visitors (the form, the booking
//! page) and owners (sign-in, dashboard) get different headers and footers around the same
//! `<main>`.

use leptos::prelude::*;

use super::hydration_marker::use_hydrated;

/// `<main>` carries `data-hydrated`, which tests and styles can rely on.
#[component]
fn Main(children: Children) -> impl IntoView {
    let hydrated = use_hydrated();
    view! {
        <main id="main" data-hydrated=move || hydrated.get().to_string()>
            {children()}
        </main>
    }
}

/// Wraps a visitor's page with the site header and the visitor footer.
#[component]
pub fn PageFrame(children: Children) -> impl IntoView {
    view! {
        <div class="frame">
            <header class="site-header">
                <a class="brand" href="/">
                    "Handoff"
                </a>
            </header>
            <Main>{children()}</Main>
            <footer class="site-footer">
                <p>"Your details are only used to prepare your call."</p>
            </footer>
        </div>
    }
}

/// Wraps an owner's page: the header says whose area this is and leads to the dashboard.
#[component]
pub fn OwnerFrame(children: Children) -> impl IntoView {
    view! {
        <div class="frame owner-frame">
            <header class="site-header owner-header">
                <a class="brand" href="/dashboard">
                    "Handoff"
                    <span class="brand-area">"Owners"</span>
                </a>
                <nav aria-label="Owner pages">
                    <a href="/dashboard">"Dashboard"</a>
                    <a href="/leads">"Leads"</a>
                    <a href="/">"Intake form"</a>
                </nav>
            </header>
            <Main>{children()}</Main>
            <footer class="site-footer">
                <p>"Owner area. Days and times are the business's own (its time zone is shown with each view)."</p>
            </footer>
        </div>
    }
}
