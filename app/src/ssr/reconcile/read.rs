//! Reading what a pass needs from Cal.com: every page of each query until a page is short,
//! waiting out the rate limit when Cal.com says it is reached.

use std::{collections::BTreeMap, time::Duration};

use crate::ssr::calcom::api::{ApiError, BookingsApi, BookingsQuery, Listed, MAX_PAGE};

/// How many times one page is asked for again after a 429 before the pass gives up.
const RATE_LIMIT_RETRIES: u32 = 5;

/// What reading found, and what it cost.
#[derive(Debug, Default)]
pub struct Read {
    /// Each booking once, by uid.
    pub bookings: BTreeMap<String, Listed>,
    /// Items Cal.com listed that could not be read, with why.
    pub unreadable: Vec<String>,
    pub calls: u32,
    pub rate_limited: u32,
    /// How long the rate limit made the pass wait.
    pub waited: Duration,
}

impl Read {
    /// Reads every page of `query` (its `take` and `skip` are set here).
    pub async fn all_pages(
        &mut self,
        api: &BookingsApi,
        mut query: BookingsQuery,
    ) -> Result<(), ApiError> {
        query.take = MAX_PAGE;
        query.skip = 0;
        loop {
            let page = self.page(api, &query).await?;
            let short = page.items < MAX_PAGE;
            self.unreadable.extend(page.unreadable);
            for listed in page.bookings {
                self.bookings.insert(listed.booking.uid.clone(), listed);
            }
            if short {
                return Ok(());
            }
            query.skip += MAX_PAGE;
        }
    }

    async fn page(
        &mut self,
        api: &BookingsApi,
        query: &BookingsQuery,
    ) -> Result<crate::ssr::calcom::api::BookingsPage, ApiError> {
        let mut retries = 0;
        loop {
            self.calls += 1;
            match api.page(query).await {
                Err(ApiError::RateLimited(wait)) if retries < RATE_LIMIT_RETRIES => {
                    retries += 1;
                    self.rate_limited += 1;
                    tracing::info!(
                        wait_seconds = wait.as_secs_f64(),
                        "Cal.com's rate limit is reached; waiting for it to reset"
                    );
                    let wait = wait.max(Duration::from_millis(100));
                    self.waited += wait;
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }
}
