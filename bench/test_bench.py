#!/usr/bin/env python3
"""Tests of the bench harness's own machinery: python3 -m unittest discover -s bench -p 'test_*.py'"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import cost  # noqa: E402
import report  # noqa: E402

BUSY = "import time\nt=time.process_time()\nwhile time.process_time()-t<{s}: pass\n"


class SamplerTest(unittest.TestCase):
    def test_counts_cpu_of_a_detached_grandchild_that_rusage_misses(self):
        # The subshell exits at once, so the busy grandchild re-parents away from the command (like Chrome's
        # helpers); the command polls for the marker the grandchild writes when it is done.
        with tempfile.TemporaryDirectory() as d:
            marker = os.path.join(d, "done")
            busy = BUSY.format(s=1.0) + f"open({marker!r}, 'w').close()\n"
            script = f"( {sys.executable} -c \"$B\" & ) ; while [ ! -f {marker} ]; do sleep 0.05; done"
            m = bench.ProcessTreeSampler().run(["sh", "-c", script], env=dict(os.environ, B=busy), timeout_s=60)
        self.assertEqual(0, m["exitCode"])
        self.assertGreaterEqual(m["cpuSampledSeconds"], 0.85)
        self.assertLess(m["cpuRusageSeconds"], 0.5, "rusage alone should miss the detached process")
        self.assertGreaterEqual(m["cpuSeconds"], 0.85)

    def test_cpu_is_split_by_process_kind(self):
        # the kernel names a process after its executable: a busy python started as "ffmpeg" is an encoder
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "ffmpeg")
            os.symlink(sys.executable, fake)
            m = bench.ProcessTreeSampler().run(["sh", "-c", f"{fake} -c \"$B\""],
                                               env=dict(os.environ, B=BUSY.format(s=0.8)), timeout_s=60)
        self.assertEqual(0, m["exitCode"])
        kinds = m["cpuSecondsByKind"]
        self.assertGreaterEqual(kinds.get("encoder", 0), 0.6, kinds)
        self.assertLess(kinds.get("other", 0), 0.3, kinds)
        self.assertNotIn("browser", kinds)

    def test_peak_rss_sums_the_tree(self):
        # two processes each hold 150 MB until both have allocated, then 1.2 s more (two PSS samples at least)
        with tempfile.TemporaryDirectory() as d:
            alloc = ("import os, sys, time\nb = bytearray(150 * 1024 * 1024)\nb[::4096] = b'x' * len(b[::4096])\n"
                     f"open(os.path.join({d!r}, sys.argv[1]), 'w').close()\n"
                     f"while len(os.listdir({d!r})) < 2: time.sleep(0.02)\n"
                     "time.sleep(1.2)\n")
            script = f"{sys.executable} -c \"$A\" one & {sys.executable} -c \"$A\" two & wait"
            m = bench.ProcessTreeSampler().run(["sh", "-c", script], env=dict(os.environ, A=alloc), timeout_s=60)
        self.assertEqual(0, m["exitCode"])
        self.assertGreaterEqual(m["peakRssMb"], 280)
        self.assertGreaterEqual(m["peakPssMb"], 250)

    def test_leftover_processes_are_counted_and_stopped(self):
        m = bench.ProcessTreeSampler().run(["sh", "-c", "(sleep 30 &) ; exit 3"], timeout_s=30)
        self.assertEqual(3, m["exitCode"])
        self.assertEqual(1, m["leftoverProcesses"])

    def test_timeout_kills_the_session(self):
        m = bench.ProcessTreeSampler().run(["sh", "-c", "sleep 30"], timeout_s=0.5)
        self.assertTrue(m["timedOut"])
        self.assertLess(m["wallSeconds"], 5)


class JavaErrorTest(unittest.TestCase):
    def test_picks_the_exception_line_not_the_stack_tail(self):
        with tempfile.NamedTemporaryFile("w", suffix=".err", delete=False) as f:
            f.write("SLF4J(W): noise\nException in thread \"main\" TIMELINE_NOT_REGISTERED: composition 'x' never "
                    "registered\n" + "\tat a.b.C.d(C.java:1)\n" * 100)
        try:
            self.assertEqual("TIMELINE_NOT_REGISTERED: composition 'x' never registered", bench.java_error(f.name))
        finally:
            os.remove(f.name)


class AgreementTest(unittest.TestCase):
    def test_psnr_identical_is_infinite_and_noise_is_finite(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.mp4"), os.path.join(d, "b.mp4")
            common = ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=128x72:rate=30:duration=0.5"]
            subprocess.run(common + ["-c:v", "libx264", "-pix_fmt", "yuv420p", a], check=True)
            subprocess.run(common + ["-vf", "noise=alls=40:allf=t", "-c:v", "libx264", "-pix_fmt", "yuv420p", b],
                           check=True)
            same = bench.picture_agreement(a, a)
            self.assertIsNone(same["psnrAverage"])  # inf: identical pictures
            self.assertAlmostEqual(1.0, same["ssimAll"], places=3)
            noisy = bench.picture_agreement(b, a)
            self.assertLess(noisy["psnrAverage"], 35)
            self.assertLess(noisy["ssimAll"], 0.99)
            self.assertEqual(15, bench.ffprobe_frames(a)["frames"])


def scaling_results(per_frame=0.2, per_chunk=1.5, plan=4.0, frames=1800):
    rows = []
    for n in (1, 2, 4, 8, 16):
        cpu = plan + frames * per_frame + per_chunk * n
        render_s = (cpu - plan) / (1.5 if n == 1 else 2)
        rows.append({"exitCode": 0, "cpuSeconds": cpu, "wallSeconds": plan + render_s + 1, "chunksRequested": n,
                     "chunkSize": frames // n, "summary": {
                         "chunkCount": n, "frames": frames, "planMillis": plan * 1000, "renderMillis": render_s * 1000,
                         "assembleMillis": 500, "totalMillis": (plan + render_s + 0.5) * 1000, "chunks": [
                             {"index": i, "worker": f"w{i % 2}", "frames": frames // n, "startMillis": 0,
                              "firstFrameMillis": 900, "lastFrameMillis": 5000, "doneMillis": 5200,
                              "planDownloadMillis": 5, "browserBootAndPageMillis": 800, "captureMillis": 3000,
                              "encodeMillis": 2500, "totalMillis": 5200} for i in range(n)]}})
    return {"scaling": {"composition": "x", "seconds": 60, "frames": frames, "width": 1920, "height": 1080, "fps": 30,
                        "workers": 2, "rows": rows}}


class CostTest(unittest.TestCase):
    def test_recovers_per_frame_and_per_chunk_cpu(self):
        m = cost.model(scaling_results(), {"runs": [{"chromiumUnpackColdMillis": 2000, "micronautContextStartMillis": 500,
                                                    "jvmUptimeAtMainMillis": 100}]})
        self.assertAlmostEqual(0.2, m["measured"]["cpuSecondsPerFrame"], places=3)
        self.assertAlmostEqual(1.5, m["measured"]["cpuSecondsPerChunkOverhead"], places=2)
        self.assertAlmostEqual(1.5, m["measured"]["coresOneChunkPipelineUses"], places=2)
        self.assertAlmostEqual(2.6, m["measured"]["lambdaInitSeconds"], places=2)
        self.assertAlmostEqual(0.81, m["measured"]["browserBootPageAndPlanDownloadSeconds"], places=2)
        r8 = next(r for r in m["rows"] if r["chunks"] == 8)
        self.assertAlmostEqual(1800 / 8 * 0.2 + 1.5, r8["chunkCpuSeconds"], places=1)
        self.assertAlmostEqual((1800 / 8 * 0.2 + 1.5) / 1.5 + 0.805 + 2.6, r8["chunkWallSecondsOnLambda"], places=1)
        self.assertEqual(12 + 8, r8["stepFunctionsTransitions"])
        # more chunks: more overhead GB-s, so never cheaper per minute in this model
        usd = [r["usdPerRenderedMinute"] for r in m["rows"]]
        self.assertEqual(sorted(usd), usd)

    def test_targets_project_longer_renders_from_the_same_figures(self):
        m = cost.model(scaling_results(), {"runs": [{"chromiumUnpackColdMillis": 2000, "micronautContextStartMillis": 500,
                                                    "jvmUptimeAtMainMillis": 100}]})
        ten = [r for r in m["targets"] if r["minutes"] == 10 and r["memoryGb"] == 10]
        one = [r for r in m["targets"] if r["minutes"] == 1 and r["memoryGb"] == 10]
        small = next(r for r in m["targets"] if r["minutes"] == 10 and r["memoryGb"] == 3 and r["chunks"] == 60)
        self.assertEqual([60, 180, 600], [r["chunks"] for r in ten])
        r60 = ten[0]
        # 18000 frames / 60 chunks x 0.2 s + 1.5 s overhead, on 1.5 cores, + boot 0.805 + cold start 2.6
        self.assertAlmostEqual(18000 / 60 * 0.2 + 1.5, r60["chunkCpuSeconds"], places=1)
        self.assertAlmostEqual((18000 / 60 * 0.2 + 1.5) / 1.5 + 0.805 + 2.6, r60["chunkWallSecondsOnLambda"], places=1)
        # the scaling rows all assembled in 0.5 s: a flat line
        self.assertAlmostEqual(4.0 + r60["chunkWallSecondsOnLambda"] + 0.5, r60["wallSecondsEstimate"], places=1)
        self.assertEqual(r60["met"], r60["wallSecondsEstimate"] <= 45 and r60["usd"] <= 0.10)
        # more chunks, shorter wall
        self.assertGreater(one[0]["wallSecondsEstimate"], one[-1]["wallSecondsEstimate"])
        # 3 GB is 1.74 vCPU, more than the 1.5 cores one pipeline uses: same chunk time at under a third of the GB-s
        self.assertAlmostEqual(r60["chunkWallSecondsOnLambda"], small["chunkWallSecondsOnLambda"], places=1)
        self.assertLess(small["usd"], r60["usd"] * 0.35)

    def test_needs_two_rows(self):
        self.assertIsNone(cost.model({"scaling": {"rows": []}}))


class ReportTest(unittest.TestCase):
    def test_goals_marked_and_shortfalls_named(self):
        def meas(mode, run, wall, workers, cpu, summary=None):
            m = {"fixture": "fx", "mode": mode, "run": run, "exitCode": 0, "frames": 300, "wallSeconds": wall,
                 "cpuSeconds": cpu, "peakPssMb": 900, "peakRssMb": 1200, "workers": workers, "loadavgBefore": [1, 1, 1]}
            if summary:
                m["summary"] = dict(summary, width=1920, height=1080)
            return m
        s = {"planMillis": 2000, "assembleMillis": 600, "totalMillis": 20000, "chunkCount": 2, "firstFrameMillis": 1500}
        ms = []
        for run in (1, 2, 3):
            ms += [meas("reference-w1", run, 30, 1, 27), meas("reference-w2", run, 20 + run, 2, 30),
                   meas("ours-1-worker", run, 15, 1, 20, s), meas("ours-all-cores", run, 9, 2, 22, s)]
        results = {"startedAt": "t", "host": "h", "cpus": 2, "memTotalMb": 1, "runs": 3, "loadavgBefore": [1, 1, 1],
                   "software": {}, "encoder": {"reference": "r", "ours": "o"}, "fixtures": {"fx": {}},
                   "referenceWorkers": [1, 2],
                   "measurements": ms, "agreement": {"fx": {"ours-all-cores": {"psnrAverage": 40.0, "psnrMinFrame": 36.0,
                                                                           "ssimAll": 0.99}}}}
        text = report.render(results, None)
        # the faster reference setting is -w 2 (median 22 s, 13.6 fps); ours on all cores 9 s (33.3 fps) -> 2.44x;
        # CPU per frame on one worker each: 20 / 27 = 0.74; first frame 1500 ms misses the 1000 ms goal
        self.assertIn("| fx | w2 (2), 13.6 | 2 workers, 33.3 | 2.44 ✅ | 0.74 ✅ | 1500 ❌ |", text)
        self.assertIn("first frame within 1000 ms: met on 0 of 1; **short on** fx (1500 ms)", text)
        self.assertIn("assemble < 2 % of total: met on 0 of 1; **short on** fx (3.0 %)", text)
        self.assertIn("PSNR vs reference ≥ 35 dB: met on 1 of 1", text)
        self.assertIn("| fx | 1920x1080 | 300 | reference-w2 | 2 | 22.0 [21.0–23.0]", text)
        self.assertIn("for each fixture: reference-w1, reference-w2, ours-1-worker, ours-all-cores", text)
        # a slower -w 2 makes -w 1 the one to beat
        for m in ms:
            if m["mode"] == "reference-w2":
                m["wallSeconds"] = 40
        self.assertIn("| fx | w1 (1), 10.0 | 2 workers, 33.3 | 3.33 ✅ |", report.render(results, None))

    def test_files_before_the_worker_settings_still_render(self):
        ms = [{"fixture": "fx", "mode": mode, "run": 1, "exitCode": 0, "frames": 60, "wallSeconds": wall,
               "cpuSeconds": 6, "peakPssMb": 400, "peakRssMb": 500, "workers": 1, "loadavgBefore": [1, 1, 1]}
              for mode, wall in (("reference", 6.0), ("ours-1-worker", 5.0), ("ours-all-cores", 4.0))]
        results = {"startedAt": "t", "host": "h", "cpus": 2, "memTotalMb": 1, "runs": 1, "loadavgBefore": [1, 1, 1],
                   "software": {}, "encoder": {"reference": "r", "ours": "o"}, "fixtures": {"fx": {}},
                   "measurements": ms, "agreement": {}}
        text = report.render(results, None)
        self.assertIn("| fx | auto (1), 10.0 | 1 worker, 15.0 | 1.50 ✅ | 1.00 ❌ |", text)

    def test_a_second_run_completes_the_fixtures_the_first_skipped(self):
        def meas(fixture, mode, wall):
            return {"fixture": fixture, "mode": mode, "run": 1, "exitCode": 0, "frames": 60, "wallSeconds": wall}
        first = {"_file": "a.json", "fixtures": {"x": {}, "y": {"skipped": "compile failed"}},
                 "measurements": [meas("x", "ours-1-worker", 5)], "agreement": {"x": {"ours-all-cores": {}}},
                 "scaling": {"rows": [1]}, "presets": {"rows": [{"fixture": "x"}]}, "finishedAt": "t1"}
        second = {"_file": "b.json", "fixtures": {"y": {}, "x": {"skipped": "not asked"}},
                  "measurements": [meas("y", "ours-1-worker", 7)], "agreement": {"y": {"ours-all-cores": {}}},
                  "scaling": None, "presets": {"rows": [{"fixture": "y"}]}, "finishedAt": "t2"}
        m = report.merge(first, [second])
        self.assertEqual({"x": 5, "y": 7}, {r["fixture"]: r["wallSeconds"] for r in m["measurements"]})
        self.assertEqual({}, m["fixtures"]["y"])
        self.assertEqual({}, m["fixtures"]["x"])
        self.assertEqual(["x", "y"], [r["fixture"] for r in m["presets"]["rows"]])
        self.assertEqual({"rows": [1]}, m["scaling"])
        self.assertEqual("a.json + b.json", m["_file"])
        self.assertEqual("t2", m["finishedAt"])
        self.assertEqual("compile failed", first["fixtures"]["y"]["skipped"])  # first is not changed
        # the report says which run measured what
        self.assertEqual(["`a.json`: fixtures x (hfr: ?; start-up cache: none (before the cache existed))",
                          "`b.json`: fixtures y (hfr: ?; start-up cache: none (before the cache existed))",
                          "`a.json`: the scaling renders", "`a.json, b.json`: the preset table"], m["_sources"])

    def test_presets_table_reads_the_encoder_the_render_used(self):
        enc = {"encoder": "libx264", "preset": "ultrafast", "crf": 28, "jpegQuality": 80, "captureFormat": "jpeg"}
        rows = [{"fixture": "fx", "preset": "lossless", "label": "lossless (png-sequence)", "exitCode": 0,
                 "wallSeconds": 5.0, "cpuSeconds": 6.0, "bytes": 60_000_000, "summary": {"frames": 60}},
                {"fixture": "fx", "preset": "draft", "label": "draft", "exitCode": 0, "wallSeconds": 4.0,
                 "cpuSeconds": 3.0, "bytes": 1_000_000, "summary": {"frames": 60, "encoder": enc},
                 "agreement": {"ssimAll": 0.9876, "psnrAverage": 38.25, "psnrMinFrame": 36.5}},
                {"fixture": "fx", "preset": "high", "label": "high", "exitCode": 1, "wallSeconds": 1.0,
                 "cpuSeconds": 1.0, "error": "RENDER_FAILED: boom"}]
        lines = []
        report.presets_section({"presets": {"rows": rows}}, lines.append)
        text = "\n".join(lines)
        # 1 MB for 60 frames at 30 fps = 30 MB per minute; CPU 3 s / 60 frames = 50 ms a frame
        self.assertIn("| fx | draft | ultrafast / 28 / 80 | 4.0 | 50 | 1.00 | 30.0 | 0.9876 | 38.2 / 36.5 |", text)
        self.assertIn("| fx | lossless (png-sequence) | PNG capture, PNG frames | 5.0 | 100 | 60.00 | 1800.0 | 1 (itself)", text)
        self.assertIn("| fx | high | FAILED: RENDER_FAILED: boom |", text)

    def test_agreement_with_lossless_frames_measures_the_encode(self):
        with tempfile.TemporaryDirectory() as d:
            frames = os.path.join(d, "frames")
            os.makedirs(frames)
            src = "testsrc2=size=320x180:rate=30:duration=1"
            subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", src, os.path.join(frames, "%06d.png")],
                           check=True)
            good, bad = os.path.join(d, "good.mp4"), os.path.join(d, "bad.mp4")
            for out, crf in ((good, 12), (bad, 51)):
                subprocess.run(["ffmpeg", "-v", "error", "-framerate", "30", "-i", os.path.join(frames, "%06d.png"),
                                "-vf", "scale=out_color_matrix=bt709:out_range=tv", "-c:v", "libx264", "-crf", str(crf),
                                "-pix_fmt", "yuv420p", "-color_primaries", "bt709", "-color_trc", "bt709",
                                "-colorspace", "bt709", out], check=True)
            g = bench.agreement_with_frames(good, frames)
            b = bench.agreement_with_frames(bad, frames)
            self.assertEqual(30, g["framesLossless"])
            self.assertGreater(g["ssimAll"], 0.98)
            self.assertGreater(g["psnrAverage"], 35)
            self.assertLess(b["ssimAll"], g["ssimAll"] - 0.05)

if __name__ == "__main__":
    unittest.main()
