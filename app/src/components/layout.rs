//! The frames pages sit in: header, main content, footer. Visitors (the form, the booking
//! page) and owners (sign-in, dashboard, review queue, audit) get different headers and
//! footers around the same `<main>`.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::hydration_marker::use_hydrated;
use crate::api::review::count_open_review;

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

/// Wraps an owner's page: the header says whose area this is and leads to the dashboard, the
/// review queue (with its open count) and the audit trail. `signed_out` pages (sign-in) do
/// not ask for the count.
#[component]
pub fn OwnerFrame(#[prop(optional)] signed_out: bool, children: Children) -> impl IntoView {
    let location = use_location();
    let (pathname, search) = (location.pathname, location.search);
    // Asked again on every navigation (an action on the review page navigates), one query.
    let open = (!signed_out).then(|| {
        Resource::new(
            move || (pathname.get(), search.get()),
            |_| count_open_review(),
        )
    });
    let current = move |path: &'static str| move || (pathname.get() == path).then_some("page");
    view! {
        <div class="frame owner-frame">
            <header class="site-header owner-header">
                <a class="brand" href="/dashboard">
                    "Handoff"
                    <span class="brand-area">"Owners"</span>
                </a>
                <nav aria-label="Owner pages">
                    <a href="/dashboard" aria-current=current("/dashboard")>"Dashboard"</a>
                    <a href="/review" aria-current=current("/review")>
                        "Review"
                        {open.map(|open| view! {
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    open.await.ok().map(|n| view! {
                                        " "
                                        <span class="nav-count" data-testid="review-count" data-count=n.to_string()>
                                            <span class="visually-hidden">"("</span>
                                            {n}
                                            <span class="visually-hidden">" open)"</span>
                                        </span>
                                    })
                                })}
                            </Suspense>
                        })}
                    </a>
                    <a href="/leads" aria-current=current("/leads")>"Leads"</a>
                    <a href="/audit" aria-current=current("/audit")>"Audit"</a>
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
