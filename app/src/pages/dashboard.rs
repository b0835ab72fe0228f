//! `/dashboard`: the owners' view. Anyone not signed in is sent to the sign-in page (a 302 from
//! the server, or a client-side redirect after navigation).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    api::owner::{current_owner, OwnerView, SignOut},
    components::PageFrame,
    error::AppError,
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let owner = Resource::new(|| (), |_| current_owner());
    view! {
        <PageFrame>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match owner.await {
                        Ok(owner) => view! { <Dashboard owner /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            view! { <Redirect path="/signin?next=%2Fdashboard" /> }.into_any()
                        }
                        Err(_) => view! {
                            <Title text="Something went wrong" />
                            <p class="form-problem" role="alert">
                                "The dashboard could not be loaded. Please reload it in a moment."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </PageFrame>
    }
}

#[component]
fn Dashboard(owner: OwnerView) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <Title text="Dashboard" />
        <section class="hero owner-bar">
            <h1>"Bookings"</h1>
            <p class="lede">"Signed in as " <strong>{owner.email}</strong></p>
            <ActionForm action=sign_out attr:class="sign-out">
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
        </section>
    }
}
