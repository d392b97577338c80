#!/usr/bin/env bash
# Builds everything the three Lambda functions need, from Maven and npm only, into target/lambda/:
#   plan.jar, render-chunk.jar, assemble.jar   one shaded jar per function (Handler dev.hfr.function.<fn>.<Fn>Handler)
#   chromium-layer.zip    npm @sparticuz/chromium bin/*.br under chromium/  -> /opt/chromium (HFR_CHROMIUM_LAYER_DIR)
#   ffmpeg-layer.zip      npm @ffmpeg-installer/linux-x64 ffmpeg under bin/  -> /opt/bin/ffmpeg
#   ffprobe-layer.zip     npm @ffprobe-installer/linux-x64 ffprobe under bin/ -> /opt/bin/ffprobe (a separate layer:
#                         ffmpeg + ffprobe + Chromium together come close to Lambda's 250 MB unzipped limit)
#   manifest.json         every artifact with its size (zipped and unzipped) and sha256
#
# Usage: scripts/package-lambda.sh [--npm-only] [--skip-jars]
#   --npm-only   only install the npm packages into .cache/npm-lambda (what SparticuzChromiumTest needs)
#   --skip-jars  build the layers only
# The shaded jars use the lambda-package Maven profile of functions/{plan,render-chunk,assemble}; the other
# modules' jars come from ~/.m2 (build them first with scripts/test.sh or mvn install).
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

# Layers. .br files are already compressed: store them (-0) so the layer unzips fast.
mkdir -p "$stage/chromium-layer/chromium" "$stage/ffmpeg-layer/bin" "$stage/ffprobe-layer/bin"
cp "$NPM_DIR"/node_modules/@sparticuz/chromium/bin/*.br "$stage/chromium-layer/chromium/"
cp "$NPM_DIR/node_modules/@ffmpeg-installer/linux-x64/ffmpeg" "$stage/ffmpeg-layer/bin/"
cp "$NPM_DIR/node_modules/@ffprobe-installer/linux-x64/ffprobe" "$stage/ffprobe-layer/bin/"
chmod 0755 "$stage/ffmpeg-layer/bin/ffmpeg" "$stage/ffprobe-layer/bin/ffprobe"
rm -f "$OUT/chromium-layer.zip" "$OUT/ffmpeg-layer.zip" "$OUT/ffprobe-layer.zip"
(cd "$stage/chromium-layer" && zip -q -0 -X -r "$OUT/chromium-layer.zip" chromium)
(cd "$stage/ffmpeg-layer" && zip -q -9 -X -r "$OUT/ffmpeg-layer.zip" bin)
(cd "$stage/ffprobe-layer" && zip -q -9 -X -r "$OUT/ffprobe-layer.zip" bin)

if [ "$skip_jars" = 0 ]; then
  mvn -B -q -Plambda-package -DskipTests \
    -pl functions/runtime,functions/plan,functions/render-chunk,functions/assemble install >&2
  cp functions/plan/target/hfr-function-plan-*-lambda.jar "$OUT/plan.jar"
  cp functions/render-chunk/target/hfr-function-render-chunk-*-lambda.jar "$OUT/render-chunk.jar"
  cp functions/assemble/target/hfr-function-assemble-*-lambda.jar "$OUT/assemble.jar"
fi

# manifest.json: size zipped/unzipped and sha256 of every artifact present.
{
  echo "{"
  echo "  \"sparticuzChromium\": \"$SPARTICUZ_VERSION\", \"ffmpegInstaller\": \"$FFMPEG_INSTALLER_VERSION\", \"ffprobeInstaller\": \"$FFPROBE_INSTALLER_VERSION\","
  echo "  \"artifacts\": ["
  first=1
  for f in plan.jar render-chunk.jar assemble.jar chromium-layer.zip ffmpeg-layer.zip ffprobe-layer.zip; do
    [ -f "$OUT/$f" ] || continue
    size=$(stat -c %s "$OUT/$f")
    unzipped=$(unzip -l "$OUT/$f" | tail -1 | awk '{print $1}')
    sha=$(sha256sum "$OUT/$f" | cut -d' ' -f1)
    [ $first = 1 ] || echo ","
    first=0
    printf '    {"file": "%s", "sizeBytes": %s, "unzippedBytes": %s, "sha256": "%s"}' "$f" "$size" "$unzipped" "$sha"
  done
  echo ""
  echo "  ],"
  # Lambda's limit: function code plus all its layers, unzipped, at most 250 MB (262,144,000 bytes).
  # Every function needs ffmpeg + ffprobe (FfmpegTools.locate() wants both); plan and render-chunk also Chromium.
  echo "  \"unzippedLimitBytes\": 262144000,"
  echo "  \"functions\": ["
  first=1
  for fn in plan render-chunk assemble; do
    [ -f "$OUT/$fn.jar" ] || continue
    layers="ffmpeg-layer.zip ffprobe-layer.zip"
    [ "$fn" = assemble ] || layers="chromium-layer.zip $layers"
    total=0
    for f in "$fn.jar" $layers; do
      total=$((total + $(unzip -l "$OUT/$f" | tail -1 | awk '{print $1}')))
    done
    fits=true; [ "$total" -le 262144000 ] || fits=false
    [ $first = 1 ] || echo ","
    first=0
    printf '    {"function": "%s", "layers": "%s", "unzippedTotalBytes": %s, "fitsZipDeployment": %s}' \
      "$fn" "$layers" "$total" "$fits"
    [ "$fits" = true ] || echo "package-lambda: WARNING $fn with its layers unzips to $total bytes, over Lambda's 250 MB: deploy it as a container image" >&2
  done
  echo ""
  echo "  ]"
  echo "}"
} > "$OUT/manifest.json"
cat "$OUT/manifest.json"
