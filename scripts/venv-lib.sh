# Sourced by the scripts that keep a tool in a virtualenv of its own, apart from badgepress's
# (validator-venv.sh, openbadgeslib-venv.sh): built once, rebuilt only when what it must hold
# changes. The caller sets
#   TOOL     short name, for messages ("TOOL-venv: ...") and the marker file
#   VENV     where the venv lives (the caller's environment variable may move it)
#   PYTHON   the interpreter that creates it
#   IMPORTS  Python that must run in the venv for it to count as working
# and then, with what the venv must hold as arguments (its pins, one per argument):
#   venv_is_current "${PINS[@]}" && { echo "$VPY"; exit 0; }
#   venv_create
#   venv_pip install ...          # pip, its chatter shown only when it fails
#   venv_done "${PINS[@]}"        # checks IMPORTS, records the pins, prints the venv's python

fail() {
    echo "$TOOL-venv: $*" >&2
    exit 1
}

command -v "$PYTHON" >/dev/null || fail "no interpreter '$PYTHON' (set PYTHON=...)"
VPY="$VENV/bin/python"
MARKER="$VENV/.badgepress-$TOOL"

# The marker records exactly what was installed, and with which Python: any change rebuilds.
venv_stamp() {
    printf '%s\n' "$@" "$("$PYTHON" -c 'import sys; print(sys.version)')" | sha256sum | cut -d' ' -f1
}

venv_is_current() {
    [[ -x "$VPY" && -f "$MARKER" && "$(cat "$MARKER")" == "$(venv_stamp "$@")" ]] &&
        "$VPY" -c "$IMPORTS" >/dev/null 2>&1
}

venv_create() {
    echo "$TOOL-venv: building $VENV" >&2
    # Only ever delete something that is a venv: the path comes from the environment.
    if [[ -e "$VENV" ]]; then
        [[ -f "$VENV/pyvenv.cfg" ]] || fail "$VENV exists and is not a virtualenv; refusing to replace it"
        rm -rf "$VENV"
    fi
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV" || fail "could not create a venv with $PYTHON -m venv"
}

venv_pip() {
    local log
    log="$(mktemp)"
    "$VPY" -m pip --disable-pip-version-check "$@" >"$log" 2>&1 || {
        tail -n 40 "$log" >&2
        rm -f "$log"
        fail "pip $* failed"
    }
    rm -f "$log"
}

venv_done() {
    local err
    if ! err="$("$VPY" -c "$IMPORTS" 2>&1)"; then
        fail "$TOOL does not import in $VENV:"$'\n'"$err"
    fi
    venv_stamp "$@" >"$MARKER"
    echo "$VPY"
}
