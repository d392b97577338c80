"""Picture agreement of two renders of one composition, measured with ffmpeg filters only (no numpy).

Each side is decoded to RGB with the colour matrix it really used. hfr's encode is BT.709 as tagged. The
HyperFrames reference 0.8.170 also converts its captures to BT.709 before encoding (its SDR capture filter:
JPEG decoded as BT.601 full range, encoded BT.709 limited range); docs/benchmarks.md had found BT.601
coefficients tagged BT.709 in its output. Which one a render really used is measured on every run
(matrix_check: PSNR against ours with the reference decoded each way) and the harness decodes the reference
with --reference-matrix (default bt709, see docs/parity.md). On the two RGB streams one ffmpeg pass computes,
frame by frame:

- PSNR (ffmpeg psnr, average of R, G, B) and SSIM (ffmpeg ssim, "All"),
- the missing-content measure: the share of 8x8 blocks whose mean absolute difference, averaged over R, G and
  B, exceeds GROSS_BLOCK_THRESHOLD (0..255 scale). bench/test_parity.py calibrates it: anti-aliasing, sub-pixel
  shifts and even a wrong BT.601/BT.709 decode stay under it; a missing caption or a moved layout does not.
"""
import os
import re
import subprocess
import tempfile

BLOCK = 8
# Mean |difference| of a block, 0..255, averaged over R, G, B. Calibration (bench/test_parity.py, 640x360
# bars + title + caption drawn at 4x): the largest block difference is 6 with another anti-aliasing filter
# (bicubic vs area), 8 bilinear, 26 with no anti-aliasing at all, 23 for a 1/4 px shift of the whole picture,
# 16 when the reference's BT.601 coefficients are (wrongly) decoded as BT.709 on saturated bars; blocks in a
# missing or moved caption reach 225, and a missing caption stays gross at any threshold from 24 to 40.
GROSS_BLOCK_THRESHOLD = 32
# Pass criteria of issue 12 (HyperFrames' own gate against its goldens for PSNR).
MAX_GROSS_SHARE_FRAME = 0.02
MAX_GROSS_SHARE_MEAN = 0.005
MIN_MEAN_PSNR = 30.0
PSNR_CAP = 100.0


def decode_chain(matrix, width, height):
    """Filters that turn one input into full-range planar RGB of width x height using the given YUV matrix."""
    # in_range=tv: both encoders write limited-range YUV
    return (f"setpts=PTS-STARTPTS,scale={width}:{height}:in_color_matrix={matrix}:in_range=tv:flags=bicubic,"
            f"format=gbrp")


def probe(path):
    """{'frames', 'width', 'height'} of the first video stream, or None."""
    r = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                        "stream=nb_read_packets,width,height", "-of", "csv=p=0", path], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        return None
    w, h, n = r.stdout.strip().splitlines()[0].split(",")[:3]
    return {"width": int(w), "height": int(h), "frames": int(n)}


