#!/usr/bin/env bash
# Measures a render-chunk Lambda container's init on this machine (not on Lambda): three fresh JVMs, each
# unpacking @sparticuz/chromium into a fresh directory standing in for /tmp, starting the Micronaut context,
# building the production Engine and handling the sample event twice. Runs from the shaded
# target/lambda/render-chunk.jar (the artifact Lambda would load). Writes bench/results/lambda-init.json.
# Needs: scripts/package-lambda.sh (jar + npm packages).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$HFR_REPO_ROOT"
JAR=target/lambda/render-chunk.jar
LAYER=.cache/npm-lambda/node_modules/@sparticuz/chromium/bin
[ -f "$JAR" ] && [ -f "$LAYER/chromium.br" ] || { echo "run scripts/package-lambda.sh first" >&2; exit 2; }
RUNS=${RUNS:-3}
work="$(mktemp -d "${TMPDIR:-/tmp}/hfr-lambda-init.XXXXXX")"
trap 'rm -rf "$work"' EXIT
results=()
for i in $(seq 1 "$RUNS"); do
  # -XX:TieredStopAtLevel=1 is what Lambda's java21 runtime sets by default (JAVA_TOOL_OPTIONS); match it.
  results+=("$(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$JAR" dev.hfr.function.runtime.InitBenchmark \
    "$LAYER" "$work/run$i" sample-events/render-chunk.json)")
  rm -rf "$work/run$i"
done
mkdir -p bench/results
{
  printf '{"benchmark":"lambda-init","measuredAt":"%s","host":"%s","cpus":%s,"jar":"%s","jarBytes":%s,"runs":[\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(uname -sr)" "$(nproc)" "$JAR" "$(stat -c %s "$JAR")"
  for i in "${!results[@]}"; do
    [ "$i" = 0 ] || printf ',\n'
    printf '  %s' "${results[$i]}"
  done
  printf '\n]}\n'
} > bench/results/lambda-init.json
cat bench/results/lambda-init.json
