#!/usr/bin/env python3
"""Writes the results table of docs/parity.md from one or more bench/results/parity-*.json files.

  python3 bench/parity_report.py RESULTS.json [MORE.json ...]

Later files win for a composition present in several. Only the text between the two table markers of
docs/parity.md is replaced; the rest of the page (method, analysis) is written by hand.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "parity.md")
START, END = "<!-- parity-table:start -->", "<!-- parity-table:end -->"
ORDER = {"passes": 0, "differs": 1, "cannot-compare": 2, "not-run": 3}


def merge(paths):
    """Later files win. A result marked "withdrawn" (a harness bug found after the run) counts as not run,
    and every corpus composition without a result is listed as not run."""
    rows, sources = {}, []
    for p in paths:
        with open(p) as f:
            data = json.load(f)
        sources.append((os.path.relpath(p, ROOT), data.get("startedAt"), data.get("software", {})))
        for name, r in data.get("compositions", {}).items():
            if r.get("withdrawn"):
                r = {"status": "not-run", "why": "result withdrawn: " + r["withdrawn"], "fps": r.get("fps")}
            rows[name] = r
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import parity
    for c in parity.corpus():
        rows.setdefault(c["name"], {"status": "not-run", "why": "not reached yet (the runs so far were time-bound)",
                                    "fps": (c["meta"].get("renderConfig") or {}).get("fps")})
    return rows, sources


def fmt_row(name, r):
    m = r.get("metrics")
    if m:
        frames = f"{m['framesOurs']}/{m['framesReference']}"
        psnr = f"{m['psnrMean']:.1f} / {m['psnrWorst']:.1f}"
        ssim = f"{m['ssimMean']:.3f} / {m['ssimWorst']:.3f}"
        miss = f"{m['grossShareMean'] * 100:.2f} / {m['grossShareWorst'] * 100:.1f}"
    else:
        ref_frames = r.get("reference", {}).get("frames")
        ours_frames = r.get("ours", {}).get("frames")
        frames = f"{ours_frames if ours_frames is not None else '–'}/{ref_frames if ref_frames is not None else '–'}"
        psnr = ssim = miss = "–"
    sheet = f"[sheet](../{r['contactSheet']})" if r.get("contactSheet") else ""
    why = (r.get("why") or "").replace("|", "\\|").replace("\n", " ")
    if len(why) > 260:
        why = why[:257] + "..."
    return (f"| {name} | {r['status']} | {r.get('fps') or ''} | {frames} | {psnr} | {ssim} | {miss} | {why} | "
            f"{sheet} |")


def table(rows, sources):
    counts = {}
    for r in rows.values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    out = [f"{len(rows)} compositions: " + ", ".join(f"**{counts.get(k, 0)} {k}**" for k in ORDER) + ".",
           "Sources: " + "; ".join(f"`{p}` (started {t})" for p, t, _ in sources) + ".", ""]
    sw = sources[-1][2] if sources else {}
    if sw:
        out += ["Software: " + ", ".join(f"{k} `{v}`" for k, v in sw.items()) + ".", ""]
    out += ["| composition | status | fps | frames ours/ref | PSNR mean / worst (dB) | SSIM mean / worst | "
            "missing-content mean / worst frame (% of blocks) | why | contact sheet |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name in sorted(rows, key=lambda n: (ORDER.get(rows[n]["status"], 9), n)):
        out.append(fmt_row(name, rows[name]))
    return "\n".join(out)


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    rows, sources = merge(argv)
    with open(DOC) as f:
        doc = f.read()
    if START not in doc or END not in doc:
        print(f"parity_report: {DOC} has no {START} ... {END} markers", file=sys.stderr)
        return 2
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(DOC, "w") as f:
        f.write(head + START + "\n" + table(rows, sources) + "\n" + END + tail)
    print(DOC)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
