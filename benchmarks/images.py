#!/usr/bin/env python3
"""How long the map image takes to draw, against the same view's Excel file (issue 22).

    python benchmarks/images.py [--sizes 20,1000] [--reps 5] [--seed 1]

For each N a seeded synthetic data set (synthetic.py) is loaded and its whole view (all N
places, Finnish) exported in one process, one format after another and --reps times each: the
Excel file (the baseline, `export_bytes("xlsx")`), then the PNG and SVG at both sizes
(`export_bytes("png"|"svg", size)`), as the dashboard's button and `innomap export` make them.
One warm-up of each first (imports, fonts, the regions file), not counted. Printed: the median
wall time and CPU time of each, the file's size, the names placed, and the ratio to the Excel
file's median in the same run. The dashboard draws an image only when its button is pressed,
then keeps it per view (ui/sections._export_file): these are the times of that first press.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

import synthetic  # noqa: E402

from innomap.cities import load_dataset  # noqa: E402
from innomap.export import export_bytes  # noqa: E402
from innomap.mapimage import draw  # noqa: E402
from innomap.shipped import THEMES  # noqa: E402
from innomap.view import View  # noqa: E402

# (format, size) in the order measured; the first is the baseline.
CASES = (("xlsx", ""), ("png", "slide"), ("svg", "slide"), ("png", "a4"), ("svg", "a4"))


def measure(view: View, fmt: str, size: str, reps: int) -> tuple[float, float, int]:
    """Return the median wall and CPU seconds of building a file, and its size in bytes."""
    export_bytes(fmt, view, size or "slide")  # warm-up
    walls, cpus = [], []
    data = b""
    for _ in range(reps):
        wall, cpu = time.perf_counter(), time.process_time()
        data = export_bytes(fmt, view, size or "slide")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,1000", help="places per data set, comma-separated")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per format")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"# {platform.platform()}, Python {platform.python_version()}, "
          f"matplotlib {version('matplotlib')}, geopandas {version('geopandas')}, "
          f"{os.cpu_count()} CPUs; median of {args.reps} runs after a warm-up")
    print(f"{'places':>7} {'file':<10} {'wall ms':>9} {'CPU ms':>8} {'KB':>7} {'names':>6} "
          f"{'÷ Excel (wall)':>15} {'÷ Excel (CPU)':>14}")
    with tempfile.TemporaryDirectory(prefix="innomap-images-") as folder:
        for n in (int(part) for part in args.sizes.split(",")):
            path = Path(folder) / f"cities-{n}.geojson"
            synthetic.write(synthetic.make(n, args.seed), path)
            view = View.of(load_dataset(path, THEMES), lang="fi")
            base_wall = base_cpu = 0.0
            for fmt, size in CASES:
                wall, cpu, length = measure(view, fmt, size, args.reps)
                if fmt == "xlsx":
                    base_wall, base_cpu = wall, cpu
                names = str(len(draw(view, size).names)) if size else ""
                label = f"{fmt} {size}".strip()
                print(f"{n:>7} {label:<10} {wall * 1000:>9.0f} {cpu * 1000:>8.0f} "
                      f"{length / 1000:>7.0f} {names:>6} {wall / base_wall:>15.1f} "
                      f"{cpu / base_cpu:>14.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
