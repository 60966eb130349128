#!/usr/bin/env bash
# axe-core for the accessibility tests (tests/a11y), at the version package-lock.json pins.
# Idempotent: installs Node.js only when missing (scripts/node.sh), and runs `npm ci` only when
# node_modules does not match the lock file. The browser comes from scripts/setup-browser.sh.
set -euo pipefail
source "$(dirname "$0")/node.sh"
cd "$(dirname "$0")/../tests/a11y"

wanted=$(node -p "require('./package-lock.json').packages['node_modules/axe-core'].version")
installed=$(node -p "try { require('./node_modules/axe-core/package.json').version } catch (e) { '' }")
if [ "$wanted" != "$installed" ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
