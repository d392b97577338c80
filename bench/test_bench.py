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
        s = {"planMillis": 2000, "assembleMillis": 600, "totalMillis": 20000, "chunkCount": 2}
        ms = []
        for run in (1, 2, 3):
            ms += [meas("reference", run, 20 + run, 2, 30), meas("ours-1-worker", run, 15, 1, 20, s),
                   meas("ours-all-cores", run, 9, 2, 22, s)]
        results = {"startedAt": "t", "host": "h", "cpus": 2, "memTotalMb": 1, "runs": 3, "loadavgBefore": [1, 1, 1],
                   "software": {}, "encoder": {"reference": "r", "ours": "o"}, "fixtures": {"fx": {}},
                   "measurements": ms, "agreement": {"fx": {"ours-all-cores": {"psnrAverage": 40.0, "psnrMinFrame": 36.0,
                                                                           "ssimAll": 0.99}}}}
        text = report.render(results, None)
        # reference median wall 22 s on 2 workers -> 6.82 fps/worker; ours 1 worker 20 fps -> 2.93x
        self.assertIn("| fx | 2.93 ✅", text)
        self.assertIn("3.0 ❌", text)  # assemble 600/20000 = 3 %
        self.assertIn("assemble < 2 % of total: met on 0 of 1; **short on** fx (3.0 %)", text)
        self.assertIn("PSNR vs reference ≥ 35 dB: met on 1 of 1", text)
        self.assertIn("| fx | 1920x1080 | 300 | reference | 2 | 22.0 [21.0–23.0]", text)


if __name__ == "__main__":
    unittest.main()