def compare(reference, ours, reference_matrix="bt601", ours_matrix="bt709", threshold=GROSS_BLOCK_THRESHOLD,
            timeout_s=1800):
    """Frame-by-frame agreement of ours against the reference (see module doc). Compares the first
    min(frames) frames at the reference's size (ours is scaled to it when the sizes differ)."""
    pr, po = probe(reference), probe(ours)
    if not pr or not po:
        return {"error": "cannot probe " + ("reference" if not pr else "ours")}
    w, h = pr["width"], pr["height"]
    bw, bh = w // BLOCK, h // BLOCK
    with tempfile.TemporaryDirectory(prefix="hfr-parity-metrics-") as tmp:
        psnr_log, ssim_log = os.path.join(tmp, "psnr.log"), os.path.join(tmp, "ssim.log")
        graph = (f"[0:v]{decode_chain(reference_matrix, w, h)},split=3[r1][r2][r3];"
                 f"[1:v]{decode_chain(ours_matrix, w, h)},split=3[o1][o2][o3];"
                 f"[r1][o1]psnr=stats_file={psnr_log}:shortest=1[p];"
                 f"[r2][o2]ssim=stats_file={ssim_log}:shortest=1[s];"
                 f"[r3][o3]blend=all_mode=difference:shortest=1,format=gbrp,"
                 f"colorchannelmixer=rr=0.3334:rg=0.3333:rb=0.3333:gr=0.3334:gg=0.3333:gb=0.3333:"
                 f"br=0.3334:bg=0.3333:bb=0.3333,extractplanes=r,crop={bw * BLOCK}:{bh * BLOCK}:0:0,"
                 f"scale={bw}:{bh}:flags=area[d]")
        cmd = ["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-i", reference, "-i", ours, "-filter_complex",
               graph, "-map", "[d]", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1",
               "-map", "[p]", "-f", "null", "-", "-map", "[s]", "-f", "null", "-"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        frame_bytes = bw * bh
        above = bytes(range(threshold + 1))  # deleting 0..threshold leaves the gross blocks
        shares = []
        try:
            while True:
                buf = proc.stdout.read(frame_bytes)
                if len(buf) < frame_bytes:
                    break
                shares.append(len(buf.translate(None, above)) / frame_bytes)
            err = proc.stderr.read().decode("utf-8", "replace")
            proc.wait(timeout=timeout_s)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        if proc.returncode != 0:
            return {"error": "ffmpeg compare failed: " + err[-400:]}
        psnr = parse_stats(psnr_log, "psnr_avg")
        ssim = parse_stats(ssim_log, "All")
    n = min(len(shares), len(psnr), len(ssim))
    if n == 0:
        return {"error": "no frames compared"}
    psnr = [min(PSNR_CAP, p) for p in psnr[:n]]
    ssim, shares = ssim[:n], shares[:n]
    return {
        "framesReference": pr["frames"], "framesOurs": po["frames"], "framesCompared": n,
        "sizeReference": [w, h], "sizeOurs": [po["width"], po["height"]],
        "psnrMean": round(sum(psnr) / n, 3), "psnrWorst": round(min(psnr), 3),
        "psnrWorstFrame": psnr.index(min(psnr)),
        "ssimMean": round(sum(ssim) / n, 5), "ssimWorst": round(min(ssim), 5),
        "grossShareMean": round(sum(shares) / n, 5), "grossShareWorst": round(max(shares), 5),
        "grossShareWorstFrame": shares.index(max(shares)),
        "grossThreshold": threshold,
        "perFrame": {"psnr": [round(p, 2) for p in psnr], "ssim": [round(s, 4) for s in ssim],
                     "grossShare": [round(s, 4) for s in shares]},
    }


def matrix_check(reference, ours, ours_matrix="bt709", every=15, timeout_s=900):
    """Mean PSNR of ours against the reference decoded as BT.601 and as BT.709, on every 15th frame: the
    matrix the reference really used is the one that agrees better (colour, not content, decides the gap)."""
    pr = probe(reference)
    if not pr:
        return None
    w, h = pr["width"], pr["height"]
    out = {}
    for matrix in ("bt601", "bt709"):
        sel = f"select='not(mod(n\\,{every}))',settb=1/30,setpts=N"
        graph = (f"[0:v]{decode_chain(matrix, w, h)},{sel}[r];[1:v]{decode_chain(ours_matrix, w, h)},{sel}[o];"
                 f"[r][o]psnr=shortest=1")
        r = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", reference, "-i", ours, "-filter_complex", graph,
                            "-f", "null", "-"], capture_output=True, text=True, timeout=timeout_s)
        m = re.search(r"PSNR r:[\d.inf]+ g:[\d.inf]+ b:[\d.inf]+ average:([\d.]+|inf)", r.stderr)
        out[matrix] = None if not m else (PSNR_CAP if m.group(1) == "inf" else float(m.group(1)))
    return out


