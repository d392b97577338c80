#!/usr/bin/env bash
# End-to-end smoke test of the distributed render: deploys a per-run stack (or uses LocalStack), renders one
# fixture at several chunk counts, compares each output with a local single-pass render (PSNR gate) and
# writes results.json.
#
# Usage: scripts/smoke.sh [options]
#   --fixture NAME             fixture under ../shared/fixtures/hyperframes (default mp4-h264-sdr where
#                              ../shared is beside the repo, else the project examples/hello)
#   --project DIR              render this project directory instead of a fixture
#   --chunk-counts LIST        comma-separated chunk counts (default 2,4,8; with --localstack 2)
#   --frames N                 total frames of the composition (default: 60, or the fixture's meta.json)
#   --fps N                    frames per second (default: the fixture's meta.json renderConfig.fps, else 30)
#   --psnr-min DB              PSNR floor in dB (default: the fixture's meta.json minPsnr, else 30)
#   --reserved-concurrency N   ReservedConcurrency of render-chunk for the stack (default -1 = unreserved)
#   --stack-name NAME          CloudFormation stack (default hfr-smoke-<epoch>); also the ProjectName
#   --region REGION            AWS region (default: AWS_REGION, else us-east-1)
#   --keep-stack               do not delete the stack and its bucket at the end
#   --localstack               deploy the real template.yaml with the SAM CLI to a LocalStack of its own on
#                              127.0.0.1:$HFR_SMOKE_LOCALSTACK_PORT (default 4610; the suite's is 4566) with
#                              ComputeMode=workers OrchestrationMode=both, run the steps with `hf worker`, render
#                              through the state machine and through one `aws sqs send-message`, then once per mode
#                              with `hf worker --stack` and `hf cloud render --stack` (a local listener verifies
#                              each webhook's signature), delete the stack
#   --out DIR                  where outputs, histories and results.json go (default target/smoke/<run-id>)
#   --hf CMD                   the hf command (default: env HFR_HF, else `hf` on PATH, else the repo's ./hf)
#   --dry-run                  parse arguments, print the plan of work and exit
#   --print-activity-definition PLAN_ARN CHUNK_ARN ASSEMBLE_ARN
#                              print the state machine with activity ARNs (the jq twin of
#                              StateMachineDefinition.forActivities; a JUnit test compares the two) and exit
#   -h, --help                 this help
#
# Exit codes: 0 all renders passed; 2 usage; 3 a deploy, render or tool failed; 5 PSNR below the floor.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

ASL="$ROOT/orchestration/stepfunctions/src/main/resources/statemachine/render.asl.json"
FIXTURES="$ROOT/../shared/fixtures/hyperframes"

FIXTURE=""
PROJECT=""
CHUNK_COUNTS=""
FRAMES=""
FPS=""
PSNR_MIN=""
RESERVED_CONCURRENCY="-1"
STACK_NAME="hfr-smoke-$(date +%s)"
REGION="${AWS_REGION:-us-east-1}"
KEEP_STACK=0
LOCALSTACK=0
OUT=""
HF="${HFR_HF:-hf}"
# no hf on PATH: the repo's own wrapper (it builds the CLI on first use)
if [ "$HF" = "hf" ] && ! command -v hf >/dev/null 2>&1; then HF="$ROOT/hf"; fi
DRY_RUN=0

