//! Every page but the intake form as a lazily loaded route: a release build made with `cargo
//! leptos build --split` puts each one's code (its views, tables, charts, the booking embed,
//! and the data types only they read) in a wasm chunk of its own, fetched when the page is
//! opened, so the first page a visitor loads, the form, carries only its own. A page rendered
//! by the server may name its chunk in the document, so the browser fetches it beside the main
//! module while hydrating; otherwise hydration fetches it.
//!
//! Each page fetches its own data when it renders: the server sends that data inside the page,
//! and only navigating between pages in the browser waits for a chunk, once per page.

// The split points are extern functions that the `lazy_route` expansion declares and calls.
#![allow(unsafe_code)]

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

// From each page's own module: `pages` re-exports these routes, so naming the pages through it
// would make the two import each other.
use super::{
    audit::AuditTrailPage, book::BookingPage, dashboard::DashboardPage, lead::LeadPage,
    leads::LeadsPage, review::ReviewQueuePage, sign_in::SignInPage,
};

/// Declares a lazily loaded route that shows `$page`.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// `/dashboard`.
    DashboardRoute => DashboardPage
);
lazy_page!(
    /// `/leads`.
    LeadsRoute => LeadsPage
);
lazy_page!(
    /// `/leads/{submission_id}`.
    LeadRoute => LeadPage
);
lazy_page!(
    /// `/review`.
    ReviewRoute => ReviewQueuePage
);
lazy_page!(
    /// `/audit`.
    AuditRoute => AuditTrailPage
);
lazy_page!(
    /// `/book/{submission_id}`: a visitor comes to it from the form, whose module they have.
    BookingRoute => BookingPage
);
lazy_page!(
    /// `/signin`.
    SignInRoute => SignInPage
);
