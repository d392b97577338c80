#!/usr/bin/env bash
# Builds everything the Lambda functions need, from Maven and npm only:
#   functions/<fn>/target/lambda/function.zip   Lambda's Java zip layout: lib/*.jar (all runtime dependencies plus
#                         the function's own jar), Handler dev.hfr.function.<fn>.<Fn>Handler; the same layout in
#                         orchestration/sqs-lambda/target/lambda/function.zip for the SQS mode's three queue
#                         functions (Handler dev.hfr.sqs.lambda.<Step>QueueHandler). Not a shaded jar:
#                         Lambda unzips the package, and jars inside lib/ stay compressed on disk. Playwright's
#                         driver-bundle jar is trimmed to driver/linux (x86_64 Node); assemble ships no Playwright
#                         driver at all (it never starts a browser).
#   target/lambda/chromium-layer.zip   npm @sparticuz/chromium bin/*.br under chromium/ -> /opt/chromium
#   target/lambda/ffmpeg-layer.zip     npm @ffmpeg-installer/linux-x64 ffmpeg and @ffprobe-installer/linux-x64
#                         ffprobe, gzip -9, under ffmpeg/ -> /opt/ffmpeg/{ffmpeg,ffprobe}.gz; the cold start
#                         (FfmpegLayer) inflates them into /tmp/bin
#   target/lambda/manifest.json        per artifact: zipped/unzipped size, sha256; per function: its package and
#                         its layers unzipped, the total against Lambda's 250 MB limit
# Exits 1 when a function with its layers unzips to more than 250 MB (262,144,000 bytes).
#
# Usage: scripts/package-lambda.sh [--npm-only] [--skip-jars]
#   --npm-only   only install the npm packages into .cache/npm-lambda (what SparticuzChromiumTest needs)
#   --skip-jars  build the layers only (function zips already built are still measured)
# Builds and installs the modules the functions depend on itself (works on a fresh checkout).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HFR_REPO_ROOT"

SPARTICUZ_VERSION=153.0.0
FFMPEG_INSTALLER_VERSION=4.1.0
FFPROBE_INSTALLER_VERSION=5.2.0
NPM_DIR="$HFR_REPO_ROOT/.cache/npm-lambda"
OUT="$HFR_REPO_ROOT/target/lambda"

npm_only=0; skip_jars=0
for arg in "$@"; do
  case "$arg" in
    --npm-only) npm_only=1 ;;
    --skip-jars) skip_jars=1 ;;
    *) echo "package-lambda: unknown argument $arg (expected --npm-only or --skip-jars)" >&2; exit 2 ;;
  esac
done

installed_version() { # $1 package dir; prints its package.json version or nothing
  [ -f "$1/package.json" ] && node -p "require('$1/package.json').version" 2>/dev/null || true
}

need_npm=0
[ "$(installed_version "$NPM_DIR/node_modules/@sparticuz/chromium")" = "$SPARTICUZ_VERSION" ] || need_npm=1
[ "$(installed_version "$NPM_DIR/node_modules/@ffmpeg-installer/linux-x64")" = "$FFMPEG_INSTALLER_VERSION" ] || need_npm=1
[ "$(installed_version "$NPM_DIR/node_modules/@ffprobe-installer/linux-x64")" = "$FFPROBE_INSTALLER_VERSION" ] || need_npm=1
if [ "$need_npm" = 1 ]; then
  echo "package-lambda: npm install into $NPM_DIR" >&2
  mkdir -p "$NPM_DIR"
  # --ignore-scripts: the two installers' postinstall only runs chmod, which is done below for certain.
  npm install --no-audit --no-fund --ignore-scripts --loglevel=error --prefix "$NPM_DIR" \
    "@sparticuz/chromium@$SPARTICUZ_VERSION" \
    "@ffmpeg-installer/linux-x64@$FFMPEG_INSTALLER_VERSION" \
    "@ffprobe-installer/linux-x64@$FFPROBE_INSTALLER_VERSION" >&2
fi
chmod 0755 "$NPM_DIR/node_modules/@ffmpeg-installer/linux-x64/ffmpeg" "$NPM_DIR/node_modules/@ffprobe-installer/linux-x64/ffprobe"
[ "$npm_only" = 1 ] && exit 0

mkdir -p "$OUT"
stage="$(mktemp -d "${TMPDIR:-/tmp}/hfr-lambda-stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
MODULES="functions/plan functions/render-chunk functions/assemble orchestration/sqs-lambda"
# Lambda: function code plus all its layers, unzipped, at most 250 MB. The override exists only to check that
# the script fails when a function is over it (e.g. HFR_LAMBDA_LIMIT_BYTES=100000000 --skip-jars).
LIMIT_BYTES=${HFR_LAMBDA_LIMIT_BYTES:-262144000}

