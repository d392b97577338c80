#!/usr/bin/env bash
# LocalStack (S3, SQS, Step Functions, STS, and for deploying template.yaml: CloudFormation, IAM, Lambda, Logs,
# CloudWatch) without Docker, for integration tests.
#
#   scripts/localstack.sh install   venv with pinned localstack-core (idempotent)
#   scripts/localstack.sh start     start on 127.0.0.1:4566, or reuse a healthy instance (idempotent)
#   scripts/localstack.sh stop      stop the instance this script started (TERM, 15 s, then KILL)
#   scripts/localstack.sh status    print health; exit 0 when S3, SQS and SFN answer
#
# The recipe (Python 3.13, the three pins, OVERRIDE_IN_DOCKER/FILESYSTEM_ROOT) is the one measured in
# ../shared/reference/localstack-notes.md; every other combination failed there in a different way.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

LS_VERSION="4.14.0"
LS_HOST="127.0.0.1"
# 4566 is what every test expects; scripts/smoke.sh --localstack runs its own instance on another port (4610),
# with its own home under .cache, so a deploy never collides with the suite's.
LS_PORT="${HFR_LOCALSTACK_PORT:-4566}"
LS_ENDPOINT="http://${LS_HOST}:${LS_PORT}"
LS_PYTHON="${HFR_LOCALSTACK_PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python}"
LS_VENV="${HFR_CACHE_DIR}/localstack-venv"
if [ "$LS_PORT" = "4566" ]; then
  LS_HOME="${HFR_CACHE_DIR}/localstack"
else
  LS_HOME="${HFR_CACHE_DIR}/localstack-${LS_PORT}"
fi
LS_DATA="${LS_HOME}/data"
LS_LOG="${LS_HOME}/localstack.log"
LS_PIDFILE="${LS_HOME}/localstack.pid"
LS_LOCK="${LS_HOME}/localstack.lock"
LS_READY_SECONDS="${HFR_LOCALSTACK_READY_SECONDS:-90}"
LS_STOP_SECONDS=15

log() { printf 'localstack.sh: %s\n' "$*" >&2; }

venv_ok() {
  [ -x "${LS_VENV}/bin/python" ] && "${LS_VENV}/bin/python" - "$LS_VERSION" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
import boto3  # noqa: F401  (the readiness probe needs it)
import localstack.runtime.main  # noqa: F401
sys.exit(0 if version("localstack-core") == sys.argv[1] else 1)
PY
}

cmd_install() {
  if venv_ok; then
    log "venv ${LS_VENV} already has localstack-core ${LS_VERSION}"
    return 0
  fi
  if [ ! -x "$LS_PYTHON" ]; then
    log "Python 3.13 not found at ${LS_PYTHON} (localstack-core ${LS_VERSION} needs >= 3.12 syntax)"
    return 1
  fi
  mkdir -p "$HFR_CACHE_DIR"
  log "creating ${LS_VENV} (takes about 90 s)"
  "$LS_PYTHON" -m venv "$LS_VENV"
  # The pins avoid three broken releases: cbor2 6 (missing _decoder), pyOpenSSL 26 (no add_extensions),
  # localstack-twisted 26 (needs service_identity).
  "${LS_VENV}/bin/pip" install --quiet --disable-pip-version-check \
    "localstack-core[runtime]==${LS_VERSION}" "boto3==1.42.54" \
    "cbor2<6" "pyopenssl<26" "localstack-twisted==25.5.0"
  venv_ok || { log "install finished but localstack does not import"; return 1; }
  log "installed localstack-core ${LS_VERSION}"
}

health_ok() {
  curl -sf -m 2 "${LS_ENDPOINT}/_localstack/health" >/dev/null 2>&1
}

# One real call per service: health says "available" long before a service can answer.
services_answer() {
  "${LS_VENV}/bin/python" - "$LS_ENDPOINT" <<'PY' >/dev/null 2>&1
import sys
import boto3
from botocore.config import Config
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test",
          aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}, read_timeout=10,
                                                      connect_timeout=2))
boto3.client("s3", **kw).list_buckets()
boto3.client("sqs", **kw).list_queues()
boto3.client("stepfunctions", **kw).list_state_machines()
boto3.client("cloudformation", **kw).list_stacks()
PY
}

