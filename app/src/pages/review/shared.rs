//! What the review page shares with every item on it: the view asked for, the action its
//! forms post to, and the leads found for the item being linked.

use leptos::prelude::*;

use crate::{
    api::review::ActOnReviewItem, error::AppError, wire::review::LeadMatch,
    wire::review_url::ReviewQuery,
};

#[derive(Clone, Copy)]
pub struct Shared {
    pub query: Memo<ReviewQuery>,
    pub act: ServerAction<ActOnReviewItem>,
    pub matches: Resource<Result<Option<Vec<LeadMatch>>, AppError>>,
}
