#!/usr/bin/env bash
# What `npm test` runs before jest, all three at once (each waits mostly on something else: the
# installer on downloads, tsc and eslint on one core each): tools/install.sh, the type check of
# the whole project (tsc --noEmit; jest's swc transform only transpiles) and the lint. Each one's output
# is printed when all are done, in that order; exit 1 when any failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bash tools/install.sh >"$out/install" 2>&1 &
install=$!
node_modules/.bin/tsc --noEmit -p tsconfig.json >"$out/tsc" 2>&1 &
tsc=$!
npm run --silent lint >"$out/lint" 2>&1 &
lint=$!
status=0
for step in install tsc lint; do
  if ! wait "${!step}"; then
    status=1
    echo "tools/pretest.sh: $step failed:" >&2
  fi
  cat "$out/$step" >&2
done
exit "$status"
