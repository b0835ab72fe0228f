//! `/review`: the review queue for owners. Tabs filter by kind (with the open count of each),
//! "Next page" follows the cursor, and every item carries its actions as forms that post with
//! or without JavaScript; the server then sends the browser back here, and the page says what
//! was done, or why it could not be (a 409 for an item resolved meanwhile, a missing reason).
//! Anyone not signed in is sent to the sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::review::{find_leads, load_review, ActOnReviewItem, ActOnReviewKind, BULK_ACTIONS},
    components::OwnerFrame,
    domain::review::{ActionName, ItemKind},
    error::AppError,
    wire::{review::ReviewScreen, review_url::ReviewQuery},
};

use super::{item::ItemCard, labels, shared::Shared};
use crate::pages::load_problem::{load_problem, PageProblems};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| ReviewQuery::from_lookup(|k| p.get(k))));
    let act = ServerAction::<ActOnReviewItem>::new();
    let bulk = ServerAction::<ActOnReviewKind>::new();
    let screen = Resource::new(
        move || {
            let q = query.get();
            (q.kind, q.cursor, act.version().get(), bulk.version().get())
        },
        |(kind, cursor, _, _)| load_review(kind, cursor),
    );
    let matches = Resource::new(
        move || {
            let q = query.get();
            q.find.and(q.q)
        },
        |text| async move {
            match text {
                Some(text) => find_leads(Some(text)).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let shared = Shared {
        query,
        act,
        matches,
    };

    view! {
        <OwnerFrame>
            <Title text="Review queue" />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(screen) => view! { <Queue screen shared bulk /> }.into_any(),
                        Err(error) => load_problem(error, PageProblems {
                            path: "/review",
                            refused: "That view cannot be shown",
                            start_over: "Show the whole queue",
                            failed: "The review queue could not be loaded. Please reload it in a moment.",
                        }),
                    }
                })}
            </Transition>
        </OwnerFrame>
    }
}

#[component]
fn Queue(
    screen: ReviewScreen,
    shared: Shared,
    bulk: ServerAction<ActOnReviewKind>,
) -> impl IntoView {
    let query = shared.query.get_untracked();
    let page = screen.page;
    let total: i64 = page.open.iter().map(|c| c.count).sum();
    let kind = query.item_kind();
    let open_of_kind = kind.map(|k| {
        page.open
            .iter()
            .find(|c| c.kind == k)
            .map_or(0, |c| c.count)
    });
    let problem = move || {
        let failed = |r: Option<Result<(), AppError>>| r.and_then(Result::err);
        failed(shared.act.value().get()).or_else(|| failed(bulk.value().get()))
    };
    let message = query.message();
    let next = page.next_cursor.clone().map(|cursor| {
        ReviewQuery {
            cursor: Some(cursor),
            ..query.view()
        }
        .href()
    });
    let empty = page.items.is_empty();
    let tab = move |label: String, of: Option<ItemKind>, count: i64| {
        let href = ReviewQuery {
            kind: of.map(|k| k.as_str().to_owned()),
            ..ReviewQuery::default()
        }
        .href();
        let current = (of == kind).then_some("page");
        view! {
            <li>
                <a href=href aria-current=current data-kind=of.map(|k| k.as_str())>
                    {label}
                    " "
                    <span class="tab-count">{count}</span>
                </a>
            </li>
        }
    };
    view! {
        <section class="hero owner-bar">
            <h1>"Review queue"</h1>
            <p class="lede">{format!("{total} open · times in {}", screen.time_zone)}</p>
        </section>
        <p class="refused-note" data-testid="unsigned-refused">
            {format!(
                "{} unsigned deliveries refused in the last 24 h",
                page.unsigned_refused.last_24h,
            )}
            {(page.unsigned_refused.last_24h > 0).then(|| format!(
                " ({} without a signature, {} with a wrong one; this server process counts them).",
                page.unsigned_refused.missing_signature,
                page.unsigned_refused.bad_signature,
            ))}
        </p>
        <nav aria-label="Kinds of item">
            <ul class="kind-tabs">
                {tab("All".to_owned(), None, total)}
                {page
                    .open
                    .iter()
                    .map(|c| tab(labels::kind_plural(c.kind).to_owned(), Some(c.kind), c.count))
                    .collect_view()}
            </ul>
        </nav>
        {kind.map(|k| view! { <p class="kind-note">{labels::kind_note(k)}</p> })}
        {move || match problem() {
            Some(error) => view! {
                <p class="form-problem page-problem" role="alert" data-testid="review-problem">
                    {format!("That could not be done: {error}")}
                </p>
            }
            .into_any(),
            None => message
                .clone()
                .map(|text| view! {
                    <p class="flash" role="status" data-testid="review-flash">{text}</p>
                })
                .into_any(),
        }}
        {kind.zip(open_of_kind).filter(|(_, n)| *n > 0).map(|(k, n)| view! { <BulkActions kind=k open=n bulk /> })}
        {empty.then(|| view! {
            <p class="empty-queue" data-testid="review-empty">"Nothing to review here."</p>
        })}
        <ol class="review-items">
            {page
                .items
                .into_iter()
                .map(|item| view! { <li><ItemCard item shared /></li> }.into_any())
                .collect_view()}
        </ol>
        {next.map(|href| view! {
            <p class="pager"><a href=href rel="next">"Next page"</a></p>
        })}
    }
}

/// The actions for every open item of the kind shown, each item settled (and audited) alone.
#[component]
fn BulkActions(kind: ItemKind, open: i64, bulk: ServerAction<ActOnReviewKind>) -> impl IntoView {
    let fitting: Vec<ActionName> = BULK_ACTIONS
        .into_iter()
        .filter(|a| kind.actions().contains(a))
        .collect();
    (!fitting.is_empty()).then(|| {
        view! {
            <section class="bulk" aria-labelledby="bulk-heading">
                <h2 id="bulk-heading">{format!("All {open} open {}", labels::kind_plural(kind).to_lowercase())}</h2>
                <div class="bulk-forms">
                    {fitting
                        .into_iter()
                        .map(|action| {
                            let needs_reason = action != ActionName::MarkCompleted;
                            view! {
                                <ActionForm action=bulk attr:class="inline-action">
                                    <input type="hidden" name="kind" value=kind.as_str() />
                                    <input type="hidden" name="action" value=action.as_str() />
                                    {needs_reason.then(|| view! {
                                        <label class="reason">
                                            "Reason"
                                            <input type="text" name="reason" required maxlength="500" />
                                        </label>
                                    })}
                                    <button type="submit" class="secondary">
                                        {format!("{} all", labels::action_label(action))}
                                    </button>
                                </ActionForm>
                            }
                        })
                        .collect_view()}
                </div>
            </section>
        }
    })
}
