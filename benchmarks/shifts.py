#!/usr/bin/env python3
"""Layout shifts of a page load, with the nodes that moved: what Lighthouse's CLS is made of.

    python benchmarks/shifts.py [--app dashboard|layout|title] [--query lang=fi] [--loads 4]

Serves the app with the checkout's settings, loads it --loads times in Debian's Chromium, each
in a fresh context (a cold cache) at Lighthouse's desktop size (1350 x 940), after one warm-up
load, and prints each load's CLS and every layout-shift entry: when, its value, and each
source's node with its rectangle before and after ([x, y, width, height]). Talks to 127.0.0.1
only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from tests.support import harness  # noqa: E402 - the repository root is put on sys.path first

APPS = {"dashboard": harness.DASHBOARD, "layout": HERE / "layout_floor_app.py",
        "title": HERE / "floor_app.py"}
VIEWPORT = {"width": 1350, "height": 940}
# Every shift comes before the page is quiet this long after the load (a cold load here
# takes 2-5 s to its last shift); the entries are buffered, so none is missed by starting late.
SETTLE_MS = 8000
OBSERVE = """
window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) {
    const name = n => { if (!n || n.nodeType !== 1) return n ? n.nodeName : null;
        const id = n.getAttribute('data-testid');
        const cls = [...n.classList].filter(c => /^(st|innomap)/.test(c)).slice(0, 2);
        return n.tagName.toLowerCase() + (id ? '[' + id + ']' : '') +
            cls.map(c => '.' + c).join(''); };
    const rect = r => [r.x, r.y, r.width, r.height].map(Math.round);
    window.__shifts.push({at: Math.round(e.startTime), value: +e.value.toFixed(4),
        input: e.hadRecentInput, sources: e.sources.map(s => ({node: name(s.node),
            from: rect(s.previousRect), to: rect(s.currentRect)}))});
}}).observe({type: 'layout-shift', buffered: true});
"""


def load(browser, url: str) -> list[dict]:
    """Load the page once in a fresh context; return its layout-shift entries."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(OBSERVE)
        page = context.new_page()
        page.goto(url)
        page.wait_for_timeout(SETTLE_MS)
        # Lighthouse counts the shifts of every frame (the map's frame too), each frame's
        # observer sees only its own: gather them all, named by frame.
        shifts = []
        for frame in page.frames:
            where = "page" if frame == page.main_frame else frame.name or frame.url[-40:]
            for shift in frame.evaluate("window.__shifts || []"):
                shifts.append({**shift, "frame": where})
        return sorted(shifts, key=lambda shift: shift["at"])
    finally:
        context.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", choices=APPS, default="dashboard")
    parser.add_argument("--query", default="lang=fi")
    parser.add_argument("--loads", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        server = harness.start_server(Path(tmp) / "server.log", script=APPS[args.app])
        try:
            with harness.chromium() as browser:
                url = server.url(args.query)
                load(browser, url)  # warm: the first load builds the server's caches
                for run in range(args.loads):
                    shifts = load(browser, url)
                    total = sum(s["value"] for s in shifts if not s["input"])
                    print(f"load {run + 1}: CLS {total:.3f}")
                    for shift in shifts:
                        print(f"  {shift['at']:6d} ms  {shift['value']:.4f}  {shift['frame']}  "
                              f"{json.dumps(shift['sources'], ensure_ascii=False)}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
