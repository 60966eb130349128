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
IMPORTS='import openbadgeslib.ob3.ldp, pyld, time_machine'

fail() {
    echo "openbadgeslib-venv: $*" >&2
    exit 1
}

command -v "$PYTHON" >/dev/null || fail "no interpreter '$PYTHON' (set PYTHON=...)"

# The marker records exactly what was installed; a change of pins or Python forces a rebuild.
STAMP="$(printf '%s\n' "${PINS[@]}" "$("$PYTHON" -c 'import sys; print(sys.version)')" |
    sha256sum | cut -d' ' -f1)"
MARKER="$VENV/.badgepress-openbadgeslib"
VPY="$VENV/bin/python"

works() {
    [[ -x "$VPY" && -f "$MARKER" && "$(cat "$MARKER")" == "$STAMP" ]] &&
        "$VPY" -c "$IMPORTS" >/dev/null 2>&1
}

if works; then
    echo "$VPY"
    exit 0
fi

echo "openbadgeslib-venv: building $VENV" >&2
# Only ever delete something that is a venv: the path comes from the environment.
if [[ -e "$VENV" ]]; then
    [[ -f "$VENV/pyvenv.cfg" ]] || fail "$VENV exists and is not a virtualenv; refusing to replace it"
    rm -rf "$VENV"
fi
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV" || fail "could not create a venv with $PYTHON -m venv"
# pip's chatter goes to a log that is shown only when something fails.
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
"$VPY" -m pip install --disable-pip-version-check --no-deps "${PINS[@]}" >"$LOG" 2>&1 || {
    tail -n 40 "$LOG" >&2
    fail "pip install failed"
}
"$VPY" -m pip check >"$LOG" 2>&1 || {
    cat "$LOG" >&2
    fail "the pinned packages do not fit together"
}
if ! err="$("$VPY" -c "$IMPORTS" 2>&1)"; then
    fail "openbadgeslib does not import in $VENV:"$'\n'"$err"
fi
echo "$STAMP" >"$MARKER"
echo "$VPY"
