#!/usr/bin/env python3
"""Speed benchmark: the dashboard against the naive streamlit-folium pattern and two floors.

    python benchmarks/bench.py [--sizes 20,1500,10000] [--reps 5] [--loads 3] [--seed 1]

For each N a seeded synthetic data set (synthetic.py) is served to: ours (ours_app.py, the
dashboard's page); naive (naive_app.py: one folium.Marker + Popup per row, plain st_folium);
the map's floor (map_floor_app.py: a page with only a title and ours' map). Streamlit's floor
(floor_app.py: a page with only a title) is served once. Measured, from the same file:
1. server time of a rerun after a filter change: Streamlit's AppTest, the focus filter
   alternates between one focus area and none; median of the reruns back to all N places;
2. map payload per rerun: bytes of the map component's arguments, all N places shown;
3. page load → all N markers (the floor: → its title) in headless Chromium: median of
   --loads loads, each in a fresh context on a warm and idle server.
Printed side by side with the ratios naive ÷ ours and ours ÷ each floor. Talks to 127.0.0.1
only and uses Debian's chromium (tests/support/harness.py). Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import synthetic  # noqa: E402

from tests.support import harness  # noqa: E402 - the repository root is put on sys.path first

APPS = {"ours": "ours_app.py", "naive": "naive_app.py", "title + map": "map_floor_app.py",
        "title only": "floor_app.py"}
COLUMNS = ("naive", "ours", "title + map", "title only")
QUERY = "lang=en"
# Generous: the naive app at 10,000 places takes minutes per run.
APPTEST_TIMEOUT_S = 900
LOAD_TIMEOUT_MS = 900_000
KB = 1000

# Runs in the page: "ok" once the page shows what counts as loaded, an app error's text, or
# false. Ours and the map floor list their drawn places in window.innomapShown (markers may
# be on a canvas); the naive map has one marker icon per place; the floor has a title.
SHOWN = """([frameSelector, app, wanted]) => {
    const crash = document.querySelector(
        '[data-testid="stException"], [data-testid="stAlertContentError"]');
    if (crash) return "the app showed an error: " + crash.innerText.slice(0, 300);
    if (app === "title only") return !!document.querySelector("h1") && "ok";
    const frame = document.querySelector(frameSelector);
    const win = frame && frame.getBoundingClientRect().height > 0 && frame.contentWindow;
    if (!win || !win.document) return false;
    const count = app === "naive"
        ? win.document.querySelectorAll(".leaflet-marker-icon").length
        : (win.innomapShown || {length: -1}).length;
    return count === wanted && "ok";
}"""


@dataclass
class Case:
    """One data set size: its file, the focus area the filter toggles, and the figures."""

    n: int
    path: Path
    focus: str
    # app → measure → value: "rerun_s", "payload" (bytes), "load_s".
    figures: dict[str, dict[str, float]] = field(
        default_factory=lambda: {app: {} for app in APPS})


def log(message: str) -> None:
    """Print progress, with the time and the machine's load, to stderr."""
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {message}",
          file=sys.stderr, flush=True)


def make_case(n: int, seed: int, folder: Path) -> Case:
    """Write the data set; the filter toggles its most common focus area."""
    collection = synthetic.make(n, seed)
    path = folder / f"cities-{n}.geojson"
    synthetic.write(collection, path)
    counts = Counter(f for feature in collection["features"]
                     for f in feature["properties"]["themes"])
    return Case(n, path, counts.most_common(1)[0][0])


def copy_apps(folder: Path) -> dict[str, Path]:
    """Copy each app into a folder of its own: its static/ lands there, not in the checkout."""
    scripts = {}
    for app, name in APPS.items():
        (folder / name).mkdir()
        scripts[app] = Path(shutil.copy2(HERE / name, folder / name / name))
    return scripts


# ---------------------------------------------------------------- 1 + 2: AppTest


def map_payload(at: Any) -> int:
    """Return the bytes of the map component's arguments in the last run."""
    found = [e.proto.json_args for e in at.get("component_instance")
             if "streamlit_folium" in e.proto.component_name]
    if len(found) != 1:
        raise RuntimeError(f"expected one st_folium component, found {len(found)}")
    return len(found[0].encode("utf-8"))


def run_checked(at: Any, app: str) -> None:
    """Run the script; fail on an exception or an error message shown."""
    at.run()
    problems = [str(e.value)[:300] for e in (*at.exception, *at.error)]
    if problems:
        raise RuntimeError(f"{app} failed in AppTest: {problems}")


def reruns(app: str, script: Path, case: Case, reps: int) -> None:
    """Time reruns after filter changes; keep the median back to all places and its payload."""
    from streamlit.testing.v1 import AppTest

    os.environ["INNOMAP_DATA"] = str(case.path)
    at = AppTest.from_file(str(script), default_timeout=APPTEST_TIMEOUT_S)
    at.query_params["lang"] = "en"
    run_checked(at, app)
    times = []
    for _ in range(reps):
        at.multiselect(key="focus").set_value([case.focus])
        run_checked(at, app)
        at.multiselect(key="focus").set_value([])
        started = time.perf_counter()
        run_checked(at, app)
        times.append(time.perf_counter() - started)
    case.figures[app].update(rerun_s=statistics.median(times), payload=map_payload(at))


# ---------------------------------------------------------------- 3: Chromium


