#!/usr/bin/env bash
# The hf launcher a user runs (jar + copied runtime dependencies), end to end, and its start-up cache (the hf
# script's JDK AOT cache): run by scripts/test.sh after `mvn verify`.
# - a render works from the launcher: catches a dependency only the test classpath had (commons-compress once
#   was test-scoped in the CLI and hf crashed on a fresh machine);
# - a build's first render trains the cache and the next one maps it in, drawing the same frames;
# - a damaged cache costs nothing but its gain: the render works and no JVM complaint reaches hf's output;
# - a rebuilt jar gets a cache of its own (the JVM would use the old jar's classes) and the old one is removed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
aot="$ROOT/orchestration/cli/target/aot"
fail() { echo "test-launcher.sh: $*" >&2; exit 1; }
frames() {
  ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$1"
}
picture() { ffmpeg -v error -i "$1" -f md5 -; }
render() { # NAME [env...]: renders examples/hello to $out/NAME.mp4, stdout and stderr to $out/NAME.out/.err
  local name="$1"
  shift
  env HFR_LAUNCHER_DEBUG=1 "$@" ./hf render examples/hello -o "$out/$name.mp4" --quiet >"$out/$name.out" 2>"$out/$name.err" \
    || fail "$name: hf render failed: $(tail -5 "$out/$name.err")"
  [ "$(frames "$out/$name.mp4")" = 60 ] || fail "$name: ./hf render produced no 60-frame video"
}
caches() { find "$aot" -maxdepth 1 -name 'hf-*.aot' 2>/dev/null | sort; }

./hf --help >/dev/null # builds the CLI first when its sources changed, so the cache below is of that build
jdk_major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")" # the JDK hf picks
rm -rf "$aot"
render first HFR_AOT_SYNC=1
echo "test-launcher.sh: ./hf render end to end: ok"
if [ "${jdk_major:-0}" -lt 25 ]; then
  grep -q "start-up cache: off" "$out/first.err" || fail "a JDK $jdk_major launcher must not try an AOT cache"
  echo "test-launcher.sh: JDK $jdk_major has no AOT cache: the launcher runs without one: ok"
  exit 0
fi
grep -q "start-up cache: training" "$out/first.err" || fail "a build's first render must train: $(cat "$out/first.err")"
if grep -qi "aot\|cds" "$out/first.out"; then fail "the training run's JVM lines reached stdout: $(cat "$out/first.out")"; fi
if [ "$(caches | wc -l)" != 1 ] || [ ! -s "$(caches)" ]; then fail "the first render left no cache: $(ls -la "$aot")"; fi
[ -z "$(find "$aot" -mindepth 1 -name '.*' -print -quit)" ] || fail "training left its files: $(ls -la "$aot")"
first_cache="$(caches)"

render second
grep -q "start-up cache: used $first_cache" "$out/second.err" || fail "the second render did not use $first_cache"
[ "$(picture "$out/second.mp4")" = "$(picture "$out/first.mp4")" ] || fail "the cached JVM drew other frames"
echo "test-launcher.sh: the start-up cache is trained once and used after: ok"

cp "$first_cache" "$out/cache.bak"
truncate -s 4096 "$first_cache"
render damaged
if cat "$out/damaged.out" "$out/damaged.err" | grep -v "^hf: start-up cache: " | grep -qi "aot\|cds\|shared archive"; then
  fail "a damaged cache printed: $(cat "$out/damaged.out" "$out/damaged.err")"
fi
[ "$(picture "$out/damaged.mp4")" = "$(picture "$out/first.mp4")" ] || fail "a damaged cache changed the frames"
cp "$out/cache.bak" "$first_cache"
echo "test-launcher.sh: a damaged cache is ignored quietly: ok"

touch orchestration/cli/target/hfr-cli-0.1.0-SNAPSHOT.jar # what a rebuild does to the key (size and time)
render rebuilt HFR_AOT_SYNC=1
grep -q "start-up cache: training" "$out/rebuilt.err" || fail "a rebuilt jar must not use the old build's cache"
if [ "$(caches | wc -l)" != 1 ] || [ "$(caches)" = "$first_cache" ]; then fail "the old build's cache was kept: $(caches)"; fi
render off HFR_AOT_CACHE=0
grep -q "start-up cache: off" "$out/off.err" || fail "HFR_AOT_CACHE=0 must turn the cache off"
echo "test-launcher.sh: a rebuild gets its own cache, and HFR_AOT_CACHE=0 turns it off: ok"
