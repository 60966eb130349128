#!/usr/bin/env bash
# Create (once) a separate virtualenv holding openbadgeslib, the Python reference verifier of the
# Open Badges 3.0 tests (tests/ob3/verifier/openbadgeslib_verify.py).
#
# It pins pyld, cryptography and friends to its own ranges, so it lives apart from badgepress's
# environment, installed from the exact list below (every package, --no-deps: nothing unpinned
# slips in) and checked with `pip check`.
#
# Usage: scripts/openbadgeslib-venv.sh   -> prints the venv's python path on the last line
# Env:   BADGEPRESS_OPENBADGESLIB_VENV   venv location (default ~/.cache/badgepress/openbadgeslib-venv)
#        PYTHON                          interpreter that creates the venv (default python3)
set -euo pipefail

VENV="${BADGEPRESS_OPENBADGESLIB_VENV:-$HOME/.cache/badgepress/openbadgeslib-venv}"
PYTHON="${PYTHON:-python3}"

# openbadgeslib[ldp] 4.6.3 and everything it pulls in, as pip resolved it; time-machine freezes
# the clock the library reads (it takes no "now").
PINS=(
    openbadgeslib==4.6.3
    cachetools==8.0.3
    cffi==2.1.1
    cryptography==51.0.1
    defusedxml==0.7.1
    frozendict==2.5.1
    lxml==6.2.1
    pycparser==3.12
    PyJWT==2.15.1
    PyLD==3.3.0
    pypng==0.20220715.0
    time-machine==3.6.0
)
TOOL=openbadgeslib
IMPORTS='import openbadgeslib.ob3.ldp, pyld, time_machine'
source "$(dirname "$0")/venv-lib.sh"

if venv_is_current "${PINS[@]}"; then
    echo "$VPY"
    exit 0
fi
venv_create
venv_pip install --no-deps "${PINS[@]}"
venv_pip check
venv_done "${PINS[@]}"
