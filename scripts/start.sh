#!/usr/bin/env bash
# `npm start`: install and build what is needed, then run the server on http://localhost:3000
# over the embedded SQLite file data/rekindle.sqlite (a demo shop is generated when it is empty).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The demo server's own address for the tracked links in its messages (scripts/demo-base-url.sh).
base_url="$(bash scripts/demo-base-url.sh)"
if [ -n "$base_url" ]; then export REKINDLE_PUBLIC_BASE_URL="$base_url"; fi
# The demo shop (20,000 made-up customers) goes only into the newcomer's empty database, never a
# production one: `npm run serve` and NODE_ENV=production start an empty shop empty.
demo=()
if [ "${NODE_ENV:-}" != "production" ]; then demo=(--demo-shop); fi
exec node dist/server/src/main.js "${demo[@]}"
