#!/usr/bin/env bash
# Shared set-up for `npm start` and `npm test`: install dependencies when package-lock.json
# changed (or on a fresh clone), then compile. Safe to run repeatedly; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.rekindle-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> installing dependencies (npm ci)"
  # Only `npm ci`: it installs exactly the committed lock file and never rewrites it, so the
  # checkout stays clean and the stamp below matches the lock that was installed. The script runs
  # the packages' install scripts after it, better-sqlite3's addon from this machine's cache when
  # it was built before (compiling it is most of a fresh clone's set-up): see the file.
  node scripts/install-dependencies.mjs
  echo "$lock_sum" > "$stamp"
fi

echo "==> building the server and CLI"
npx tsc -p tsconfig.build.json

if [ -f designer/package.json ] || [ -f designer/vite.config.ts ]; then
  echo "==> building the designer"
  npm run build:designer --loglevel=error
fi
