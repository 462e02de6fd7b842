#!/usr/bin/env python3
"""Lighthouse benchmark: the dashboard against two Streamlit floors, in the same run.

    npm ci                                   # once: lighthouse@12.2.3 from package-lock.json
    python benchmarks/lighthouse.py [--runs 3] [--preset desktop|mobile]

Serves the dashboard (dashboard.py, its Finnish and English pages), the layout floor
(layout_floor_app.py: Streamlit's own page of the dashboard's shape, sidebar of filters, title,
caption, tabs and a map-sized box, nothing of innomap's) and the title-only floor
(floor_app.py) with the same server settings (the checkout's .streamlit/config.toml), runs
Lighthouse 12 with Debian's Chromium on each page, alternating, after one warm-up each,
--runs times, and prints every run, the medians side by side and issue 21's targets against
the layout floor: CLS <= its CLS + 0.02 in every run, performance >= its score - 2, LCP <= its
LCP + 0.2 s (medians), accessibility 100. Talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from tests.support import harness  # noqa: E402 - the repository root is put on sys.path first

LIGHTHOUSE = harness.ROOT / "node_modules" / ".bin" / "lighthouse"
# Each page: its script and its query string. The floors have no language.
PAGES = {"dashboard, fi": (harness.DASHBOARD, "lang=fi"),
         "dashboard, en": (harness.DASHBOARD, "lang=en"),
         "layout floor": (HERE / "layout_floor_app.py", ""),
         "title-only floor": (HERE / "floor_app.py", "")}
DASHBOARDS = ("dashboard, fi", "dashboard, en")
FLOOR = "layout floor"
# Issue 21's targets against the layout floor measured in the same run.
CLS_MARGIN = 0.02
PERF_MARGIN = 2
LCP_MARGIN_S = 0.2
CATEGORIES = ("performance", "accessibility", "best-practices")


def lighthouse(url: str, preset: str, out: Path) -> dict[str, float]:
    """Run Lighthouse once; return the category scores (0-100), CLS and LCP (seconds)."""
    command = [str(LIGHTHOUSE), url, f"--only-categories={','.join(CATEGORIES)}",
               "--output=json", f"--output-path={out}", "--quiet",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = os.environ | {"CHROME_PATH": harness.chromium_path()}
    subprocess.run(command, check=True, env=env, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(100 * (report["categories"][name]["score"] or 0))
              for name in CATEGORIES}
    audits = report["audits"]
    return scores | {"cls": audits["cumulative-layout-shift"]["numericValue"],
                     "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000}


def measure(runs: int, preset: str, tmp: Path) -> dict[str, list[dict[str, float]]]:
    """Serve each script once, warm each page, then run Lighthouse on the pages in turn."""
    scripts = {script for script, _ in PAGES.values()}
    servers = {script: harness.start_server(tmp / f"{script.stem}.log", script=script)
               for script in scripts}
    results: dict[str, list[dict[str, float]]] = {page: [] for page in PAGES}
    try:
        for script, query in PAGES.values():  # warm: the first load builds caches
            lighthouse(servers[script].url(query), preset, tmp / "warm.json")
        for run in range(runs):
            for page, (script, query) in PAGES.items():
                results[page].append(lighthouse(servers[script].url(query), preset,
                                                tmp / f"{run}.json"))
    finally:
        for server in servers.values():
            server.stop()
    return results


def report(results: dict[str, list[dict[str, float]]], preset: str) -> None:
    """Print every run, the medians, the ratios to the floors and the targets."""
    runs = len(next(iter(results.values())))
    median = {page: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
              for page, rows in results.items()}
    print(f"Lighthouse 12, {preset} preset, Debian Chromium, {runs} alternating runs "
          f"after a warm-up")
    header = f"{'':18} {'perf':>5} {'a11y':>5} {'best':>5} {'CLS':>6} {'LCP s':>6}"
    print("every run:\n" + header)
    for page, rows in results.items():
        for row in rows:
            print(f"{page:18} {row['performance']:5.0f} {row['accessibility']:5.0f} "
                  f"{row['best-practices']:5.0f} {row['cls']:6.3f} {row['lcp']:6.2f}")
    print("medians:\n" + header)
    for page, m in median.items():
        print(f"{page:18} {m['performance']:5.0f} {m['accessibility']:5.0f} "
              f"{m['best-practices']:5.0f} {m['cls']:6.3f} {m['lcp']:6.2f}")
    floor, title = median[FLOOR], median["title-only floor"]
    for page in DASHBOARDS:
        ours = median[page]
        perf = ours["performance"]
        print(f"{page}: performance / layout floor {perf / max(floor['performance'], 1):.2f}, "
              f"/ title-only {perf / max(title['performance'], 1):.2f}; "
              f"LCP / layout floor {ours['lcp'] / floor['lcp']:.2f}, "
              f"/ title-only {ours['lcp'] / title['lcp']:.2f}; "
              f"CLS - layout floor {ours['cls'] - floor['cls']:+.3f}")
        worst_cls = max(row["cls"] for row in results[page])
        targets = {
            f"CLS <= layout floor + {CLS_MARGIN} in every run (worst {worst_cls:.3f})":
                all(row["cls"] <= floor["cls"] + CLS_MARGIN for row in results[page]),
            f"performance >= layout floor - {PERF_MARGIN}":
                ours["performance"] >= floor["performance"] - PERF_MARGIN,
            f"LCP <= layout floor + {LCP_MARGIN_S} s":
                ours["lcp"] <= floor["lcp"] + LCP_MARGIN_S,
            "accessibility 100": all(row["accessibility"] == 100 for row in results[page]),
        }
        for name, ok in targets.items():
            print(f"  {'met ' if ok else 'MISS'}  {page}: {name}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", choices=("desktop", "mobile"), default="desktop")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` at the repository root")
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(args.runs, args.preset, Path(tmp))
    report(results, args.preset)


if __name__ == "__main__":
    main()
