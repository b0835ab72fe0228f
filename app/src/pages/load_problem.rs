//! What an owner page shows when its data did not load: the sign-in page for an owner who is
//! signed out, the reason and a way back for a query it cannot show, else a plea to reload.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::error::AppError;

/// A page's words for its problems.
pub struct PageProblems {
    /// The page's path, `/review`: where sign-in comes back to.
    pub path: &'static str,
    /// "That view cannot be shown" (followed by the reason).
    pub refused: &'static str,
    /// The link back to the page without the query.
    pub start_over: &'static str,
    /// What is said when loading failed otherwise.
    pub failed: &'static str,
}

pub fn load_problem(error: AppError, words: PageProblems) -> AnyView {
    match error {
        AppError::Unauthenticated => {
            let next = format!("/signin?next={}", words.path.replace('/', "%2F"));
            view! { <Redirect path=next /> }.into_any()
        }
        AppError::BadRequest(problem) => view! {
            <p class="form-problem" role="alert">
                {format!("{}: {problem}. ", words.refused)}
                <a href=words.path>{words.start_over}</a>
            </p>
        }
        .into_any(),
        _ => view! { <p class="form-problem" role="alert">{words.failed}</p> }.into_any(),
    }
}
