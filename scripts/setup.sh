#!/usr/bin/env bash
# Installs what this machine lacks to build and run hfr, idempotently:
#   Debian packages: chromium-headless-shell, ffmpeg, fonts, maven, node/npm (only when missing)
#   the offline asset cache (GSAP, fonts, ... from npm) used to render compositions without internet
#   with --localstack: the LocalStack venv the AWS tests use
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WITH_LOCALSTACK=0
for arg in "$@"; do
  case "$arg" in
    --localstack) WITH_LOCALSTACK=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

need_pkgs=()
[ -x /usr/lib/chromium/chromium-headless-shell ] || command -v chromium-headless-shell >/dev/null 2>&1 || need_pkgs+=(chromium-headless-shell)
command -v ffmpeg >/dev/null 2>&1 || need_pkgs+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need_pkgs+=(ffmpeg)
command -v mvn >/dev/null 2>&1 || need_pkgs+=(maven)
command -v npm >/dev/null 2>&1 || need_pkgs+=(npm)
command -v jq >/dev/null 2>&1 || need_pkgs+=(jq)
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)
[ -d /usr/share/fonts/truetype/dejavu ] || need_pkgs+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation ] || need_pkgs+=(fonts-liberation)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "setup: installing ${need_pkgs[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"
if [ -z "${HFR_JDK:-}" ]; then
  echo "setup: a JDK 21 or newer is required under /usr/lib/jvm (Temurin 25 recommended)" >&2
  exit 1
fi

"$ROOT/scripts/fetch-assets.sh"

if [ "$WITH_LOCALSTACK" -eq 1 ]; then
  "$ROOT/scripts/localstack.sh" install
fi
echo "setup: ok (JDK $JAVA_HOME, $(ffmpeg -version | head -1 | cut -d' ' -f1-3))" >&2
