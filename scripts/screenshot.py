#!/usr/bin/env python3
"""Take the README's screenshot: the dashboard's start view in English at 1400 × 1000.

    python scripts/screenshot.py [--out docs/screenshot.png]

Starts the dashboard on the shipped data and Debian's Chromium (tests/support/harness.py),
waits until the map shows every city and Streamlit has finished its run, and saves the
viewport. Only this script writes docs/screenshot.png; the test suite leaves it alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innomap.cities import load_dataset  # noqa: E402
from innomap.shipped import CITIES, THEMES  # noqa: E402
from tests.support import harness  # noqa: E402 - the repository root is put on sys.path first


def take(out: Path) -> None:
    """Serve the dashboard, open it in Chromium, wait for every marker, save the viewport."""
    everyone = set(load_dataset(CITIES, THEMES).cities["id"])
    server = harness.start_server(harness.ARTIFACTS / "streamlit-screenshot.log")
    try:
        with harness.chromium() as browser:
            page = harness.new_context(browser).new_page()
            page.goto(server.url("lang=en"))
            outcome = page.wait_for_function(harness.VIEW_IS,
                                             arg=harness.view_is_arg(everyone)).json_value()
            if outcome != "ok":
                raise SystemExit(f"the map never showed every city: {outcome}\n{server.log()}")
            # Streamlit's "running" indicator is gone once the run is over: a clean picture.
            page.get_by_test_id("stStatusWidget").wait_for(state="hidden")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=out, animations="disabled")
    finally:
        server.stop()


def main() -> None:
    """Parse the command line and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=harness.ROOT / "docs" / "screenshot.png",
                        help="where to save the PNG (default: docs/screenshot.png)")
    out = parser.parse_args().out
    take(out)
    print(f"saved {out}")


if __name__ == "__main__":
    main()
