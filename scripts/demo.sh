#!/usr/bin/env bash
# The whole round trip on one machine, no Cal.com account needed: the local Cal.com stand-in
# (real embed script, a booker, signed webhooks) on 127.0.0.1:4010 and the app on
# 127.0.0.1:3000, wired to each other. Open http://127.0.0.1:3000, fill the form, book a slot;
# http://127.0.0.1:4010/standin drives the rest of the booking's life. The app reconciles with
# the stand-in's bookings API every minute. Arguments go to the stand-in (`--drop-webhooks`). A demo owner is created
# (or has its password reset) so the dashboard can be opened at once; its email and password
# are printed with the URLs. Ctrl-C stops both.
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
# Reconciliation reads the stand-in's bookings API with its key, every minute, so a webhook the
# stand-in drops (its "drop webhooks" switch) is repaired within a minute.
export STANDIN_API_KEY="${STANDIN_API_KEY:-cal_test_standin_key}"
export CAL_API_KEY="$STANDIN_API_KEY"
export CAL_API_URL="http://${STANDIN_LISTEN}/v2"
export CAL_RECONCILE_MINUTES="${CAL_RECONCILE_MINUTES:-1}"
owner_email="${DEMO_OWNER_EMAIL:-demo-owner@example.com}"
owner_password="${DEMO_OWNER_PASSWORD:-demo-password-1234}"

cargo leptos build --release --split
cargo build --release --locked -p calcom-standin

# create-owner also sets the password of an existing owner, so the printed one always works.
# The password goes to that one command only: the server refuses OWNER_PASSWORD without
# OWNER_EMAIL.
OWNER_PASSWORD="$owner_password" ./target/release/server create-owner --email "$owner_email" >/dev/null

./target/release/calcom-standin serve "$@" &
standin=$!
trap 'kill "$standin" 2>/dev/null || true' EXIT INT TERM
cat >&2 <<EOF
demo: the app               http://${LEPTOS_SITE_ADDR}
demo: the dashboard         http://${LEPTOS_SITE_ADDR}/dashboard
demo:   sign in as          ${owner_email}
demo:   with the password   ${owner_password}
demo: the Cal.com stand-in  ${CAL_ORIGIN}/standin
EOF
./target/release/server