log() { printf 'smoke.sh: %s\n' "$*" >&2; }
die() { log "$1"; exit "${2:-3}"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

# The activity form of the shipped definition: every lambda:invoke Task gets its step's activity ARN, the Lambda
# Payload becomes the task input ("Payload.$": "$" = the state input as it is) and result selectors read the
# result itself instead of $.Payload. Keep in step with StateMachineDefinition.forActivities.
activity_definition() {
  jq --arg plan "$1" --arg chunk "$2" --arg assemble "$3" '
    def arn($fn): if $fn == "${PlanFunctionArn}" then $plan
                  elif $fn == "${RenderChunkFunctionArn}" then $chunk
                  elif $fn == "${AssembleFunctionArn}" then $assemble
                  else error("unknown FunctionName \($fn)") end;
    walk(if type == "object" and .Type == "Task" and .Resource == "arn:aws:states:::lambda:invoke" then
           .Resource = arn(.Parameters.FunctionName)
           | if (.Parameters.Payload | type) == "object" then .Parameters = .Parameters.Payload
             elif .Parameters["Payload.$"] == "$" then del(.Parameters)
             else .Parameters = {"Input.$": .Parameters["Payload.$"]} end
           | if .ResultSelector then .ResultSelector |= with_entries(
               if (.value | type) == "string" then .value |= (if . == "$.Payload" then "$" else sub("^\\$\\.Payload\\."; "$.") end)
               else . end) else . end
         else . end)' "$ASL" \
  | sed -E 's/"(ToleratedFailurePercentage|BackoffRate)": ?([0-9]+)([,}[:space:]])/"\1": \2.0\3/g'
  # ^ jq prints 0.0 as 0, and LocalStack's ASL parser rejects integer ToleratedFailurePercentage
}

need_value() {
  if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)" 2; fi
}

