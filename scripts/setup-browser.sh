#!/usr/bin/env bash
# Browser tests (tests/browser/): Debian's Chromium driven by the Playwright Python package.
# Playwright's own browser download is never used: the tests launch /usr/bin/chromium.
# Idempotent: installs only what is missing.
set -euo pipefail
export PIP_ROOT_USER_ACTION=ignore
PLAYWRIGHT="playwright>=1.40,<2"

if ! [ -x /usr/bin/chromium ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # apt-get update only when the package lists do not know chromium yet.
    if ! apt-cache show chromium >/dev/null 2>&1; then
        $SUDO apt-get update -qq
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! "${PYTHON:-python3}" -c 'import playwright.sync_api' >/dev/null 2>&1; then
    "${PYTHON:-python3}" -m pip install --quiet --disable-pip-version-check "$PLAYWRIGHT"
fi
