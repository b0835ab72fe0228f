//! `/signin`: the owners' sign-in form. It posts to the `sign_in` server function with or
//! without JavaScript; a signed-in owner is sent on to the page they asked for.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{api::owner::SignIn, components::OwnerFrame, error::AppError};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let sign_in = ServerAction::<SignIn>::new();
    let problem = move || match sign_in.value().get() {
        Some(Err(AppError::SignInRefused)) => {
            Some("That email and password do not match. Check both and try again.")
        }
        Some(Err(AppError::TooManyAttempts)) => {
            Some("Too many attempts. For your account's safety, try again later.")
        }
        Some(Err(AppError::BadRequest(_))) => {
            Some("That email or password is longer than any account's. Check both and try again.")
        }
        Some(Err(_)) => Some("We could not sign you in just now. Please try again in a moment."),
        _ => None,
    };
    view! {
        <OwnerFrame signed_out=true>
            <Title text="Sign in" />
            <section class="hero">
                <h1>"Sign in"</h1>
                <p class="lede">"For owners: the booking dashboard."</p>
            </section>
            <ActionForm action=sign_in attr:class="intake signin">
                <input type="hidden" name="next" value=next />
                {move || problem().map(|text| view! { <p class="form-problem" role="alert">{text}</p> })}
                <div class="field">
                    <label for="signin-email">"Email"</label>
                    <input id="signin-email" type="email" name="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="signin-password">"Password"</label>
                    <input
                        id="signin-password"
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                    />
                </div>
                <button class="primary" type="submit" disabled=move || sign_in.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
        </OwnerFrame>
    }
}
