#!/usr/bin/env bash
# The whole round trip on one machine, no Cal.com account needed: the local Cal.com stand-in
# (real embed script, a booker, signed webhooks) on 127.0.0.1:4010 and the app on
# 127.0.0.1:3000, wired to each other. Open http://127.0.0.1:3000, fill the form, book a slot;
# http://127.0.0.1:4010/standin drives the rest of the booking's life. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/setup.sh build

# These win over .env, so the demo talks to the stand-in whatever .env says.
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export STANDIN_LISTEN="${STANDIN_LISTEN:-127.0.0.1:4010}"
export STANDIN_WEBHOOK_URL="http://${LEPTOS_SITE_ADDR}/api/webhooks/cal-com"
export CAL_WEBHOOK_SECRETS="${DEMO_WEBHOOK_SECRET:-local-demo-secret}"
export CAL_LINK="${DEMO_CAL_LINK:-demo/intro}"
export CAL_ORIGIN="http://${STANDIN_LISTEN}"
export CAL_EMBED_SCRIPT_URL="http://${STANDIN_LISTEN}/embed/embed.js"

cargo leptos build --release
cargo build --release --locked -p calcom-standin

./target/release/calcom-standin serve &
standin=$!
trap 'kill "$standin" 2>/dev/null || true' EXIT INT TERM
echo "demo: the app is on http://${LEPTOS_SITE_ADDR}, the Cal.com stand-in on ${CAL_ORIGIN}/standin" >&2
./target/release/server