while [ $# -gt 0 ]; do
  case "$1" in
    --fixture) need_value "$@"; FIXTURE="$2"; shift 2 ;;
    --project) need_value "$@"; PROJECT="$2"; shift 2 ;;
    --chunk-counts) need_value "$@"; CHUNK_COUNTS="$2"; shift 2 ;;
    --frames) need_value "$@"; FRAMES="$2"; shift 2 ;;
    --fps) need_value "$@"; FPS="$2"; shift 2 ;;
    --psnr-min) need_value "$@"; PSNR_MIN="$2"; shift 2 ;;
    --reserved-concurrency) need_value "$@"; RESERVED_CONCURRENCY="$2"; shift 2 ;;
    --stack-name) need_value "$@"; STACK_NAME="$2"; shift 2 ;;
    --region) need_value "$@"; REGION="$2"; shift 2 ;;
    --keep-stack) KEEP_STACK=1; shift ;;
    --localstack) LOCALSTACK=1; shift ;;
    --out) need_value "$@"; OUT="$2"; shift 2 ;;
    --hf) need_value "$@"; HF="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --print-activity-definition)
      [ $# -ge 4 ] || die "--print-activity-definition needs PLAN_ARN CHUNK_ARN ASSEMBLE_ARN" 2
      activity_definition "$2" "$3" "$4"
      exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" 2 ;;
  esac
done

# ------------------------------------------------------------------------------------------- validation
# LocalStack runs every step in this machine's one worker: one chunk count keeps CI short
if [ -z "$CHUNK_COUNTS" ]; then
  if [ "$LOCALSTACK" -eq 1 ]; then CHUNK_COUNTS="2"; else CHUNK_COUNTS="2,4,8"; fi
fi
[[ "$CHUNK_COUNTS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--chunk-counts must look like 2,4,8, got '$CHUNK_COUNTS'" 2
[[ "$RESERVED_CONCURRENCY" =~ ^(-1|[0-9]+)$ ]] || die "--reserved-concurrency must be -1 or a count, got '$RESERVED_CONCURRENCY'" 2
[[ "$STACK_NAME" =~ ^[a-z][a-z0-9-]{1,30}$ ]] || die "--stack-name must match ^[a-z][a-z0-9-]{1,30}\$ (it is also the ProjectName), got '$STACK_NAME'" 2
[ -z "$FRAMES" ] || [[ "$FRAMES" =~ ^[1-9][0-9]*$ ]] || die "--frames must be a positive integer, got '$FRAMES'" 2
[ -z "$FPS" ] || { [[ "$FPS" =~ ^[1-9][0-9]*$ ]] && [ "$FPS" -le 120 ]; } || die "--fps must be an integer from 1 to 120, got '$FPS'" 2
[ -z "$PSNR_MIN" ] || [[ "$PSNR_MIN" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--psnr-min must be a number of dB, got '$PSNR_MIN'" 2

META=""
if [ -z "$PROJECT" ] && [ -z "$FIXTURE" ] && [ ! -d "$FIXTURES" ]; then
  log "../shared/fixtures is not beside this clone: rendering our own examples/hello (60 frames at 30 fps)"
  PROJECT="$ROOT/examples/hello"
fi
if [ -z "$PROJECT" ]; then
  FIXTURE="${FIXTURE:-mp4-h264-sdr}"
  PROJECT="$FIXTURES/$FIXTURE/src"
  META="$FIXTURES/$FIXTURE/meta.json"
fi
[ -d "$PROJECT" ] || die "project directory $PROJECT does not exist (--fixture/--project)" 2
if [ -n "$META" ] && [ -f "$META" ] && command -v jq >/dev/null; then
  [ -n "$PSNR_MIN" ] || PSNR_MIN="$(jq -r '.minPsnr // 30' "$META")"
  [ -n "$FPS" ] || FPS="$(jq -r '.renderConfig.fps // 30' "$META")"
fi
PSNR_MIN="${PSNR_MIN:-30}"
FPS="${FPS:-30}"
FRAMES="${FRAMES:-60}"
RUN_ID="${STACK_NAME}"
OUT="${OUT:-$ROOT/target/smoke/$RUN_ID}"
MODE="aws"
[ "$LOCALSTACK" -eq 0 ] || MODE="localstack"
LS_PORT="${HFR_SMOKE_LOCALSTACK_PORT:-4610}"

if [ "$DRY_RUN" -eq 1 ]; then
  cat <<EOF
mode:                 $MODE
project:              $PROJECT
chunk counts:         $CHUNK_COUNTS (frames $FRAMES at $FPS fps)
localstack port:      $LS_PORT
psnr floor:           $PSNR_MIN dB
reserved concurrency: $RESERVED_CONCURRENCY
stack:                $STACK_NAME ($REGION), keep: $KEEP_STACK
out:                  $OUT
hf:                   $HF
EOF
  exit 0
fi

# ------------------------------------------------------------------------------------------- helpers
require_tool() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"; }

hf() {
  # word splitting is intended: HF may be "java -jar .../hf.jar"
  # shellcheck disable=SC2086
  $HF "$@"
}

chunk_size_for() { echo $(( (FRAMES + $1 - 1) / $1 )); }

psnr_avg() { # OUT BASELINE -> average of per-frame psnr_avg (inf, i.e. identical frames, counts as 100 dB)
  local log
  log="$OUT/psnr-$(basename "$1").log"
  ffmpeg -v error -i "$1" -i "$2" -lavfi "psnr=stats_file=$log" -f null - >/dev/null
  awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^psnr_avg:/) { v = substr($i, 10); if (v == "inf") v = 100; s += v; n++ } }
       END { if (n == 0) exit 1; printf "%.3f\n", s / n }' "$log"
}

AWSX=(aws --region "$REGION")
BUCKET=""
STATE_MACHINE_ARN=""
WORKER_PID=""
RESULTS_TMP=""
STARTED_LS=0
SAM=("$ROOT/scripts/sam.sh")

# One line per way LocalStack differs from AWS here (docs/aws.md lists the same).
localstack_differences() {
  log "LocalStack differs: no Lambda functions are deployed (ComputeMode=workers): LocalStack cannot run Lambda code without Docker"
  log "LocalStack differs: the bucket policy DenyInsecureTransport is not enforced (the endpoint is plain http://127.0.0.1)"
  log "LocalStack differs: Distributed Map children run inline and ignore ToleratedFailure*; the definition catches item failures itself"
  log "LocalStack differs: the Distributed Map's ItemReader (the plan's chunks.json) needs sts enabled; a ResultWriter would write no files, so none is used"
  log "LocalStack differs: queue URLs are path-style http://127.0.0.1:PORT/queue/REGION/ACCOUNT/NAME"
  log "LocalStack differs: IAM policies (WorkerPolicy, the state machine role) are created but not enforced"
}

stop_worker() {
  [ -n "$WORKER_PID" ] || return 0
  kill "$WORKER_PID" 2>/dev/null || true
  # SIGTERM ends the worker in a second or two; escalate if an in-flight step or a long poll holds it up
  local deadline=$((SECONDS + 20))
  while kill -0 "$WORKER_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$WORKER_PID" 2>/dev/null; then
    log "worker $WORKER_PID did not stop on SIGTERM within 20 s: SIGKILL"
    kill -9 "$WORKER_PID" 2>/dev/null || true
  fi
  wait "$WORKER_PID" 2>/dev/null || true
  WORKER_PID=""
}

teardown() {
  local rc=$?
  stop_worker
  [ -z "${HOOK_PID:-}" ] || kill "$HOOK_PID" 2>/dev/null || true
  if [ -n "${STACK_WORKER_PID:-}" ]; then WORKER_PID="$STACK_WORKER_PID"; stop_worker; fi
  if [ "$KEEP_STACK" -eq 0 ] && [ "$STACK_STARTED" = 1 ]; then
    log "tearing down stack $STACK_NAME"
    # the bucket is DeletionPolicy Retain: empty and delete it first, or it outlives the stack
    if [ -n "$BUCKET" ]; then "${AWSX[@]}" s3 rb "s3://$BUCKET" --force >/dev/null 2>&1 || true; fi
    if "${SAM[@]}" delete --stack-name "$STACK_NAME" --region "$REGION" --no-prompts >"$OUT/sam-delete.log" 2>&1; then
      log "deleted stack $STACK_NAME"
    else
      log "sam delete failed (see $OUT/sam-delete.log): delete stack $STACK_NAME by hand"
      [ "$rc" -ne 0 ] || rc=3
    fi
  elif [ "$STACK_STARTED" = 1 ]; then
    log "kept stack $STACK_NAME (bucket $BUCKET)"
  fi
  if [ "$STARTED_LS" -eq 1 ]; then
    HFR_LOCALSTACK_PORT="$LS_PORT" "$ROOT/scripts/localstack.sh" stop || true
  fi
  [ -z "$RESULTS_TMP" ] || rm -f "$RESULTS_TMP"
  exit "$rc"
}
STACK_STARTED=0
trap teardown EXIT

require_tool jq "apt-get install jq"
require_tool ffmpeg "apt-get install ffmpeg"
# an AWS CLI: the one on PATH, else the pinned one scripts/sam.sh installs under .cache
AWS_BIN="$("$ROOT/scripts/sam.sh" aws-path)" || die "no AWS CLI and it cannot be installed (scripts/sam.sh aws-path)"
AWSX=("$AWS_BIN" "${AWSX[@]:1}")
hf --help >/dev/null 2>&1 || die "the hf command ('$HF') does not run: build orchestration/cli or pass --hf"
mkdir -p "$OUT"

# ------------------------------------------------------------------------------------------- baseline
log "local single-pass baseline render of $PROJECT"
hf render "$PROJECT" -o "$OUT/baseline.mp4" --fps "$FPS" --chunk-size "$FRAMES" --quiet \
  || die "local baseline render failed"

# ------------------------------------------------------------------------------------------- infrastructure
# sam build: every function and layer through the template's own build (Makefile, scripts/lambda-build.sh);
# Maven is offline (the local repository is warm after the baseline) and incremental
log "sam build (every function and layer; log in $OUT/sam-build.log)"
(cd "$ROOT" && HFR_MVN_ARGS="${HFR_MVN_ARGS:--o}" "${SAM[@]}" build) >"$OUT/sam-build.log" 2>&1 \
  || die "sam build failed; last lines of $OUT/sam-build.log:
$(tail -n 30 "$OUT/sam-build.log")"
COMPUTE_MODE="lambda"
ORCHESTRATION_MODE="stepfunctions"
if [ "$LOCALSTACK" -eq 1 ]; then
  localstack_differences
  if ! HFR_LOCALSTACK_PORT="$LS_PORT" "$ROOT/scripts/localstack.sh" status >/dev/null 2>&1; then
    HFR_LOCALSTACK_PORT="$LS_PORT" "$ROOT/scripts/localstack.sh" start
    STARTED_LS=1
  fi
  # the AWS CLI, the SAM CLI and hf all take region, endpoint and credentials from here
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_ENDPOINT_URL="http://127.0.0.1:${LS_PORT}"
  export AWS_REGION="$REGION" AWS_DEFAULT_REGION="$REGION" HFR_S3_ENDPOINT="$AWS_ENDPOINT_URL"
  # AWS CLI v1 sends `aws sqs` to queue.amazonaws.com whatever AWS_ENDPOINT_URL says: name the endpoint
  AWSX+=(--endpoint-url "$AWS_ENDPOINT_URL")
  COMPUTE_MODE="workers"
  ORCHESTRATION_MODE="both"
fi
log "deploying stack $STACK_NAME in $REGION (ComputeMode=$COMPUTE_MODE OrchestrationMode=$ORCHESTRATION_MODE)"
STACK_STARTED=1
(cd "$ROOT" && "${SAM[@]}" deploy --template-file .aws-sam/build/template.yaml --stack-name "$STACK_NAME" --region "$REGION" \
  --resolve-s3 --capabilities CAPABILITY_IAM --no-confirm-changeset --no-fail-on-empty-changeset --no-progressbar \
  --parameter-overrides "ProjectName=$STACK_NAME" "ReservedConcurrency=$RESERVED_CONCURRENCY" \
    "ComputeMode=$COMPUTE_MODE" "OrchestrationMode=$ORCHESTRATION_MODE") >"$OUT/sam-deploy.log" 2>&1 \
  || die "sam deploy failed; last lines of $OUT/sam-deploy.log:
$(tail -n 30 "$OUT/sam-deploy.log")"
output() {
  "${AWSX[@]}" cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
BUCKET="$(output RenderBucketName)"
if [ "$COMPUTE_MODE" = "workers" ]; then
  STATE_MACHINE_ARN="$(output WorkerStateMachineArn)"
  REQUEST_QUEUE="$(output RenderRequestQueueUrl)"
  # `hf worker` with every ARN and URL a worker needs, all read from the stack outputs
  worker_args=(--plan-activity "$(output PlanActivityArn)" --render-chunk-activity "$(output RenderChunkActivityArn)"
    --assemble-activity "$(output AssembleActivityArn)" --request-queue "$REQUEST_QUEUE"
    --chunk-queue "$(output ChunkQueueUrl)" --assemble-queue "$(output AssembleQueueUrl)"
    --dead-letter-queue "$(output RenderRequestDeadLetterQueueUrl)" --dead-letter-queue "$(output ChunkDeadLetterQueueUrl)"
    --dead-letter-queue "$(output AssembleDeadLetterQueueUrl)" --threads 2)
  # exec in the subshell, so $! is the worker itself: killing a subshell would leave the JVM polling, orphaned.
  # shellcheck disable=SC2086
  ( export HFR_RENDER_BUCKET="$BUCKET"; exec $HF worker "${worker_args[@]}" ) >"$OUT/worker.log" 2>&1 &
  WORKER_PID=$!
else
  STATE_MACHINE_ARN="$(output RenderStateMachineArn)"
fi
if [ -z "$BUCKET" ] || [ -z "$STATE_MACHINE_ARN" ]; then die "the stack outputs name no bucket or state machine (see $OUT/sam-deploy.log)"; fi

# ------------------------------------------------------------------------------------------- renders
tar -czf "$OUT/project.tar.gz" -C "$PROJECT" .
"${AWSX[@]}" s3 cp "$OUT/project.tar.gz" "s3://$BUCKET/projects/$RUN_ID.tar.gz" >/dev/null

RESULTS_TMP="$(mktemp)"
echo '[]' >"$RESULTS_TMP"
FAILED_PSNR=0
IFS=',' read -r -a counts <<<"$CHUNK_COUNTS"
for n in "${counts[@]}"; do
  size="$(chunk_size_for "$n")"
  jq -n --arg project "s3://$BUCKET/projects/$RUN_ID.tar.gz" --arg prefix "s3://$BUCKET/renders/$RUN_ID-$n/" \
    --arg output "s3://$BUCKET/outputs/$RUN_ID-$n.mp4" --argjson fps "$FPS" --argjson chunkSize "$size" \
    '{ProjectS3Uri: $project, PlanOutputS3Prefix: $prefix, OutputS3Uri: $output,
      Config: {fps: $fps, format: "mp4", chunkSize: $chunkSize, maxParallelChunks: 256}}' >"$OUT/input-$n.json"
  log "render with $n chunks (chunkSize $size)"
  start_ms="$(date +%s%3N)"
  # exactly as docs/aws.md starts a render
  execution_arn="$("${AWSX[@]}" stepfunctions start-execution --state-machine-arn "$STATE_MACHINE_ARN" \
    --name "$RUN_ID-$n" --input "file://$OUT/input-$n.json" --query executionArn --output text)"
  status="RUNNING"
  deadline=$((SECONDS + 1800))
  while [ "$status" = "RUNNING" ] && [ "$SECONDS" -lt "$deadline" ]; do
    if [ -n "$WORKER_PID" ] && ! kill -0 "$WORKER_PID" 2>/dev/null; then
      die "hf worker exited while render $n was running; last lines of $OUT/worker.log:
$(tail -n 20 "$OUT/worker.log")"
    fi
    sleep 2
    status="$("${AWSX[@]}" stepfunctions describe-execution --execution-arn "$execution_arn" --query status --output text)"
  done
  wall_ms=$(( $(date +%s%3N) - start_ms ))
  "${AWSX[@]}" stepfunctions get-execution-history --execution-arn "$execution_arn" --output json >"$OUT/history-$n.json"
  psnr="null"
  if [ "$status" = "SUCCEEDED" ]; then
    "${AWSX[@]}" s3 cp "s3://$BUCKET/outputs/$RUN_ID-$n.mp4" "$OUT/output-$n.mp4" >/dev/null
    psnr="$(psnr_avg "$OUT/output-$n.mp4" "$OUT/baseline.mp4")" || psnr="null"
  else
    "${AWSX[@]}" stepfunctions describe-execution --execution-arn "$execution_arn" --output json >"$OUT/execution-$n.json"
    log "render with $n chunks ended $status: $(jq -r '"\(.error // "") \(.cause // "")"' "$OUT/execution-$n.json")"
  fi
  if [ "$psnr" = "null" ] || awk -v p="$psnr" -v m="$PSNR_MIN" 'BEGIN { exit !(p < m) }'; then
    FAILED_PSNR=1
  fi
  jq --argjson n "$n" --argjson ms "$wall_ms" --arg status "$status" --arg arn "$execution_arn" \
     --argjson psnr "$psnr" --slurpfile history "$OUT/history-$n.json" \
     '. + [{chunkCount: $n, wallClockMs: $ms, psnrAvgDb: $psnr, status: $status, executionArn: $arn,
            history: $history[0].events}]' "$RESULTS_TMP" >"$RESULTS_TMP.next"
  mv "$RESULTS_TMP.next" "$RESULTS_TMP"
  log "chunks=$n status=$status wallClockMs=$wall_ms psnrAvgDb=$psnr"
done

# ------------------------------------------------------------------------------------------- SQS mode
if [ -n "${REQUEST_QUEUE:-}" ]; then
  n="${counts[0]}"
  size="$(chunk_size_for "$n")"
  sqs_prefix="s3://$BUCKET/renders/$RUN_ID-sqs/"
  jq -n --arg project "s3://$BUCKET/projects/$RUN_ID.tar.gz" --arg prefix "$sqs_prefix" \
    --arg output "s3://$BUCKET/outputs/$RUN_ID-sqs.mp4" --argjson fps "$FPS" --argjson chunkSize "$size" \
    '{ProjectS3Uri: $project, PlanOutputS3Prefix: $prefix, OutputS3Uri: $output,
      Config: {fps: $fps, format: "mp4", chunkSize: $chunkSize, maxParallelChunks: 256}}' >"$OUT/input-sqs.json"
  log "SQS render with $n chunks: one aws sqs send-message"
  start_ms="$(date +%s%3N)"
  # exactly as docs/sqs.md starts a render
  "${AWSX[@]}" sqs send-message --queue-url "$REQUEST_QUEUE" --message-body "file://$OUT/input-sqs.json" >/dev/null
  status="QUEUED"
  deadline=$((SECONDS + 1800))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$WORKER_PID" 2>/dev/null; then
      die "hf worker exited during the SQS render; last lines of $OUT/worker.log:
$(tail -n 20 "$OUT/worker.log")"
    fi
    sleep 2
    status="$(HFR_RENDER_BUCKET="$BUCKET" hf progress sqs --prefix "$sqs_prefix" --json 2>/dev/null | jq -r '.progress.status // "QUEUED"')" \
      || status="QUEUED"
    case "$status" in SUCCEEDED|FAILED) break ;; esac
  done
  wall_ms=$(( $(date +%s%3N) - start_ms ))
  psnr="null"
  if [ "$status" = "SUCCEEDED" ]; then
    "${AWSX[@]}" s3 cp "s3://$BUCKET/outputs/$RUN_ID-sqs.mp4" "$OUT/output-sqs.mp4" >/dev/null
    psnr="$(psnr_avg "$OUT/output-sqs.mp4" "$OUT/baseline.mp4")" || psnr="null"
  else
    HFR_RENDER_BUCKET="$BUCKET" hf progress sqs --prefix "$sqs_prefix" >&2 || true
  fi
  if [ "$psnr" = "null" ] || awk -v p="$psnr" -v m="$PSNR_MIN" 'BEGIN { exit !(p < m) }'; then
    FAILED_PSNR=1
  fi
  jq --argjson n "$n" --argjson ms "$wall_ms" --arg status "$status" --argjson psnr "$psnr" \
     '. + [{orchestration: "sqs", chunkCount: $n, wallClockMs: $ms, psnrAvgDb: $psnr, status: $status}]' \
     "$RESULTS_TMP" >"$RESULTS_TMP.next"
  mv "$RESULTS_TMP.next" "$RESULTS_TMP"
  log "sqs chunks=$n status=$status wallClockMs=$wall_ms psnrAvgDb=$psnr"
