#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) needs. Idempotent: when everything is
# present it only checks versions and returns in seconds. Fails with a clear message when a
# step cannot be done.
#
#   scripts/setup.sh build   # wasm32 target, cargo-leptos, wasm-bindgen CLI, wasm-opt
#   scripts/setup.sh test    # the above, plus Playwright packages and Debian's chromium
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-build}"
CARGO_LEPTOS_VERSION="0.3.10"

say() { printf 'setup: %s\n' "$*" >&2; }
fail() {
  printf 'setup: FAILED: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif have sudo; then sudo "$@"; else return 1; fi
}

# Rust itself comes with the machine (rustup); everything else is ours to install.
have cargo || fail "cargo is missing: install Rust with rustup first (https://rustup.rs)"
have rustup || fail "rustup is missing: the wasm32 target is added with rustup"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown || fail "rustup could not add wasm32-unknown-unknown"
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked \
    || fail "cargo install cargo-leptos $CARGO_LEPTOS_VERSION failed"
fi

# cargo-leptos would download a wasm-bindgen CLI from GitHub; install the exact version the
# workspace pins instead (Cargo.lock is the source of truth).
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' "$ROOT/Cargo.lock")"
[ -n "$WASM_BINDGEN_VERSION" ] || fail "cannot read the wasm-bindgen version from Cargo.lock"
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force \
    || fail "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION failed"
fi

have npm || fail "npm is missing: Node.js and npm are needed for wasm-opt and Playwright"

# npm ci from the lockfile, skipped when node_modules already matches it.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.lockfile.sha256"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "installing npm packages in ${dir#"$ROOT"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) \
    || fail "npm ci in ${dir#"$ROOT"/} failed"
  printf '%s' "$want" >"$stamp"
}

# wasm-opt for release builds: npm's binaryen (Debian's wasm-opt silently breaks hydration).
npm_ci "$ROOT/scripts/wasm-opt"

# Cal.com's embed script, served unmodified by the local Cal.com stand-in.
npm_ci "$ROOT/calcom-standin/embed-core"

if [ "$MODE" = "test" ]; then
  # better-sqlite3 (the browser tests read the SQLite server's file) would first try to
  # download a prebuilt binary from GitHub, unreachable here, and wait for that to time out:
  # build it from source straight away (about 2 minutes, once per lockfile change).
  for tool in make g++ python3; do
    have "$tool" || fail "$tool is missing: it builds better-sqlite3 for the browser tests (apt-get install build-essential python3)"
  done
  npm_config_build_from_source=true npm_ci "$ROOT/end2end"
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
      || { as_root apt-get update >/dev/null && as_root apt-get install -y --no-install-recommends chromium >/dev/null; } \
      || fail "apt-get could not install chromium (are you root, or is sudo available?)"
  fi
fi
