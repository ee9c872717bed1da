#!/usr/bin/env bash
# Install the pinned official Node.js SDKs used by the cross-checks in
# tests/sdk_node/ (one folder per provider, each with its own lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq nodejs npm >/dev/null
fi
for lock in tests/sdk_node/*/package-lock.json; do
  [ -e "$lock" ] || continue
  npm ci --prefix "$(dirname "$lock")" --ignore-scripts --no-audit --no-fund --loglevel=error
done
