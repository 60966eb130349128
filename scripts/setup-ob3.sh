#!/usr/bin/env bash
# Open Badges 3.0 tests: the independent verifier (Digital Credentials Consortium npm packages)
# in tests/ob3/verifier, installed exactly from package-lock.json. Needs Node 20+ and npm.
# Idempotent: npm ci runs only when package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../tests/ob3/verifier"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "setup-ob3: node and npm are required (Node 20+)" >&2
    exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    echo "setup-ob3: Node 20+ is required, found $(node --version)" >&2
    exit 1
fi
stamp=node_modules/.badgepress-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$wanted" > "$stamp"
