#!/usr/bin/env bash
# Open Badges 3.0 tests: the independent verifier (Digital Credentials Consortium npm packages)
# in tests/ob3/verifier, installed exactly from package-lock.json. Needs Node 20+ and npm.
# Idempotent: skips npm ci when node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/ob3/verifier"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "setup-ob3: node and npm are required (Node 20+)" >&2
    exit 1
fi
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && cmp -s <(sed -n '/"packages"/,$p' package-lock.json | grep -c '"node_modules/') \
        <(sed -n '/"packages"/,$p' "$stamp" | grep -c '"node_modules/'); then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
