#!/usr/bin/env bash
# Create (once) a separate virtualenv holding the official Open Badges 2.0 validator.
#
# The validator (badgecheck 1.2.0, module `openbadges`) is unmaintained: its declared pins do not
# install on Python 3.11 and clash with badgepress's own dependencies (PyLD 0.7 vs 3.x), so it
# lives in its own venv with known-good pins and is installed with --no-deps.
#
# Usage: scripts/validator-venv.sh        -> prints the venv's python path on the last line
# Env:   BADGEPRESS_VALIDATOR_VENV        venv location (default ~/.cache/badgepress/validator-venv)
#        PYTHON                           interpreter that creates the venv (default python3)
set -euo pipefail

VENV="${BADGEPRESS_VALIDATOR_VENV:-$HOME/.cache/badgepress/validator-venv}"
PYTHON="${PYTHON:-python3}"

PINS=(
    aniso8601==9.0.1
    Click==6.7
    future==1.0.0
    jsonschema==2.6.0
    language-tags==0.4.3
    openbadges-bakery==2.0.0
    puremagic==1.6
    pycryptodome==3.20.0
    pydux==0.2.2
    PyLD==0.7.1
    python-jose==3.3.0
    python-mimeparse==1.6.0
    pytz==2024.1
    requests==2.31.0
    requests-cache==0.4.13
    rfc3986==1.5.0
    # click and pytz reach for pkg_resources, which left setuptools in 81; venvs on
    # Python >= 3.12 carry no setuptools at all.
    "setuptools<81"
)
VALIDATOR=badgecheck==1.2.0

TOOL=validator
IMPORTS='import openbadges, openbadges.verifier.openbadges_context'
source "$(dirname "$0")/venv-lib.sh"

if venv_is_current "${PINS[@]}" "$VALIDATOR"; then
    echo "$VPY"
    exit 0
fi
venv_create
venv_pip install "${PINS[@]}"
venv_pip install --no-deps "$VALIDATOR"
venv_done "${PINS[@]}" "$VALIDATOR"
