#!/usr/bin/env bash
# Installs the project's Python tools (tools/requirements.txt: the moto emulator, checkov) into
# the project-local virtual environment .venv/. Idempotent and silent when .venv already holds
# exactly these pins for this Python; a failed or interrupted install leaves no stamp, so the next
# run starts over. `npm test` and .ci/run call it; run it yourself before `npm run sandbox` or
# `npm run scan` on a fresh clone (they say so when it is missing).
#
#   bash tools/install.sh                  install when needed, the bytecode compiled
#   bash tools/install.sh --bytecode-later install when needed, the bytecode left to the caller:
#                                          .venv/.bytecode-pending then names the folder to compile
#                                          (tools/test.sh compiles it beside the tests, and again
#                                          on its next run while the file is there)
set -euo pipefail
bytecode=now
for arg in "$@"; do
  case "$arg" in
    --bytecode-later) bytecode=later ;;
    *) echo "tools/install.sh: unknown option $arg: the only option is --bytecode-later" >&2; exit 1 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
req="$root/tools/requirements.txt"
installer="$root/tools/installer.txt"
# What the stamp certifies: these pins for this Python (not the installer: pip and uv install the same files).
stamp="$venv/.requirements.sha256"

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "tools/install.sh: $python not found: install Python 3.9 or newer (e.g. apt-get install python3 python3-venv), or set PYTHON to one" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)'; then
  echo "tools/install.sh: $("$python" --version 2>&1) is too old: moto and checkov need Python 3.9 or newer; set PYTHON to one" >&2
  exit 1
fi

want="$( (cat "$req"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

echo "tools/install.sh: installing the Python tools (moto, checkov) into .venv/ ..." >&2
start=$SECONDS
rm -rf "$venv"
if ! "$python" -m venv "$venv" 2>/tmp/multiaz-ref-venv.$$; then
  cat /tmp/multiaz-ref-venv.$$ >&2; rm -f /tmp/multiaz-ref-venv.$$
  echo "tools/install.sh: could not create a virtual environment: install the venv module (e.g. apt-get install python3-venv)" >&2
  exit 1
fi
rm -f /tmp/multiaz-ref-venv.$$
log="$venv/install.log"
pip=("$venv/bin/pip" install --disable-pip-version-check --no-input)
# --no-deps: requirements.txt is the whole closure, so nothing unpinned comes in. uv (pinned in
# tools/installer.txt) installs it when pip can install uv; pip does when it cannot, or when uv
# fails (on what uv got done). Then the bytecode is compiled, which every checkov and moto start
# would otherwise redo (PYTHONDONTWRITEBYTECODE): 9 of a fresh install's 11 s (17 CPU s, 10 700
# files, 2 cores, 2026-12-04), which --bytecode-later leaves to run beside something else. uv reads
# no pip configuration: pip's index and find-links variables are handed on.
installed_by=""
if "${pip[@]}" --no-deps -r "$installer" >"$log" 2>&1; then
  export UV_INDEX_URL="${UV_INDEX_URL:-${PIP_INDEX_URL:-}}" UV_EXTRA_INDEX_URL="${UV_EXTRA_INDEX_URL:-${PIP_EXTRA_INDEX_URL:-}}"
  export UV_FIND_LINKS="${UV_FIND_LINKS:-${PIP_FIND_LINKS:-}}"
  for v in UV_INDEX_URL UV_EXTRA_INDEX_URL UV_FIND_LINKS; do [ -n "${!v}" ] || unset "$v"; done
  if "$venv/bin/uv" pip install --python "$venv/bin/python" --no-deps -r "$req" >>"$log" 2>&1; then
    installed_by=uv
  else
    echo "tools/install.sh: uv could not install tools/requirements.txt, installing with pip" >>"$log"
  fi
else
  echo "tools/install.sh: could not install uv (tools/installer.txt), installing with pip" >>"$log"
fi
if [ -z "$installed_by" ] && ! "${pip[@]}" --no-deps --no-compile -r "$req" >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "tools/install.sh: pip could not install tools/requirements.txt (full log: .venv/install.log)" >&2
  exit 1
fi
if ! "$venv/bin/pip" check >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "tools/install.sh: the installed tools have conflicting requirements (see .venv/install.log): regenerate tools/requirements.txt as tools/requirements.in says" >&2
  exit 1
fi
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
if [ "$bytecode" = later ]; then
  echo "$site" >"$venv/.bytecode-pending"
elif ! "$venv/bin/python" -m compileall -q -j 0 "$site" >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "tools/install.sh: compiling the bytecode failed (see .venv/install.log)" >&2
  exit 1
fi
echo "$want" >"$stamp"
echo "tools/install.sh: done in $((SECONDS - start)) s ($("$venv/bin/python" -m pip show moto checkov 2>/dev/null | awk '/^Name|^Version/ {printf "%s ", $2}'))" >&2
