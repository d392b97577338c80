#!/usr/bin/env bash
# The AWS SAM CLI, pinned, in a venv under .cache (like LocalStack's): no global pip install needed.
#
#   scripts/sam.sh install        create .cache/sam-venv with aws-sam-cli ${SAM_VERSION} (idempotent)
#   scripts/sam.sh path           print the sam executable (installs first when missing)
#   scripts/sam.sh aws-path       print an AWS CLI: the one on PATH, else awscli ${AWSCLI_VERSION} installed into
#                                 .cache/awscli-venv (its own venv: it pins botocore exactly, SAM pins another)
#   scripts/sam.sh ARGS...        run `sam ARGS...` (installs first when missing)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

SAM_VERSION="1.170.0"
SAM_PYTHON="${HFR_SAM_PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python}"
[ -x "$SAM_PYTHON" ] || SAM_PYTHON="$(command -v python3 || true)"
SAM_VENV="${HFR_CACHE_DIR}/sam-venv"
SAM_BIN="${SAM_VENV}/bin/sam"
AWSCLI_VERSION="1.45.11"
AWSCLI_VENV="${HFR_CACHE_DIR}/awscli-venv"

log() { printf 'sam.sh: %s\n' "$*" >&2; }

venv_ok() {
  [ -x "$SAM_BIN" ] && "${SAM_VENV}/bin/python" - "$SAM_VERSION" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
sys.exit(0 if version("aws-sam-cli") == sys.argv[1] else 1)
PY
}

cmd_install() {
  if venv_ok; then return 0; fi
  [ -n "$SAM_PYTHON" ] || { log "no Python 3 found (set HFR_SAM_PYTHON)"; return 1; }
  mkdir -p "$HFR_CACHE_DIR"
  log "creating ${SAM_VENV} with aws-sam-cli ${SAM_VERSION} (takes about a minute)"
  rm -rf "$SAM_VENV"
  "$SAM_PYTHON" -m venv "$SAM_VENV"
  "${SAM_VENV}/bin/pip" install --quiet --disable-pip-version-check "aws-sam-cli==${SAM_VERSION}"
  venv_ok || { log "install finished but sam ${SAM_VERSION} does not run"; return 1; }
  log "installed aws-sam-cli ${SAM_VERSION}"
}

cmd_aws_path() {
  if command -v aws >/dev/null 2>&1; then command -v aws; return 0; fi
  if [ ! -x "${AWSCLI_VENV}/bin/aws" ]; then
    log "no aws on PATH: installing awscli ${AWSCLI_VERSION} into ${AWSCLI_VENV}"
    "$SAM_PYTHON" -m venv "$AWSCLI_VENV" >&2
    "${AWSCLI_VENV}/bin/pip" install --quiet --disable-pip-version-check "awscli==${AWSCLI_VERSION}" >&2
  fi
  printf '%s\n' "${AWSCLI_VENV}/bin/aws"
}

case "${1:-}" in
  install) cmd_install ;;
  aws-path) cmd_aws_path ;;
  path) cmd_install; printf '%s\n' "$SAM_BIN" ;;
  "") echo "usage: $0 install|path|SAM-ARGS..." >&2; exit 2 ;;
  *) cmd_install; SAM_CLI_TELEMETRY=0 exec "$SAM_BIN" "$@" ;;
esac
