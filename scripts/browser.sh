#!/usr/bin/env bash
# The browser the designer's end-to-end tests drive (tests/e2e/designer-browser.test.ts):
# Debian's chromium, through playwright-core (`npx playwright install` cannot download here).
# Idempotent and instant when chromium is already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "==> installing chromium (apt-get) for the browser tests"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || {
  $SUDO apt-get update >/dev/null
  $SUDO apt-get install -y --no-install-recommends chromium >/dev/null
}
[ -x /usr/bin/chromium ] || { echo "chromium did not install: /usr/bin/chromium missing" >&2; exit 1; }
