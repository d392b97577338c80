#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts LocalStack (S3, SQS, Step Functions)
# as a local Python process, runs `mvn verify` over every module, and stops LocalStack again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" --localstack
# the Lambda packaging tests check the real packages: the function zips (lib/ jars, trimmed Playwright driver) and
# the layers built from npm's @sparticuz/chromium and ffmpeg installers; they fail, not skip, when these are missing
"$ROOT/scripts/package-lambda.sh"
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
# the launcher a user runs, end to end, and its start-up cache (scripts/test-launcher.sh says what it checks)
./scripts/test-launcher.sh
echo "test.sh: ./hf launcher end to end: ok"
# the real template.yaml deployed with the SAM CLI to a LocalStack of the smoke's own (port 4610, not the suite's
# 4566), ComputeMode=workers; one render through the state machine and one through SQS, run by `hf worker`,
# each compared with a local single pass; the stack is deleted at the end (docs/aws.md, section 5)
./scripts/smoke.sh --localstack --stack-name "hfr-ci-$(date +%s)"
echo "test.sh: LocalStack deploy of template.yaml with hf worker (Step Functions and SQS): ok"