pid_alive() {
  [ -f "$LS_PIDFILE" ] && kill -0 "$(cat "$LS_PIDFILE")" 2>/dev/null
}

wait_ready() {
  local deadline=$((SECONDS + LS_READY_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if health_ok && services_answer; then
      return 0
    fi
    if [ -f "$LS_PIDFILE" ] && ! pid_alive; then
      log "LocalStack (pid $(cat "$LS_PIDFILE")) exited during start-up"
      return 1
    fi
    sleep 0.5
  done
  log "S3, SQS, SFN and CloudFormation did not all answer within ${LS_READY_SECONDS} s"
  return 1
}

fail_with_log() {
  log "last lines of ${LS_LOG}:"
  tail -n 40 "$LS_LOG" >&2 2>/dev/null || true
  exit 1
}

cmd_start() {
  mkdir -p "$LS_HOME"
  # Several test JVMs may call start at once: one starts, the others wait here and then reuse it.
  exec 9>"$LS_LOCK"
  flock -w 300 9 || { log "timed out waiting for ${LS_LOCK}"; exit 1; }

  if health_ok; then
    if ! venv_ok; then
      # Someone else's instance: we cannot probe services with boto3, health must do.
      log "reusing the LocalStack answering on ${LS_ENDPOINT}"
      return 0
    fi
    if wait_ready; then
      log "reusing the LocalStack answering on ${LS_ENDPOINT}"
      return 0
    fi
    fail_with_log
  fi
  if pid_alive; then
    log "pid $(cat "$LS_PIDFILE") is alive but ${LS_ENDPOINT} does not answer; waiting"
    wait_ready || fail_with_log
    return 0
  fi

  cmd_install
  mkdir -p "$LS_DATA"
  log "starting LocalStack ${LS_VERSION} on ${LS_ENDPOINT} (log: ${LS_LOG})"
  # setsid: the server must outlive this script and the test JVM that ran it, and not get their
  # signals. Started as its own command so $! is LocalStack's pid, not a subshell's.
  # cloudformation..cloudwatch: scripts/smoke.sh --localstack deploys the real template.yaml (ComputeMode=workers:
  # LocalStack cannot run Lambda code without Docker, so no function is created; lambda is served for the API only)
  GATEWAY_LISTEN="${LS_HOST}:${LS_PORT}" DNS_ADDRESS=0 \
    SERVICES=s3,sqs,stepfunctions,sts,cloudformation,iam,lambda,logs,cloudwatch \
    OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$LS_DATA" \
    DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 \
    SQS_ENDPOINT_STRATEGY=path LOCALSTACK_HOST="${LS_HOST}:${LS_PORT}" \
    setsid "${LS_VENV}/bin/python" -m localstack.runtime.main </dev/null >"$LS_LOG" 2>&1 9>&- &
  echo "$!" >"$LS_PIDFILE"
  if wait_ready; then
    log "LocalStack ready (pid $(cat "$LS_PIDFILE"))"
    return 0
  fi
  fail_with_log
}

cmd_stop() {
  if ! pid_alive; then
    rm -f "$LS_PIDFILE"
    if health_ok; then
      log "a LocalStack answers on ${LS_ENDPOINT} but was not started by this script; leaving it"
    else
      log "not running"
    fi
    return 0
  fi
  local pid deadline
  pid="$(cat "$LS_PIDFILE")"
  kill "$pid" 2>/dev/null || true
  deadline=$((SECONDS + LS_STOP_SECONDS))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    # Seen in the notes: SIGTERM can hang for minutes on an activity task nobody claimed.
    log "pid ${pid} still alive after ${LS_STOP_SECONDS} s; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$LS_PIDFILE"
  log "stopped pid ${pid}"
}

cmd_status() {
  if pid_alive; then
    log "pid $(cat "$LS_PIDFILE") (started by this script)"
  fi
  if ! health_ok; then
    log "nothing answers on ${LS_ENDPOINT}"
    return 1
  fi
  curl -sf -m 2 "${LS_ENDPOINT}/_localstack/health"
  echo
  if venv_ok && ! services_answer; then
    log "health answers but S3, SQS or SFN does not (yet)"
    return 1
  fi
  return 0
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 install|start|stop|status" >&2
    exit 2
    ;;
esac