fi

# ------------------------------------------------------------------------------------------- hf cloud render --stack
# One render per mode the way docs/aws.md and docs/sqs.md start one: `hf worker --stack` and `hf cloud render
# --stack` read everything from the stack outputs; a local listener verifies each webhook's signature.
if [ "$LOCALSTACK" -eq 1 ]; then
  # beside the first worker, not instead of it: a worker stopped now leaves its activity long polls open on
  # LocalStack, which hands them the next task anyway (measured: a chunk of the next render was never run)
  # shellcheck disable=SC2086
  ( unset HFR_RENDER_BUCKET; exec $HF worker --stack "$STACK_NAME" --threads 2 ) >"$OUT/worker-stack.log" 2>&1 &
  STACK_WORKER_PID=$!
  HOOK_SECRET="smoke-$RUN_ID"
  mkdir -p "$OUT/hooks"
  # bounded (15 min) and stopped by teardown: writes each body as <render id>.ok.json or .bad.json
  python3 - "$OUT/hooks" "$HOOK_SECRET" >"$OUT/hooks.log" 2>&1 <<'PY' &
import hashlib, hmac, http.server, os, sys, time
out, secret = sys.argv[1], sys.argv[2].encode()
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        want = "sha512=" + hmac.new(secret, body, hashlib.sha512).hexdigest()
        ok = hmac.compare_digest(self.headers.get("X-Hfr-Signature", ""), want)
        name = self.headers.get("X-Hfr-Render-Id", "unknown") + (".ok" if ok else ".bad") + ".json"
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)
        self.send_response(204 if ok else 401)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
