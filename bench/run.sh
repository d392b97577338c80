#!/usr/bin/env bash
# The benchmark's one entry command: hfr's local mode side by side with the HyperFrames reference CLI.
#   bench/run.sh [--quick] [--fixtures a,b] [--runs N] [--no-scaling] [--no-fixtures] [--keep]
# Renders every fixture with the reference, ours on 1 worker and ours on all cores, interleaved, N runs
# each; compares pictures (PSNR/SSIM); renders the 60 s scaling composition at 1..16 chunks; writes
# bench/results/<timestamp>.json and regenerates docs/benchmarks.md. bench/setup.sh runs first (idempotent). Takes about 60 minutes in full on 2 cores; --quick ~4.
set -euo pipefail
# shellcheck source=../scripts/env.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$HFR_REPO_ROOT"
# idempotent: installs the reference only when missing; always refreshes the helper's classpath
bench/setup.sh >&2
results="$(python3 bench/bench.py "$@")"
python3 bench/report.py "$results"
