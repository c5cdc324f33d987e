#!/usr/bin/env bash
# Prints the address `npm start` tells the server to use for the /r/<token> tracked links in its
# messages and the designer's preview (REKINDLE_PUBLIC_BASE_URL, used while rules/channels.yaml sets
# no publicBaseUrl): the demo server's own http://127.0.0.1:$PORT. rules/channels.yaml is tracked in
# git and leaves publicBaseUrl for the shop to set, so the address is said here, where it is known.
# Prints nothing (the links stay relative, and `rekindle validate` says so) when one is already set,
# with PORT=0 (any free port: unknown here) and in production (customers cannot open this machine).
set -euo pipefail
if [ -n "${REKINDLE_PUBLIC_BASE_URL:-}" ]; then echo "$REKINDLE_PUBLIC_BASE_URL"; exit 0; fi
port="${PORT:-3000}"
if [ "$port" = "0" ] || [ "${NODE_ENV:-}" = "production" ]; then exit 0; fi
host="${HOST:-127.0.0.1}"
case "$host" in 0.0.0.0 | :: | '[::]') host=127.0.0.1 ;; esac
case "$host" in \[*) ;; *:*) host="[$host]" ;; esac
echo "http://$host:$port"
