#!/usr/bin/env bash
# Prints a fingerprint of the work tree's state as git sees it: every changed or untracked
# (not ignored) path with a hash of its content. scripts/test.sh takes one before and one after
# set-up, so a checkout that was already dirty is tolerated but anything set-up rewrites is caught.
# Outside a git work tree (a release tarball) it prints a note and nothing to compare.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "(not a git work tree)"
  exit 0
fi
git status --porcelain=v1 --untracked-files=all -z | while IFS= read -r -d '' entry; do
  state=${entry:0:2}
  path=${entry:3}
  # A rename entry is followed by its old path as a separate field.
  case "$state" in R*|C*) IFS= read -r -d '' _old || true ;; esac
  if [ -f "$path" ]; then sum=$(git hash-object --no-filters -- "$path"); else sum=-; fi
  printf '%s %s %s\n' "$state" "$sum" "$path"
done
