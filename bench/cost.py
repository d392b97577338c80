#!/usr/bin/env python3
"""Lambda + Step Functions cost model from a bench results file's scaling rows.

Usage: bench/cost.py RESULTS.json  (prints the model as JSON; bench/report.py renders it as a table)
Assumptions are returned alongside the numbers so the report states them next to the table.
"""
import json
import sys

ASSUMPTIONS = {
    "functionMemoryGb": 10.0,           # render-chunk function: 10240 MB, which Lambda pairs with ~6 vCPU
    "functionVcpu": 6,
    "priceGbSecondUsd": 0.0000166667,   # Lambda x86, us-east-1, first pricing tier
    "priceRequestUsd": 0.0000002,       # $0.20 per million requests
    "priceTransitionUsd": 0.000025,     # Step Functions Standard: $0.025 per 1000 state transitions
    "planAssembleMemoryGb": 3.0,        # plan and assemble functions (no browser for assemble; plan probes once)
    "coldStartsPerChunk": 1.0,          # worst case: every chunk lands on a fresh container (init is billed)
    "parentTransitions": 12,            # states entered on the success path of render.asl.json
    "transitionsPerChunk": 1,           # one RenderChunk task per Distributed Map child execution (no retries)
}
FRAMES_PER_MINUTE = 1800  # 1080p30
# (minutes of 1080p30, goal wall s, goal $ per render, chunk counts to show): issue 14's targets
TARGETS = [(1, 20.0, 0.03, (8, 30, 60)), (10, 45.0, 0.10, (60, 180, 600))]
# the template's default render-chunk memory (6 vCPU) and 3 GB (1.7 vCPU: still more than one pipeline keeps busy)
TARGET_MEMORY_GB = (10.0, 3.0)
MB_PER_VCPU = 1769


def fit_line(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return my, 0.0
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


def model(results, lambda_init=None):
    sc = results.get("scaling") or {}
    rows = [r for r in sc.get("rows", []) if r.get("exitCode") == 0 and r.get("summary")]
    if len(rows) < 2:
        return None
    frames = sc["frames"]
    a = dict(ASSUMPTIONS)
    # CPU of a render = fixed part + per-chunk overhead x chunks; the fixed part holds the JVM, the plan
    # step (one core for planMillis: it is sequential) and the frames' own work.
    chunks = [r["summary"]["chunkCount"] for r in rows]
    cpu = [r["cpuSeconds"] for r in rows]
    fixed, per_chunk = fit_line(chunks, cpu)
    per_chunk = max(per_chunk, 0.0)
    plan_s = sorted(r["summary"]["planMillis"] for r in rows)[len(rows) // 2] / 1000
    assemble = {r["summary"]["chunkCount"]: r["summary"]["assembleMillis"] / 1000 for r in rows}
    frame_cpu_s = max(fixed - plan_s, 0.0) / frames
    # How many cores one chunk pipeline (one browser + one ffmpeg) keeps busy: the 1-chunk row.
    one = min(rows, key=lambda r: r["summary"]["chunkCount"])
    one_render_s = one["summary"]["renderMillis"] / 1000
    pipeline_cores = max(1.0, min(a["functionVcpu"], (one["cpuSeconds"] - plan_s) / one_render_s))
    # Every Lambda chunk starts its own browser and loads the page: the first chunk of each local worker
    # measures exactly that (later chunks of a worker reuse the page, which Lambda containers cannot count on).
    boots = []
    for r in rows:
        seen = set()
        for c in sorted(r["summary"]["chunks"], key=lambda c: c["startMillis"]):
            if c["worker"] not in seen:
                seen.add(c["worker"])
                boots.append((c["browserBootAndPageMillis"] + c["planDownloadMillis"]) / 1000)
    boot_s = sorted(boots)[len(boots) // 2] if boots else 0.0
    init_s = 0.0
    if lambda_init:
        runs = lambda_init.get("runs", [])
        if runs:
            init_s = sorted((r.get("chromiumUnpackColdMillis", 0) + r.get("micronautContextStartMillis", 0)
                             + r.get("jvmUptimeAtMainMillis", 0)) / 1000 for r in runs)[len(runs) // 2]
    out = {"assumptions": a, "measured": {
        "framesInScalingRender": frames, "cpuSecondsPerFrame": round(frame_cpu_s, 4),
        "cpuSecondsPerChunkOverhead": round(per_chunk, 3), "planSeconds": round(plan_s, 2),
        "coresOneChunkPipelineUses": round(pipeline_cores, 2), "lambdaInitSeconds": round(init_s, 2),
        "browserBootPageAndPlanDownloadSeconds": round(boot_s, 2)}, "rows": []}
    chunk_counts = sorted(assemble)
    asm_fixed, asm_per_chunk = fit_line(chunk_counts, [assemble[n] for n in chunk_counts]) if len(assemble) > 1 \
        else (max(assemble.values()), 0.0)
    out["measured"]["assembleSecondsFixed"] = round(max(asm_fixed, 0.0), 3)
    out["measured"]["assembleSecondsPerChunk"] = round(max(asm_per_chunk, 0.0), 4)

    def estimate(frames_total, n, memory_gb=a["functionMemoryGb"]):
        # Lambda gives one vCPU per 1769 MB: below the pipeline's cores the chunk runs slower
        cores = min(pipeline_cores, memory_gb * 1024 / MB_PER_VCPU)
        chunk_cpu = frames_total / n * frame_cpu_s + per_chunk
        chunk_wall = chunk_cpu / cores + boot_s + init_s * a["coldStartsPerChunk"]
        render_gbs = n * chunk_wall * memory_gb
        asm_s = assemble.get(n) if frames_total == frames and n in assemble else \
            max(asm_fixed, 0.0) + max(asm_per_chunk, 0.0) * n
        other_gbs = (plan_s + asm_s) * a["planAssembleMemoryGb"]
        transitions = a["parentTransitions"] + n * a["transitionsPerChunk"]
        usd = ((render_gbs + other_gbs) * a["priceGbSecondUsd"] + (n + 2) * a["priceRequestUsd"]
               + transitions * a["priceTransitionUsd"])
        return {"chunks": n, "framesPerChunk": frames_total // n, "chunkCpuSeconds": round(chunk_cpu, 1),
                "chunkWallSecondsOnLambda": round(chunk_wall, 1), "gbSeconds": round(render_gbs + other_gbs, 0),
                "stepFunctionsTransitions": transitions, "usd": round(usd, 4),
                "wallSecondsEstimate": round(plan_s + chunk_wall + asm_s, 1)}

    for n in (2, 8, 32):
        row = estimate(FRAMES_PER_MINUTE, n)
        row["usdPerRenderedMinute"] = row.pop("usd")
        out["rows"].append(row)
    # issue 14's targets, against the best published figures: each render length at a few chunk counts
    out["targets"] = []
    for minutes, goal_wall, goal_usd, counts in TARGETS:
        for memory_gb, n in ((m, n) for m in TARGET_MEMORY_GB for n in counts):
            row = estimate(FRAMES_PER_MINUTE * minutes, n, memory_gb)
            row.update({"minutes": minutes, "memoryGb": memory_gb, "goalWallSeconds": goal_wall, "goalUsd": goal_usd,
                        "met": row["wallSecondsEstimate"] <= goal_wall and row["usd"] <= goal_usd})
            out["targets"].append(row)
    return out


def main():
    with open(sys.argv[1]) as f:
        results = json.load(f)
    init = None
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            init = json.load(f)
    print(json.dumps(model(results, init), indent=1))


if __name__ == "__main__":
    main()
