#!/usr/bin/env bash
# The QR code tests (tests/sharing/test_qr_decodes.py) read the earner pages' codes with a real
# decoder, Debian's zbarimg. Idempotent: installs only when it is missing.
set -euo pipefail

if ! command -v zbarimg >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    if ! apt-cache show zbar-tools >/dev/null 2>&1; then
        $SUDO apt-get update -qq
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zbar-tools >/dev/null
fi