# Layers. .br and .gz files are already compressed: store them (-0) so the layer unzips fast.
mkdir -p "$stage/chromium-layer/chromium" "$stage/ffmpeg-layer/ffmpeg"
cp "$NPM_DIR"/node_modules/@sparticuz/chromium/bin/*.br "$stage/chromium-layer/chromium/"
gzip -9 -n -c "$NPM_DIR/node_modules/@ffmpeg-installer/linux-x64/ffmpeg" > "$stage/ffmpeg-layer/ffmpeg/ffmpeg.gz" &
gzip -9 -n -c "$NPM_DIR/node_modules/@ffprobe-installer/linux-x64/ffprobe" > "$stage/ffmpeg-layer/ffmpeg/ffprobe.gz"
wait $!
# ffprobe-layer.zip and the shaded *.jar of earlier versions of this script would only mislead.
rm -f "$OUT/chromium-layer.zip" "$OUT/ffmpeg-layer.zip" "$OUT/ffprobe-layer.zip" "$OUT"/plan.jar "$OUT"/render-chunk.jar "$OUT"/assemble.jar
(cd "$stage/chromium-layer" && zip -q -0 -X -r "$OUT/chromium-layer.zip" chromium)
(cd "$stage/ffmpeg-layer" && zip -q -0 -X -r "$OUT/ffmpeg-layer.zip" ffmpeg)

if [ "$skip_jars" = 0 ]; then
  for mod in $MODULES; do rm -rf "$mod/target/lambda"; done
  # the lambda-package profile copies each function's runtime dependencies into target/lambda/lib
  # -am: the modules the functions depend on (model, engine, the SQS mode...) are built and installed too, so this
  # works on a fresh checkout with an empty ~/.m2
  mvn -B -q -Plambda-package -DskipTests -am \
    -pl "functions/runtime,${MODULES// /,}" install >&2
  for mod in $MODULES; do
    fn=$(basename "$mod")
    dir="$mod/target/lambda"
    cp "$mod/target/hfr-"*[0-9T].jar "$dir/lib/"
    bundle=$(ls "$dir"/lib/driver-bundle-*.jar 2>/dev/null || true)
    # Lambda x86_64 needs driver/linux only: the same trim sam build applies (scripts/lambda-build.sh)
    if [ -n "$bundle" ]; then "$HFR_REPO_ROOT/scripts/lambda-build.sh" trim-driver "$bundle"; fi
    if [ "$fn" = assemble ] && ls "$dir"/lib/driver*.jar >/dev/null 2>&1; then
      echo "package-lambda: assemble must not ship Playwright's driver jars" >&2; exit 1
    fi
    # jars are already compressed: store them
    (cd "$dir" && zip -q -0 -X -r function.zip lib)
  done
fi

unzipped_bytes() { unzip -l "$1" | tail -1 | awk '{print $1}'; }
artifact_json() { # $1 display name, $2 path
  printf '{"file": "%s", "sizeBytes": %s, "unzippedBytes": %s, "sha256": "%s"}' \
    "$1" "$(stat -c %s "$2")" "$(unzipped_bytes "$2")" "$(sha256sum "$2" | cut -d' ' -f1)"
}

# manifest.json
over=0
{
  echo "{"
  echo "  \"sparticuzChromium\": \"$SPARTICUZ_VERSION\", \"ffmpegInstaller\": \"$FFMPEG_INSTALLER_VERSION\", \"ffprobeInstaller\": \"$FFPROBE_INSTALLER_VERSION\","
  echo "  \"unzippedLimitBytes\": $LIMIT_BYTES,"
  echo "  \"layers\": ["
  printf '    %s,\n' "$(artifact_json chromium-layer.zip "$OUT/chromium-layer.zip")"
  printf '    %s\n' "$(artifact_json ffmpeg-layer.zip "$OUT/ffmpeg-layer.zip")"
  echo "  ],"
  echo "  \"functions\": ["
  first=1
  for mod in $MODULES; do
    fn=$(basename "$mod")
    zipf="$mod/target/lambda/function.zip"
    [ -f "$zipf" ] || continue
    layers="ffmpeg-layer.zip"
    [ "$fn" = assemble ] || layers="chromium-layer.zip $layers"
    code=$(unzipped_bytes "$zipf")
    total=$code
    layer_json=""
    for l in $layers; do
      u=$(unzipped_bytes "$OUT/$l")
      total=$((total + u))
      layer_json="$layer_json${layer_json:+, }{\"file\": \"$l\", \"unzippedBytes\": $u}"
    done
    fits=true; [ "$total" -le "$LIMIT_BYTES" ] || { fits=false; over=1; }
    [ $first = 1 ] || echo ","
    first=0
    printf '    {"function": "%s", "package": %s, "jarsInLib": %s, "layers": [%s], "unzippedTotalBytes": %s, "headroomBytes": %s, "fits": %s}' \
      "$fn" "$(artifact_json "$zipf" "$zipf")" "$(unzip -Z1 "$zipf" | grep -c '\.jar$')" "$layer_json" "$total" \
      "$((LIMIT_BYTES - total))" "$fits"
    [ "$fits" = true ] || echo "package-lambda: $fn with its layers unzips to $total bytes, over Lambda's $LIMIT_BYTES" >&2
  done
  echo ""
  echo "  ]"
  echo "}"
} > "$OUT/manifest.json"
cat "$OUT/manifest.json"
if [ "$over" = 1 ]; then
  echo "package-lambda: FAILED: a function exceeds Lambda's 250 MB unzipped limit (see $OUT/manifest.json)" >&2
  exit 1
fi
