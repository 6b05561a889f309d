#!/bin/sh
# Print the path of the first Python >= 3.12 found, or explain and exit 1.
#
# Candidates, in order: $PYTHON, python3.13, python3.12 (on PATH; pyenv shims
# included), ~/.pyenv/versions/3.12*/3.13*, python3.  Each one is checked by
# actually running it, so a pyenv shim whose version is not installed, or an
# interpreter without the venv module, is skipped.  What is printed is the
# interpreter's own sys.executable (not a shim).
#
# Why 3.12: PySide6 6.12 corrupts None's refcount on Python <= 3.11 and crashes
# (shared/stack.md, pitfall P1).

CHECK='import sys, venv, ensurepip
sys.exit(0 if sys.version_info >= (3, 12) else 1)'

check_python() {
    # $1: a command name or a path.  Prints sys.executable on success.
    "$1" -c "$CHECK" >/dev/null 2>&1 || return 1
    exe=$("$1" -c 'import sys; print(sys.executable)' 2>/dev/null) || return 1
    [ -n "$exe" ] || return 1
    printf '%s\n' "$exe"
}

if [ -n "${PYTHON:-}" ]; then
    if check_python "$PYTHON"; then
        exit 0
    fi
    echo "find-python: ignoring PYTHON=$PYTHON (not a working Python >= 3.12 with venv)" >&2
fi

for cand in python3.13 python3.12; do
    if command -v "$cand" >/dev/null 2>&1 && check_python "$cand"; then
        exit 0
    fi
done

if [ -n "${HOME:-}" ]; then
    # Glob order: 3.12.x before 3.13.x (3.12 is what .python-version pins).
    for cand in "$HOME"/.pyenv/versions/3.1[23]*; do
        if [ -x "$cand/bin/python" ] && check_python "$cand/bin/python"; then
            exit 0
        fi
    done
fi

if command -v python3 >/dev/null 2>&1 && check_python python3; then
    exit 0
fi

found=$(command -v python3 2>/dev/null)
if [ -n "$found" ]; then
    found=" (found: $found, $("$found" -c 'import sys; print("Python %d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo 'unusable'))"
fi
cat >&2 <<MSG

Packbench needs Python 3.12 or newer, with the venv module, and none was found$found.
PySide6 6.12 crashes on Python 3.11 and older, so an older interpreter cannot be used.
Install Python 3.12 or 3.13 with your package manager (on Debian/Ubuntu also the
matching python3.X-venv package), or with pyenv: \`pyenv install 3.12\`.
If it is installed somewhere unusual, point to it: \`make PYTHON=/path/to/python3.12 test\`
(or export PYTHON=/path/to/python3.12).

MSG
exit 1
