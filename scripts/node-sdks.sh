#!/usr/bin/env bash
# Install the pinned official Node.js SDKs used by the cross-checks in
# tests/sdk_node/ (one folder per provider, each with its own lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."
for lock in tests/sdk_node/*/package-lock.json; do
  [ -e "$lock" ] || continue
  npm ci --prefix "$(dirname "$lock")" --ignore-scripts --no-audit --no-fund --loglevel=error
done
