#!/usr/bin/env bash
# `npm start`: install and build what is needed, then run the server on http://localhost:3000
# over the embedded SQLite file data/rekindle.sqlite (a demo shop is generated when it is empty).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node dist/server/src/main.js
