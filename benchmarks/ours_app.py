"""Ours, for bench.py: the page dashboard.py draws, for synthetic data of any size.

Above 1,000 places a synthetic data set must repeat municipality codes (there are only 1,000
three-digit ones); `unique_codes=False` is the loader's option for that, and the only
difference from dashboard.py. bench.py runs a copy from a temporary folder (its static/ lands
there).
"""

from pathlib import Path

from innomap.ui.app import main

main(static_dir=Path(__file__).resolve().parent / "static", unique_codes=False)
