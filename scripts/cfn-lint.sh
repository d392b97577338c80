#!/usr/bin/env bash
# Lints template.yaml with cfn-lint (which also runs the SAM transform), installing cfn-lint from PyPI into
# .cache/cfn-lint-venv on first use.
#
#   scripts/cfn-lint.sh [template]      exit 0 when clean; cfn-lint's own exit code otherwise
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CFN_LINT_VERSION="1.58.0"
VENV="${HFR_CACHE_DIR}/cfn-lint-venv"
PYTHON="${HFR_CFN_LINT_PYTHON:-}"
TEMPLATE="${1:-${HFR_REPO_ROOT}/template.yaml}"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,5p' "$0"
  exit 0
fi

if ! "${VENV}/bin/cfn-lint" --version 2>/dev/null | grep -q "${CFN_LINT_VERSION}"; then
  if [ -z "$PYTHON" ]; then
    for candidate in "$HOME/.pyenv/versions/3.13.0/bin/python" "$(command -v python3 || true)"; do
      if [ -n "$candidate" ] && [ -x "$candidate" ]; then PYTHON="$candidate"; break; fi
    done
  fi
  [ -n "$PYTHON" ] || { echo "cfn-lint.sh: no python3 found" >&2; exit 1; }
  mkdir -p "$HFR_CACHE_DIR"
  echo "cfn-lint.sh: installing cfn-lint ${CFN_LINT_VERSION} into ${VENV}" >&2
  "$PYTHON" -m venv "$VENV"
  "${VENV}/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==${CFN_LINT_VERSION}"
fi

cd "$HFR_REPO_ROOT"
exec "${VENV}/bin/cfn-lint" --format parseable -- "$TEMPLATE"
