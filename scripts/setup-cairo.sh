#!/usr/bin/env bash
# Preview cards rasterise SVG badges and logos with CairoSVG, which needs Debian's libcairo2
# (most images ship it). Idempotent: installs only when the library cannot be found.
set -euo pipefail

if ! ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2'; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    if ! apt-cache show libcairo2 >/dev/null 2>&1; then
        $SUDO apt-get update -qq
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libcairo2 >/dev/null
fi