def page_loads(browser: Any, app: str, script: Path, case: Case, loads: int,
               logs: Path) -> float:
    """Return the median time from page load to all markers (or the title) on a warm server."""
    server = harness.start_server(logs / f"{app}-{case.n}.log".replace(" ", ""), case.path,
                                  script=script)
    wanted = 0 if app == "title only" else case.n
    times = []
    try:
        # The first load pays the imports and the data load: it warms the server, uncounted.
        for attempt in range(loads + 1):
            server.wait_idle()
            context = harness.new_context(browser, LOAD_TIMEOUT_MS)
            started = time.perf_counter()
            page = context.new_page()
            page.goto(server.url(QUERY))
            outcome = page.wait_for_function(SHOWN, arg=[harness.MAP_FRAME, app, wanted],
                                             polling=50, timeout=LOAD_TIMEOUT_MS).json_value()
            elapsed = time.perf_counter() - started
            context.close()
            if outcome != "ok":
                raise RuntimeError(f"{app}, N={case.n}: {outcome}\n{server.log()}")
            times += [elapsed] if attempt else []
    finally:
        server.stop()
    return statistics.median(times)


# ---------------------------------------------------------------- report


def fmt(measure: str, value: float | None) -> str:
    """Format a figure with its unit ('–' when not measured)."""
    if value is None:
        return "–"
    if measure == "payload":
        return f"{value / KB / KB:,.2f} MB" if value >= KB * KB else f"{value / KB:,.1f} KB"
    return f"{value * 1000:,.0f} ms" if measure == "rerun_s" else f"{value:,.2f} s"


def ratio(top: float | None, bottom: float | None) -> str:
    """Return top ÷ bottom as '2.5×' ('–' when either is missing)."""
    return "–" if top is None or not bottom else f"{top / bottom:,.1f}×"


MEASURES = {"rerun_s": "rerun after a filter change (median)",
            "payload": "map payload per rerun", "load_s": "page load → all markers (median)"}


def table(cases: list[Case]) -> str:
    """Return the markdown table: each app's figure and the ratios, per N and measure."""
    lines = ["| N | measure | naive | ours | title + map | title only | naive ÷ ours "
             "| ours ÷ title + map | ours ÷ title only |", "|---:|---|" + "---:|" * 7]
    for case in cases:
        for measure, name in MEASURES.items():
            values = {app: case.figures[app].get(measure) for app in COLUMNS}
            ours = values["ours"]
            cells = [fmt(measure, value) for value in values.values()]
            cells += [ratio(values["naive"], ours), ratio(ours, values["title + map"]),
                      ratio(ours, values["title only"])]
            lines.append(f"| {case.n:,} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def describe_run(args: argparse.Namespace, chromium: str, loads: tuple[float, float]) -> str:
    """Return what was measured on what: commit, machine, versions, load, settings."""
    commit = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    packages = ", ".join(f"{name} {version(name)}" for name in
                         ("streamlit", "folium", "streamlit-folium", "playwright"))
    return (f"Commit {commit}; {os.cpu_count()} CPUs, {platform.platform()}; Python "
            f"{platform.python_version()}, {packages}; Chromium {chromium}. Load average "
            f"(1 min) {loads[0]:.2f} at the start, {loads[1]:.2f} at the end. Reruns: "
            f"{args.reps} per direction; page loads: {args.loads} per app; seed {args.seed}; "
            "1 KB = 1,000 B.")


def measure_all(cases: list[Case], scripts: dict[str, Path], args: argparse.Namespace,
                logs: Path) -> str:
    """Take every figure into the cases; return Chromium's version."""
    for case in cases:
        for app in ("ours", "naive"):
            log(f"N={case.n} {app}: {args.reps} reruns each way (AppTest)")
            reruns(app, scripts[app], case, args.reps)
            log(f"  {json.dumps(case.figures[app])}")
    with harness.chromium() as browser:
        for case in cases:
            for app in ("ours", "naive", "title + map"):
                log(f"N={case.n} {app}: {args.loads} page loads")
                case.figures[app]["load_s"] = page_loads(browser, app, scripts[app], case,
                                                         args.loads, logs)
                log(f"  {case.figures[app]['load_s']:.2f} s")
        log("Streamlit's floor: a page with only a title")
        floor = page_loads(browser, "title only", scripts["title only"], cases[0], args.loads,
                           logs)
        for case in cases:
            case.figures["title only"]["load_s"] = floor
        return browser.version


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, measure, print the table."""
    title, _, details = __doc__.partition("\n")
    parser = argparse.ArgumentParser(description=title, epilog=details.strip("\n"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,1500,10000", help="comma-separated N values")
    parser.add_argument("--reps", type=int, default=5, help="timed reruns per app and N")
    parser.add_argument("--loads", type=int, default=3, help="timed page loads per app and N")
    parser.add_argument("--seed", type=int, default=1, help="the synthetic data's seed")
    args = parser.parse_args(argv)
    os.environ.pop("INNOMAP_THEMES", None)
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="innomap-bench-") as tmp:
        folder = Path(tmp)
        cases = [make_case(int(n), args.seed, folder) for n in args.sizes.split(",")]
        chromium = measure_all(cases, copy_apps(folder), args, harness.ARTIFACTS / "bench")
    print(describe_run(args, chromium, (start_load, os.getloadavg()[0])) + "\n")
    print(table(cases))


if __name__ == "__main__":
    main()
