#!/usr/bin/env bash
# Shared set-up for `npm start` and `npm test`: install dependencies when package-lock.json
# changed (or on a fresh clone), then compile. Safe to run repeatedly; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.rekindle-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> installing dependencies (npm ci)"
  # `npm ci` is tried first. The registry reachable here does not serve other platforms'
  # optional binaries (e.g. @unrs/resolver-binding-darwin-*), so the lock file cannot list them
  # and `npm ci` may refuse it as "out of sync"; `npm install` then installs the same locked
  # versions for this platform.
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

echo "==> building the server and CLI"
npx tsc -p tsconfig.build.json

if [ -f designer/package.json ] || [ -f designer/vite.config.ts ]; then
  echo "==> building the designer"
  npm run build:designer --loglevel=error
fi
