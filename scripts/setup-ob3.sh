#!/usr/bin/env bash
# Open Badges 3.0 tests: the independent verifiers. The Node ones (the DCC verifier-core, Digital
# Bazaar's vc stack) in tests/ob3/verifier, installed exactly from package-lock.json, with Node
# 20+ and npm (scripts/node.sh installs them when missing); openbadgeslib in its own virtualenv
# (scripts/openbadgeslib-venv.sh).
# Idempotent: npm ci runs only when package-lock.json changed since the last install, the venv
# is rebuilt only when its pins change.
set -euo pipefail
bash "$(dirname "$0")/openbadgeslib-venv.sh" >/dev/null
source "$(dirname "$0")/node.sh"
npm_ci_when_lock_changed "$(dirname "$0")/../tests/ob3/verifier"
