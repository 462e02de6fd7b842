#!/usr/bin/env python3
"""Lighthouse benchmark: the dashboard against Streamlit's title-only floor, in the same run.

    npm ci                                   # once: lighthouse@12.2.3 from package-lock.json
    python benchmarks/lighthouse.py [--runs 3] [--preset desktop|mobile]

Serves the dashboard (dashboard.py) and the floor (floor_app.py: a page with only a title)
with the same server settings (the checkout's .streamlit/config.toml), runs Lighthouse 12 with
Debian's Chromium on each, alternating, --runs times, and prints the medians side by side with
issue 13's targets: performance >= the floor's, LCP <= floor + 0.3 s, CLS <= 0.1,
accessibility >= 98. Talks to 127.0.0.1 only.
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
APPS = {"dashboard": harness.DASHBOARD, "title only (floor)": HERE / "floor_app.py"}
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", choices=("desktop", "mobile"), default="desktop")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` at the repository root")
    results: dict[str, list[dict[str, float]]] = {app: [] for app in APPS}
    with tempfile.TemporaryDirectory() as tmp:
        servers = {app: harness.start_server(Path(tmp) / f"{i}.log", script=script)
                   for i, (app, script) in enumerate(APPS.items())}
        try:
            for server in servers.values():  # warm: the first load builds caches
                lighthouse(server.url(""), args.preset, Path(tmp) / "warm.json")
            for run in range(args.runs):
                for app, server in servers.items():
                    results[app].append(lighthouse(server.url(""), args.preset,
                                                   Path(tmp) / f"{run}.json"))
        finally:
            for server in servers.values():
                server.stop()
    median = {app: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
              for app, rows in results.items()}
    print(f"Lighthouse 12, {args.preset} preset, Debian Chromium, median of {args.runs} runs")
    print(f"{'':22} {'perf':>5} {'a11y':>5} {'best':>5} {'CLS':>6} {'LCP s':>6}")
    for app, m in median.items():
        print(f"{app:22} {m['performance']:5.0f} {m['accessibility']:5.0f} "
              f"{m['best-practices']:5.0f} {m['cls']:6.3f} {m['lcp']:6.2f}")
    ours, floor = median["dashboard"], median["title only (floor)"]
    targets = {
        "performance >= floor": ours["performance"] >= floor["performance"],
        "LCP <= floor + 0.3 s": ours["lcp"] <= floor["lcp"] + 0.3,
        "CLS <= 0.1": ours["cls"] <= 0.1,
        "accessibility >= 98": ours["accessibility"] >= 98,
    }
    print(f"LCP ratio dashboard / floor: {ours['lcp'] / floor['lcp']:.2f}; "
          f"performance ratio: {ours['performance'] / max(floor['performance'], 1):.2f}")
    for name, ok in targets.items():
        print(f"  {'met ' if ok else 'MISS'}  {name}")


if __name__ == "__main__":
    main()
