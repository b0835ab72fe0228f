//! The HTML shell and the router: which page answers which path.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    Lazy, ParamSegment, SsrMode, StaticSegment,
};

use crate::pages::{
    AuditRoute, BookingRoute, DashboardRoute, HomePage, LeadRoute, LeadsRoute, NotFoundPage,
    ReviewRoute, SignInRoute, ThanksPage,
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
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
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
                // The others load their code when opened (`pages::lazy_routes`).
                <Route
                    path=(StaticSegment("book"), ParamSegment("submission_id"))
                    view={Lazy::<BookingRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment("thanks") view=ThanksPage />
                <Route
                    path=StaticSegment("signin")
                    view={Lazy::<SignInRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=StaticSegment("dashboard")
                    view={Lazy::<DashboardRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=StaticSegment("leads")
                    view={Lazy::<LeadsRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("leads"), ParamSegment("submission_id"))
                    view={Lazy::<LeadRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=StaticSegment("review")
                    view={Lazy::<ReviewRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=StaticSegment("audit")
                    view={Lazy::<AuditRoute>::new()}
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
