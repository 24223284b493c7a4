#!/usr/bin/env bash
# `npm test`: the Python tools installed first (tools/install.sh, which the emulator and scanner
# tests need), then jest, with beside it, at a lower CPU priority, what does not have to come
# before it: the type check of the whole project (tsc --noEmit; jest's swc transform only
# transpiles), the lint, and a fresh install's bytecode (tools/install.sh --bytecode-later). The
# three used to run before jest, which then started about 25 s later on a fresh clone (2 cores,
# 2026-12-04); beside it they fill the time its emulator tests spend waiting. Their output is
# printed after jest's, in that order; exit 1 when anything failed. Arguments go to jest.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash tools/install.sh --bytecode-later || exit 1

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
steps=()
pending="$root/.venv/.bytecode-pending"
if [ -f "$pending" ]; then
  (nice -n 5 "$root/.venv/bin/python" -m compileall -q -j 0 "$(cat "$pending")" >/dev/null && rm -f "$pending") >"$out/bytecode" 2>&1 &
  bytecode=$!
  steps+=(bytecode)
fi
nice -n 5 node_modules/.bin/tsc --noEmit -p tsconfig.json >"$out/tsc" 2>&1 &
tsc=$!
nice -n 5 npm run --silent lint >"$out/lint" 2>&1 &
lint=$!
steps+=(tsc lint)

node_modules/.bin/jest "$@"
status=$?
[ "$status" -eq 0 ] || echo "tools/test.sh: jest failed" >&2
for step in "${steps[@]}"; do
  if ! wait "${!step}"; then
    status=1
    echo "tools/test.sh: $step failed:" >&2
  fi
  cat "$out/$step" >&2
done
exit "$status"
