//! The HTML shell and the router: which page answers which path.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use crate::pages::{
    AuditTrailPage, BookingPage, DashboardPage, HomePage, LeadPage, LeadsPage, NotFoundPage,
    ReviewQueuePage, SignInPage, ThanksPage,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.ico" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application root, shared by server rendering and hydration.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/handoff.css" />
        <Title formatter=|page: String| format!("{page} · Handoff") />
        <Router>
            <Routes fallback=NotFoundPage>
                // Async: the whole page, data included, is in the first response, so it
                // works without JavaScript and streams no un-nonced scripts.
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("book"), ParamSegment("submission_id"))
                    view=BookingPage
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment("thanks") view=ThanksPage />
                <Route path=StaticSegment("signin") view=SignInPage ssr=SsrMode::Async />
                <Route path=StaticSegment("dashboard") view=DashboardPage ssr=SsrMode::Async />
                <Route path=StaticSegment("leads") view=LeadsPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("leads"), ParamSegment("submission_id"))
                    view=LeadPage
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment("review") view=ReviewQueuePage ssr=SsrMode::Async />
                <Route path=StaticSegment("audit") view=AuditTrailPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