server.timeout = 1
with open(os.path.join(out, "port"), "w") as f:
    f.write(str(server.server_address[1]))
deadline = time.time() + 900
while time.time() < deadline:
    server.handle_request()
PY
  HOOK_PID=$!
  for _ in $(seq 50); do [ -s "$OUT/hooks/port" ] && break; sleep 0.1; done
  [ -s "$OUT/hooks/port" ] || die "the webhook listener did not start (see $OUT/hooks.log)"
  hook_url="http://127.0.0.1:$(cat "$OUT/hooks/port")/hook"
  n="${counts[0]}"
  size="$(chunk_size_for "$n")"
  # both at once (the worker serves both), so the two renders add about one render's time
  declare -A cloud_pid
  start_ms="$(date +%s%3N)"
  for orchestration in stepfunctions sqs; do
    log "hf cloud render --stack $STACK_NAME --mode $orchestration ($n chunks), webhook $hook_url"
    hf cloud render "$PROJECT" --stack "$STACK_NAME" --mode "$orchestration" -o "$OUT/cloud-$orchestration.mp4" \
      --fps "$FPS" --chunk-size "$size" --webhook-url "$hook_url" --webhook-secret "$HOOK_SECRET" \
      --webhook-data "{\"smoke\":\"$orchestration\"}" --timeout 30m >"$OUT/cloud-$orchestration.log" 2>&1 &
    cloud_pid[$orchestration]=$!
  done
  for orchestration in stepfunctions sqs; do
    status="FAILED"
    if wait "${cloud_pid[$orchestration]}"; then
      status="SUCCEEDED"
    fi
    wall_ms=$(( $(date +%s%3N) - start_ms ))
    log "hf cloud render --stack $STACK_NAME --mode $orchestration:"
    sed 's/^/  | /' "$OUT/cloud-$orchestration.log" >&2
    render_id="$(sed -n 's/^started: \([^ ]*\) on stack.*/\1/p' "$OUT/cloud-$orchestration.log")"
    psnr="null"
    if [ "$status" = "SUCCEEDED" ]; then
      psnr="$(psnr_avg "$OUT/cloud-$orchestration.mp4" "$OUT/baseline.mp4")" || psnr="null"
      grep -q '^  cost: \$' "$OUT/cloud-$orchestration.log" || { log "no cost line in hf cloud render's summary"; status="NO_COST"; }
      hook_deadline=$((SECONDS + 30))
      while [ ! -f "$OUT/hooks/$render_id.ok.json" ] && [ "$SECONDS" -lt "$hook_deadline" ]; do sleep 0.5; done
      if [ ! -f "$OUT/hooks/$render_id.ok.json" ] || ! jq -e --arg m "$orchestration" \
          '.Type == "success" and .CustomData.smoke == $m' "$OUT/hooks/$render_id.ok.json" >/dev/null; then
        log "no verified success webhook for $render_id (received: $(find "$OUT/hooks" -name '*.json' -printf '%f ')"
        status="NO_WEBHOOK"
      fi
    fi
    if [ "$status" != "SUCCEEDED" ] || [ "$psnr" = "null" ] || awk -v p="$psnr" -v m="$PSNR_MIN" 'BEGIN { exit !(p < m) }'; then
      FAILED_PSNR=1
    fi
    jq --arg o "$orchestration" --argjson n "$n" --argjson ms "$wall_ms" --arg status "$status" --argjson psnr "$psnr" \
       --arg id "$render_id" \
       '. + [{orchestration: $o, via: "hf cloud render --stack", renderId: $id, chunkCount: $n, wallClockMs: $ms,
              psnrAvgDb: $psnr, status: $status}]' "$RESULTS_TMP" >"$RESULTS_TMP.next"
    mv "$RESULTS_TMP.next" "$RESULTS_TMP"
    log "hf cloud render $orchestration status=$status wallClockMs=$wall_ms psnrAvgDb=$psnr"
  done
  stack_tasks="$(grep -c '"event":"task_finished"' "$OUT/worker-stack.log" || true)"
  log "hf worker --stack finished $stack_tasks task(s) (the first worker took the others)"
  if [ "$stack_tasks" -eq 0 ]; then
    log "hf worker --stack ran no task; last lines of $OUT/worker-stack.log:
$(tail -n 20 "$OUT/worker-stack.log")"
    FAILED_PSNR=1
  fi
fi

jq --arg mode "$MODE" --arg project "$PROJECT" --argjson floor "$PSNR_MIN" \
   '{mode: $mode, project: $project, psnrFloorDb: $floor, runs: .}' "$RESULTS_TMP" >"$OUT/results.json"
log "wrote $OUT/results.json"
[ "$FAILED_PSNR" -eq 0 ] || die "a render failed or its PSNR is below ${PSNR_MIN} dB (see $OUT/results.json)" 5
