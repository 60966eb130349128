# Sourced by scripts/test and .ci/run: the virtual environment every Python package of the
# project goes into, so nothing installed on the machine can make a test pass or fail.
# Run on its own (`bash scripts/venv.sh`, the README's first command) it only creates it.
#   BADGEPRESS_VENV   where it lives (default: .venv in the repository; created when missing,
#                     reused after). .ci/run points it at a new, empty one.
# Defines PYTHON (the environment's interpreter) and puts its bin/ first on PATH, so
# `badgepress`, `ruff` and `hugo` are the environment's own.
VENV="${BADGEPRESS_VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv}"
if ! [ -x "$VENV/bin/python" ]; then
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        # Debian and Ubuntu ship venv apart from python3 (PEP 668 systems need it).
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
        rm -rf "$VENV"
        python3 -m venv "$VENV"
    fi
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
PYTHON="$VENV/bin/python"
