#!/usr/bin/env bash
# Builds the app (release) and runs it on the embedded default database, a SQLite file under
# data/. Configuration comes from the environment and .env; on a first run .env is made from
# .env.example, whose values suit a local demo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/setup.sh build

if [ ! -f .env ]; then
  cp .env.example .env
  echo "run: created .env from .env.example; edit it to point at your Cal.com" >&2
fi

cargo leptos build --release --split
exec ./target/release/server
