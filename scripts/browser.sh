#!/usr/bin/env bash
# The browser the designer's end-to-end tests drive (tests/e2e/designer-browser.test.ts):
# Debian's chromium, through playwright-core (`npx playwright install` cannot download here).
# A Chinese font (WenQuanYi Micro Hei, 5 MB) comes with it: without one the Chinese interface
# renders as empty boxes in the screenshots. Idempotent and instant when both are installed.
set -euo pipefail
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [ -x /usr/bin/chromium ] && [ -f "$FONT" ]; then exit 0; fi
echo "==> installing chromium and a Chinese font (apt-get) for the browser tests"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >/dev/null 2>&1 || {
  $SUDO apt-get update >/dev/null
  $SUDO apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >/dev/null
}
[ -x /usr/bin/chromium ] || { echo "chromium did not install: /usr/bin/chromium missing" >&2; exit 1; }
[ -f "$FONT" ] || { echo "fonts-wqy-microhei did not install: $FONT missing" >&2; exit 1; }
