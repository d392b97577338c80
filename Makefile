# `sam build` runs these (template.yaml: Metadata BuildMethod makefile, one target per function and layer).
# SAM sets ARTIFACTS_DIR; samconfig.toml builds in source, so this runs in the repo itself.
# Each target builds only its own Maven module and what it needs: `sam build RenderChunkFunction` rebuilds one.
LB := scripts/lambda-build.sh

.PHONY: build-PlanFunction build-RenderChunkFunction build-AssembleFunction build-PlanQueueFunction \
	build-RenderChunkQueueFunction build-AssembleQueueFunction build-ChromiumLayer build-FfmpegLayer

build-PlanFunction:
	$(LB) function functions/plan "$(ARTIFACTS_DIR)"
build-RenderChunkFunction:
	$(LB) function functions/render-chunk "$(ARTIFACTS_DIR)"
build-AssembleFunction:
	$(LB) function functions/assemble "$(ARTIFACTS_DIR)"
build-PlanQueueFunction build-RenderChunkQueueFunction build-AssembleQueueFunction:
	$(LB) function orchestration/sqs-lambda "$(ARTIFACTS_DIR)"
build-ChromiumLayer:
	$(LB) layer chromium "$(ARTIFACTS_DIR)"
build-FfmpegLayer:
	$(LB) layer ffmpeg "$(ARTIFACTS_DIR)"
