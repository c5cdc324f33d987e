#!/usr/bin/env bash
# `npm test`: set up, start the services the tests need, run every jest suite, and end with
# one plain line "N passed, N failed, N skipped" (what CI reads). Extra args go to jest.
set -uo pipefail
cd "$(dirname "$0")/.."
# Set-up must never rewrite a tracked file (or leave a new unignored one): compare the work tree
# before and after it. A tree that was already dirty is fine; only what set-up changed counts.
snapshot() { bash scripts/worktree-snapshot.sh; }
before=$(snapshot)
bash scripts/setup.sh || exit 1
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "FAIL: the work tree changed while scripts/setup.sh ran (set-up must never rewrite tracked files or leave unignored ones):" >&2
  diff <(echo "$before") <(echo "$after") | grep '^[<>]' | sed 's/^</  before:/; s/^>/  after: /' >&2
  echo "0 passed, 1 failed (set-up changed the work tree)"
  exit 1
fi
bash scripts/services.sh || exit 1
if [ -f scripts/browser.sh ]; then bash scripts/browser.sh || exit 1; fi

results=.jest-results.json
rm -f "$results"
# Servers the tests start log only errors, so the output stays readable (tests of the logs set their own level).
# jest runs test files as ES modules through node:vm, which is still experimental in Node 20; its one-off
# warning would otherwise land on whatever stderr a test happens to be capturing at the time.
REKINDLE_QUIET=${REKINDLE_QUIET:-1} NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" npx jest --json --outputFile="$results" "$@"
code=$?
if [ ! -f "$results" ]; then
  echo "0 passed, 1 failed (jest did not produce results)"
  exit 1
fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failedSuites = r.numFailedTestSuites - r.testResults.filter(t => t.assertionResults.some(a => a.status === "failed")).length;
  const failed = r.numFailedTests + Math.max(0, failedSuites);
  console.log(`${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$results"
exit $code
