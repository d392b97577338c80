#!/usr/bin/env bash
# The AWS SAM CLI, pinned, in a venv under .cache (like LocalStack's): no global pip install needed.
#
#   scripts/sam.sh install        create .cache/sam-venv with aws-sam-cli ${SAM_VERSION} (idempotent)
#   scripts/sam.sh path           print the sam executable (installs first when missing)
#   scripts/sam.sh ARGS...        run `sam ARGS...` (installs first when missing)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

SAM_VERSION="1.170.0"
SAM_PYTHON="${HFR_SAM_PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python}"
SAM_VENV="${HFR_CACHE_DIR}/sam-venv"
SAM_BIN="${SAM_VENV}/bin/sam"

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
  if [ ! -x "$SAM_PYTHON" ]; then
    SAM_PYTHON="$(command -v python3 || true)"
    [ -n "$SAM_PYTHON" ] || { log "no Python 3 found (set HFR_SAM_PYTHON)"; return 1; }
  fi
  mkdir -p "$HFR_CACHE_DIR"
  log "creating ${SAM_VENV} with aws-sam-cli ${SAM_VERSION} (takes about a minute)"
  rm -rf "$SAM_VENV"
  "$SAM_PYTHON" -m venv "$SAM_VENV"
  "${SAM_VENV}/bin/pip" install --quiet --disable-pip-version-check "aws-sam-cli==${SAM_VERSION}"
  venv_ok || { log "install finished but sam ${SAM_VERSION} does not run"; return 1; }
  log "installed aws-sam-cli ${SAM_VERSION}"
}

case "${1:-}" in
  install) cmd_install ;;
  path) cmd_install; printf '%s\n' "$SAM_BIN" ;;
  "") echo "usage: $0 install|path|SAM-ARGS..." >&2; exit 2 ;;
  *) cmd_install; SAM_CLI_TELEMETRY=0 exec "$SAM_BIN" "$@" ;;
esac
