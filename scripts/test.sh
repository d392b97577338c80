#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts LocalStack (S3, SQS, Step Functions)
# as a local Python process, runs `mvn verify` over every module, and stops LocalStack again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" --localstack
# the Lambda packaging tests unpack the real @sparticuz/chromium archives from npm
"$ROOT/scripts/package-lambda.sh" --npm-only
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"
STARTED_LS=0
if ! "$ROOT/scripts/localstack.sh" status >/dev/null 2>&1; then
  "$ROOT/scripts/localstack.sh" start
  STARTED_LS=1
fi
cleanup() {
  if [ "$STARTED_LS" -eq 1 ]; then "$ROOT/scripts/localstack.sh" stop || true; fi
}
trap cleanup EXIT
cd "$ROOT"
mvn -B verify "$@"
