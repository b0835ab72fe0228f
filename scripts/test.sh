#!/usr/bin/env bash
# Runs every check and test: formatting, lints (server and wasm), unit, database (SQLite and
# PostgreSQL), HTTP, and the browser tests in Debian's Chromium against a release build.
# PostgreSQL must be reachable (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/setup.sh test

step() { printf '\n==> %s\n' "$*" >&2; }

step "formatting"
cargo fmt --all --check

step "lints: server, app (ssr) and benchmarks"
cargo clippy -p server -p app -p bench -p calcom-standin --features app/ssr --all-targets --locked -- -D warnings

step "lints: frontend (wasm32, hydrate)"
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

step "unit, database and HTTP tests (SQLite and PostgreSQL), and the Cal.com stand-in"
cargo test -p app -p server -p calcom-standin --features app/ssr --locked

step "release build (server + size-optimised wasm)"
cargo leptos build --release --split

step "the Cal.com stand-in the browser tests book through"
cargo build -p calcom-standin --locked

step "browser tests (Playwright, Debian's Chromium)"
(cd end2end && npx playwright test)
