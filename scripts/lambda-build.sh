#!/usr/bin/env bash
# Builds one Lambda artifact into a directory: what `sam build` runs for each function and layer of
# template.yaml (Metadata BuildMethod makefile; the Makefile's build-<LogicalId> targets call this), and what
# scripts/package-lambda.sh zips.
#
#   scripts/lambda-build.sh function MODULE DIR   Maven-builds MODULE and the modules it needs (-pl MODULE -am
#                         package, tests skipped; nothing is installed into ~/.m2) and puts Lambda's Java layout
#                         into DIR: lib/*.jar = its runtime dependencies plus its own jar, Playwright's
#                         driver-bundle trimmed to driver/linux (x86_64 Node).
#   scripts/lambda-build.sh layer chromium DIR    DIR/chromium/*.br from npm @sparticuz/chromium (-> /opt/chromium)
#   scripts/lambda-build.sh layer ffmpeg DIR      DIR/ffmpeg/{ffmpeg,ffprobe}.gz, gzip -9 of the npm static builds
#                         (-> /opt/ffmpeg; the cold start inflates them into /tmp/bin)
#   scripts/lambda-build.sh trim-driver JAR       trims a Playwright driver-bundle jar in place to driver/linux
#
# The JDK is the repo's (scripts/env.sh). HFR_MVN_ARGS adds Maven options, e.g. HFR_MVN_ARGS=-o for an offline
# build from a warm ~/.m2. The layers' npm packages are installed by scripts/package-lambda.sh --npm-only when
# missing (the only step that needs the npm registry).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HFR_REPO_ROOT"
NPM_DIR="$HFR_REPO_ROOT/.cache/npm-lambda/node_modules"

die() { echo "lambda-build: $*" >&2; exit 2; }

trim_driver() { # $1 driver-bundle jar
  # Lambda x86_64 needs driver/linux only (Playwright's DriverJar picks driver/<platform> by os.name/os.arch);
  # the other four platforms' Node are 460 MB.
  zip -q -d "$1" 'driver/mac/*' 'driver/mac-arm64/*' 'driver/linux-arm64/*' 'driver/win32_x64/*' >&2 || true
  local entries left
  entries=$(unzip -Z1 "$1")
  left=$(grep '^driver/.' <<<"$entries" | grep -v '^driver/linux/' || true)
  [ -z "$left" ] || { echo "lambda-build: $1 still holds $left" >&2; exit 1; }
  grep -qx 'driver/linux/node' <<<"$entries" || { echo "lambda-build: $1 lost driver/linux/node" >&2; exit 1; }
}

build_function() { # $1 module, $2 destination
  local mod="$1" dest="$2" bundle
  [ -f "$mod/pom.xml" ] || die "no Maven module at $mod"
  rm -rf "$mod/target/lambda"
  # the lambda-package profile copies the module's runtime dependencies into target/lambda/lib
  # shellcheck disable=SC2086
  mvn -B -q ${HFR_MVN_ARGS:-} -Plambda-package -DskipTests -pl "$mod" -am package >&2
  mkdir -p "$dest"
  rm -rf "$dest/lib"
  cp -r "$mod/target/lambda/lib" "$dest/lib"
  cp "$mod/target/hfr-"*[0-9T].jar "$dest/lib/"
  for bundle in "$dest"/lib/driver-bundle-*.jar; do
    [ -f "$bundle" ] && trim_driver "$bundle"
  done
  if [ "$(basename "$mod")" = assemble ] && ls "$dest"/lib/driver*.jar >/dev/null 2>&1; then
    die "assemble must not ship Playwright's driver jars"
  fi
}

need_npm() {
  [ -d "$NPM_DIR/@sparticuz/chromium/bin" ] && [ -x "$NPM_DIR/@ffmpeg-installer/linux-x64/ffmpeg" ] \
    && [ -x "$NPM_DIR/@ffprobe-installer/linux-x64/ffprobe" ] || "$HFR_REPO_ROOT/scripts/package-lambda.sh" --npm-only
}

build_layer() { # $1 chromium|ffmpeg, $2 destination
  need_npm
  case "$1" in
    chromium)
      rm -rf "$2/chromium"; mkdir -p "$2/chromium"
      cp "$NPM_DIR"/@sparticuz/chromium/bin/*.br "$2/chromium/" ;;
    ffmpeg)
      rm -rf "$2/ffmpeg"; mkdir -p "$2/ffmpeg"
      gzip -9 -n -c "$NPM_DIR/@ffmpeg-installer/linux-x64/ffmpeg" > "$2/ffmpeg/ffmpeg.gz"
      gzip -9 -n -c "$NPM_DIR/@ffprobe-installer/linux-x64/ffprobe" > "$2/ffmpeg/ffprobe.gz" ;;
    *) die "unknown layer $1 (expected chromium or ffmpeg)" ;;
  esac
}

case "${1:-}" in
  function) [ $# -eq 3 ] || die "usage: $0 function MODULE DIR"; build_function "$2" "$3" ;;
  layer) [ $# -eq 3 ] || die "usage: $0 layer chromium|ffmpeg DIR"; build_layer "$2" "$3" ;;
  trim-driver) [ $# -eq 2 ] || die "usage: $0 trim-driver JAR"; trim_driver "$2" ;;
  *) die "usage: $0 function MODULE DIR | layer chromium|ffmpeg DIR | trim-driver JAR" ;;
esac