def parse_stats(path, key):
    """Per-frame values of KEY:value in an ffmpeg psnr/ssim stats file (inf as PSNR_CAP)."""
    pattern = re.compile(r"\b" + re.escape(key) + r":(inf|[-\d.]+)")
    out = []
    try:
        with open(path) as f:
            for line in f:
                m = pattern.search(line)
                if m:
                    out.append(PSNR_CAP if m.group(1) == "inf" else float(m.group(1)))
    except OSError:
        pass
    return out


def verdict(metrics):
    """(passes, reasons) against issue 12's criteria; frame-count mismatch also fails."""
    reasons = []
    if metrics["framesReference"] != metrics["framesOurs"]:
        reasons.append(f"frame count {metrics['framesOurs']} vs reference {metrics['framesReference']}")
    if metrics["sizeReference"] != metrics["sizeOurs"]:
        reasons.append("size %dx%d vs reference %dx%d" % (*metrics["sizeOurs"], *metrics["sizeReference"]))
    if metrics["grossShareWorst"] > MAX_GROSS_SHARE_FRAME:
        reasons.append(f"missing content {metrics['grossShareWorst'] * 100:.1f} % of blocks at frame "
                       f"{metrics['grossShareWorstFrame']} (max 2 %)")
    if metrics["grossShareMean"] > MAX_GROSS_SHARE_MEAN:
        reasons.append(f"missing content {metrics['grossShareMean'] * 100:.2f} % of blocks on average (max 0.5 %)")
    if metrics["psnrMean"] < MIN_MEAN_PSNR:
        reasons.append(f"mean PSNR {metrics['psnrMean']:.1f} dB (min 30)")
    return not reasons, reasons


def worst_frames(metrics, k=4):
    """Indices of the k worst frames (by missing-content share, then PSNR), in stream order, spread out so
    that neighbours of one bad moment do not take every slot."""
    per = metrics["perFrame"]
    n = len(per["psnr"])
    order = sorted(range(n), key=lambda i: (-per["grossShare"][i], per["psnr"][i]))
    gap = max(1, n // (4 * k))
    chosen = []
    for i in order:
        if all(abs(i - c) >= gap for c in chosen):
            chosen.append(i)
        if len(chosen) == k:
            break
    return sorted(chosen)


def contact_sheet(reference, ours, frames, out_png, reference_matrix="bt601", ours_matrix="bt709", tile_width=480,
                  timeout_s=600):
    """PNG: the reference's frames in the top row, ours below, their difference (x4) in the third row. The
    selected frames are renumbered in a common 1/30 time base, not in each file's own time base: blend pairs its two
    inputs by time, and the two renderers write different time bases."""
    pr = probe(reference)
    if not pr or not frames:
        return False
    w, h = pr["width"], pr["height"]
    th = max(2, int(round(h * tile_width / w / 2)) * 2)
    sel = "+".join(f"eq(n\\,{i})" for i in frames)
    k = len(frames)
    tile = f"scale={tile_width}:{th},tile={k}x1:padding=4:color=gray"
    graph = (f"[0:v]{decode_chain(reference_matrix, w, h)},select='{sel}',settb=1/30,setpts=N,split[ra][rb];"
             f"[1:v]{decode_chain(ours_matrix, w, h)},select='{sel}',settb=1/30,setpts=N,split[oa][ob];"
             f"[ra]{tile}[rt];[oa]{tile}[ot];"
             f"[rb][ob]blend=all_mode=difference,format=rgb24,lutrgb=r='min(val*4,255)':g='min(val*4,255)':"
             f"b='min(val*4,255)',{tile}[dt];[rt][ot][dt]vstack=3,format=rgb24")
    r = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-v", "error", "-y", "-i", reference, "-i", ours,
                        "-filter_complex", graph, "-frames:v", "1", out_png], capture_output=True, text=True,
                       timeout=timeout_s)
    return r.returncode == 0 and os.path.exists(out_png)
