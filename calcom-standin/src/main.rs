//! `calcom-standin`: a local stand-in for Cal.com, for development and end-to-end tests.
//!
//! Run it (the secret must be one the app accepts; `CAL_WEBHOOK_SECRETS` and `CAL_LINK` are
//! read like the app reads them):
//!
//! ```text
//! CAL_WEBHOOK_SECRETS=dev-secret CAL_LINK=demo/intro cargo run -p calcom-standin -- serve
//! #   --listen 127.0.0.1:4010            (STANDIN_LISTEN)
//! #   --public-origin http://127.0.0.1:4010
//! #   --webhook-url http://127.0.0.1:3000/api/webhooks/cal-com   (STANDIN_WEBHOOK_URL)
//! #   --embed-js PATH                    (STANDIN_EMBED_JS; default: the file scripts/setup.sh installs)
//! #   --fail embed-script --fail links   --webhook-delay-ms N   --drop-webhooks
//! #   --api-key KEY (STANDIN_API_KEY; default cal_test_standin_key)   --api-rate-limit N (120)   --api-delay-ms N
//! ```
//!
//! It serves Cal.com's unmodified `embed.js` at `/embed/embed.js`, a booker page at
//! `/<calLink>/embed` (in embed.js's iframe) and `/<calLink>` (top level) that books through the
//! stand-in and sends the signed BOOKING_CREATED webhook, a dashboard at `/standin`, a demo
//! embedding page at `/standin/demo`, a JSON control API under `/standin/api/`, and Cal.com's
//! bookings API v2 (`2024-08-13`) over its own bookings at `GET /v2/bookings` and
//! `GET /v2/bookings/{uid}` (`Authorization: Bearer <api key>`). The control API's
//! `POST /standin/api/settings` also takes `api_key`, `api_rate_limit`, `api_delay_ms` and
//! `api_throttle_next` (the next N `/v2` calls answer 429); `POST /standin/api/seed
//! {"count": N, "metadata_prefix"?, "start"?, "link"?}` inserts N bookings without webhooks.
//!
//! Drive a running stand-in (`--standin URL` or `STANDIN_URL`, default `http://127.0.0.1:4010`):
//!
//! ```text
//! calcom-standin list | deliveries
//! calcom-standin book --name "Ana Kovač" --email ana@example.com --submission-id ID [--start 2026-10-01T09:00:00Z] [--requires-confirmation]
//! calcom-standin reschedule|cancel|confirm|reject|meeting-started|meeting-ended|no-show|no-show-undo|host-no-show|guest-no-show UID
//!     [--reason TEXT] [--start TIME] [--flat] [--force] [--twice] [--mis-sign] [--hold] [--delay-ms N] [--drop]
//! calcom-standin flush [--reverse]
//! calcom-standin ping
//! calcom-standin fail embed-script|links|none
//! calcom-standin seed --count 10000 [--metadata-prefix seed-] [--start TIME] [--link LINK]
//! ```
//!
//! Each prints the JSON answer and exits non-zero with a message on error.

use std::process::ExitCode;

use calcom_standin::cli::{self, Cli, Command};
use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let parsed = Cli::parse();
    let result = match parsed.command {
        Command::Serve(args) => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .with_writer(std::io::stderr)
                .init();
            calcom_standin::serve(args.into()).await
        }
        command => cli::run(&command).await.and_then(|answer| {
            let text = serde_json::to_string_pretty(&answer)?;
            println!("{text}");
            Ok(())
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("calcom-standin: {error:#}");
            ExitCode::FAILURE
        }
    }
}
