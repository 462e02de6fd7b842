"""The load script's small version: 3 concurrent browser sessions and a 30-change soak.

Correctness only (no errors, every soak change shown); the timing and memory targets belong
to the full run on demand (`python benchmarks/load.py`, results in benchmarks/README.md).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from innomap.cities import Dataset
from innomap.filters import Filters

LOAD_PY = Path(__file__).resolve().parents[1] / "benchmarks" / "load.py"
SESSIONS = 3
SOAK_CHANGES = 30


def skip_or_fail(reason: str) -> None:
    """Skip for a missing browser stack, but fail on CI, where it must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def load() -> ModuleType:
    """Import benchmarks/load.py by path: benchmarks/ is not a package."""
    if importlib.util.find_spec("playwright") is None:
        skip_or_fail("playwright is not installed: pip install -e '.[test]'")
    spec = importlib.util.spec_from_file_location("innomap_benchmark_load", LOAD_PY)
    module = importlib.util.module_from_spec(spec)
    # Registered first: dataclasses look their module up while building the classes.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report(load: ModuleType):
    """Run the small version once (two fresh servers, one Chromium) for this module."""
    if shutil.which("chromium") is None:
        skip_or_fail("chromium is not installed (apt-get install chromium)")
    result = asyncio.run(load.run(SESSIONS, SOAK_CHANGES))
    print(load.render(result))  # shown with -s or -rP: the small run's numbers, for interest
    return result


def ids(rows) -> frozenset[str]:
    """Return the city ids of filtered rows."""
    return frozenset(rows["id"])


def test_expected_markers_agree_with_the_app_filters(load: ModuleType, dataset: Dataset,
                                                     broad_of: dict[str, set[str]]) -> None:
    """The script's own expectations (read from the data files) match innomap's filters."""
    for plan in load.session_plans(len(load.FOCUS_LABELS) * len(load.REGIONS)):
        focus = Filters(focus=(plan.focus,))
        both = Filters(focus=(plan.focus,), region=(plan.region,))
        assert ids(focus.apply(dataset.cities, broad_of)) == plan.after_focus, plan
        assert ids(both.apply(dataset.cities, broad_of)) == plan.after_region, plan
        assert plan.popup in plan.after_region
    for query in load.SOAK_QUERIES:
        assert ids(Filters(q=query).apply(dataset.cities, broad_of)) == load.search_ids(query)


@pytest.mark.browser
def test_concurrent_sessions_have_no_errors(load: ModuleType, report) -> None:
    """Every session maps all cities, filters twice, opens its popup and gets the right CSV."""
    assert report.load is not None and len(report.load.sessions) == SESSIONS
    assert not report.load.errors, load.render(report)
    assert all(len(s.times) == len(load.STEPS) for s in report.load.sessions), load.render(report)


@pytest.mark.browser
def test_soak_shows_every_change(load: ModuleType, report) -> None:
    """Each of the soak's filter changes shows exactly the matching markers; memory sampled."""
    soak = report.soak
    assert soak.all_matched and soak.done == SOAK_CHANGES, load.render(report)
    assert [n for n, _ in soak.samples] == [0, SOAK_CHANGES], load.render(report)
