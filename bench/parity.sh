#!/usr/bin/env bash
# Parity harness: each corpus composition rendered by the HyperFrames reference CLI and by hfr, judged
# frame by frame (docs/parity.md).
#   bench/parity.sh [--only a,b | --list FILE | --ci] [--timeout S] [--keep] [--work DIR] [--results FILE]
# Default corpus: every fixture under ../shared/fixtures/hyperframes plus examples/. --ci runs the
# compositions of bench/parity-ci.txt, prints one line each and exits 1 if any does not pass (without
# ../shared it says so in one line and exits 0).
# Results: bench/results/parity-<timestamp>.json and contact sheets in bench/results/parity-<timestamp>/;
# bench/parity_report.py RESULTS regenerates the table of docs/parity.md. bench/setup.sh runs first (idempotent).
set -euo pipefail
# shellcheck source=../scripts/env.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$HFR_REPO_ROOT"
# --ci without the corpus (a clone with nothing beside it): one line, exit 0, before installing the reference
for arg in "$@"; do
  if [ "$arg" = "--ci" ]; then
    rc=0
    python3 bench/parity.py --require-corpus || rc=$?
    [ "$rc" -eq 3 ] && exit 0
    [ "$rc" -eq 0 ] || exit "$rc"
  fi
done
bench/setup.sh >&2
exec python3 bench/parity.py "$@"
