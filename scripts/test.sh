#!/usr/bin/env bash
# `npm test`: set up, start the services the tests need, run every jest suite, and end with
# one plain line "N passed, N failed, N skipped" (what CI reads). Extra args go to jest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
bash scripts/services.sh || exit 1
if [ -f scripts/browser.sh ]; then bash scripts/browser.sh || exit 1; fi

results=.jest-results.json
rm -f "$results"
NODE_OPTIONS=--experimental-vm-modules npx jest --json --outputFile="$results" "$@"
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
