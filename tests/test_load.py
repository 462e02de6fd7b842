"""The load script's small version: 3 wire sessions, 3 browser sessions and a 30-change soak.

Correctness only (no errors, every step and soak change shown); the timing and memory targets
belong to the full run on demand (`python benchmarks/load.py`, results in benchmarks/README.md).
The wire client's own checks are tested against a server of their own.
"""

from __future__ import annotations

import asyncio
import dataclasses
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
WIRE_SESSIONS = 3
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
def server(load: ModuleType):
    """Start a dashboard server of its own for the wire client's checks."""
    started = load.start_server("wire-checks")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def report(load: ModuleType):
    """Run the small version once (three fresh servers, one Chromium) for this module."""
    if shutil.which("chromium") is None:
        skip_or_fail("chromium is not installed (apt-get install chromium)")
    result = asyncio.run(load.run(SESSIONS, SOAK_CHANGES, wire_sessions=WIRE_SESSIONS))
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


@pytest.mark.browser
def test_wire_sessions_have_no_errors(load: ModuleType, report) -> None:
    """Over the wire too: every session maps all cities, filters twice, selects, gets the CSV."""
    assert report.wire is not None and len(report.wire.sessions) == WIRE_SESSIONS
    assert not report.wire.errors, load.render(report)
    assert all(len(s.times) == len(load.STEPS) for s in report.wire.sessions), load.render(report)
    assert "Wire: 3 concurrent protocol sessions" in load.render(report)


def test_wire_session_fails_on_a_wrong_expectation(load: ModuleType, server) -> None:
    """A plan whose expected markers are wrong fails at that step with a Mismatch."""
    plan = load.session_plans(1)[0]
    good = asyncio.run(load.run_wire_session(server, 1, plan))
    # The right markers for a different filter: the map is full and the URL right, ids wrong.
    wrong = dataclasses.replace(plan, after_focus=plan.after_region)
    bad = asyncio.run(load.run_wire_session(server, 2, wrong))
    assert good.errors == [] and set(good.times) == set(load.STEPS)
    assert len(bad.errors) == 1 and bad.errors[0].startswith("focus: Mismatch: map has"), bad
    assert set(bad.times) == {"map"}


def test_wire_client_refuses_an_option_the_page_does_not_show(load: ModuleType, server) -> None:
    """A label the multiselect does not offer is an error naming it, not a silent no-op."""

    async def choose_unknown() -> None:
        async with load.wire.WireSession(server.port) as session:
            await session.open(load.QUERY)
            await session.change(focus=["No such focus area"])

    with pytest.raises(load.wire.WireError, match="'focus' has no option 'No such focus area'"):
        asyncio.run(choose_unknown())


def test_browser_time_to_map_is_judged_only_where_attainable(load: ModuleType) -> None:
    """A browser p95 below this machine's lower bound is not counted; above-target wire is."""

    def phase(map_s: float, chromium_alone_s: float):
        sessions = [load.SessionResult(i, load.session_plans(1)[0], {"map": map_s})
                    for i in range(20)]
        cpu = load.CpuUse(1.0, 0.5, chromium_alone_s, 0.5)
        return load.LoadResult(sessions, cpu, cpu, cpu, 0.0, 0.0, 0.0, 0.0)

    cores = os.cpu_count() or 1
    # 19 of 20 maps by the p95 (one alone costing 10 s ÷ 19 × cores): the bound is 10 s.
    slow_machine = load.Report(None, {}, phase(90.0, 10.0 * cores / 19), load.SoakResult(0))
    assert load.browser_floor_s(slow_machine.load) == pytest.approx(10.0)
    assert slow_machine.misses() == []
    assert "not attainable on this machine (lower bound 10.0 s" in "\n".join(
        load.render_load(slow_machine.load))
    fast_machine = load.Report(None, {}, phase(90.0, 0.01), load.SoakResult(0),
                               wire=phase(7.0, 0.0))
    assert fast_machine.misses() == ["wire: p95 time to map 7.00 s (target < 5.0 s)",
                                     "browser: p95 time to map 90.00 s (target < 5.0 s)"]
