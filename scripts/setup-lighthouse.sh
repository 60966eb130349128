#!/usr/bin/env bash
# Lighthouse for the page-quality tests (tests/lighthouse), exactly as package-lock.json pins it
# (lighthouse 12.2.3 and the chrome-launcher it drives). No package in the lock has an install
# script: nothing downloads a browser; the tests run Debian's Chromium (scripts/setup-browser.sh).
# Idempotent: installs Node.js only when missing (scripts/node.sh), and runs `npm ci` only when
# package-lock.json changed since the last install.
set -euo pipefail
source "$(dirname "$0")/node.sh"
npm_ci_when_lock_changed "$(dirname "$0")/../tests/lighthouse"
