#!/usr/bin/env bash
# Measures a render-chunk Lambda container's init on this machine (not on Lambda). The deployable package
# functions/render-chunk/target/lambda/function.zip is unzipped as Lambda would (lib/*.jar is the classpath) and
# target/lambda/ffmpeg-layer.zip as /opt/ffmpeg. Then, in RUNS fresh JVMs: unpack @sparticuz/chromium and the
# gzipped ffmpeg/ffprobe into a fresh directory standing in for /tmp (cold, then the warm skip), start the
# Micronaut context, build the production Engine, handle the sample event twice (InitBenchmark). Finally one
# PlaywrightDriverCheck: Playwright extracts its Node driver from the trimmed driver-bundle jar (what the first
# browser start of a container pays) and drives Debian's headless shell over CDP.
# Writes bench/results/lambda-init.json. Needs: scripts/package-lambda.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$HFR_REPO_ROOT"
ZIP=functions/render-chunk/target/lambda/function.zip
FFMPEG_LAYER=target/lambda/ffmpeg-layer.zip
LAYER=.cache/npm-lambda/node_modules/@sparticuz/chromium/bin
SHELL_BIN=/usr/lib/chromium/chromium-headless-shell
[ -f "$ZIP" ] && [ -f "$FFMPEG_LAYER" ] && [ -f "$LAYER/chromium.br" ] || { echo "run scripts/package-lambda.sh first" >&2; exit 2; }
RUNS=${RUNS:-3}
work="$(mktemp -d "${TMPDIR:-/tmp}/hfr-lambda-init.XXXXXX")"
trap 'rm -rf "$work"' EXIT
unzip -q "$ZIP" -d "$work/task"
unzip -q "$FFMPEG_LAYER" -d "$work/opt"
results=()
for i in $(seq 1 "$RUNS"); do
  # -XX:TieredStopAtLevel=1 is what Lambda's java21 runtime sets by default (JAVA_TOOL_OPTIONS); match it.
  results+=("$(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$work/task/lib/*" \
    dev.hfr.function.runtime.InitBenchmark "$LAYER" "$work/run$i" sample-events/render-chunk.json "$work/opt/ffmpeg")")
  rm -rf "$work/run$i"
done
driver="null"
if [ -x "$SHELL_BIN" ]; then
  mkdir -p "$work/driver-check"
  driver="$(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$work/task/lib/*" \
    dev.hfr.function.runtime.PlaywrightDriverCheck "$SHELL_BIN" "$work/driver-check" | tail -1)"
fi
mkdir -p bench/results
{
  printf '{"benchmark":"lambda-init","measuredAt":"%s","host":"%s","cpus":%s,"package":"%s","packageBytes":%s,"ffmpegLayerBytes":%s,"runs":[\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(uname -sr)" "$(nproc)" "$ZIP" "$(stat -c %s "$ZIP")" "$(stat -c %s "$FFMPEG_LAYER")"
  for i in "${!results[@]}"; do
    [ "$i" = 0 ] || printf ',\n'
    printf '  %s' "${results[$i]}"
  done
  printf '\n],\n"playwrightDriverCheck":%s}\n' "$driver"
} > bench/results/lambda-init.json
cat bench/results/lambda-init.json
