"""A few sessions at once and a short soak against the real server: correctness only.

Three wire sessions, three browser sessions, three readers (the capacity search's session:
page files, map, filters, city, Excel file) and a 30-change soak, each step checked against
what innomap's filters give for the shipped data (tests/support/sessions.py). Timings, CPU and memory
belong to the full run on demand (`python benchmarks/load.py`, results in benchmarks/README.md).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from urllib.request import urlopen

import pytest

from tests.support import sessions, wire
from tests.support.harness import ARTIFACTS, Server, async_chromium, start_server

SESSIONS = 3
SOAK_CHANGES = 30


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Serve the dashboard with the shipped data for this module's sessions."""
    app = start_server(ARTIFACTS / "streamlit-load.log")
    yield app
    app.stop()


def in_chromium(run):
    """Return what the coroutine function run(browser) returns, in Debian's Chromium."""
    from tests.support.browser import chromium_path

    chromium_path()  # skips (fails on CI) without Chromium or Playwright

    async def go():
        async with async_chromium() as browser:
            return await run(browser)

    return asyncio.run(go())


def plans() -> list[sessions.Plan]:
    """Return the plans of the concurrent sessions."""
    return sessions.session_plans(SESSIONS)


def assert_clean(results: list[sessions.SessionResult]) -> None:
    """Every session did every step without an error."""
    assert [r.errors for r in results] == [[]] * SESSIONS
    assert [set(r.times) for r in results] == [set(sessions.STEPS)] * SESSIONS


@pytest.mark.browser
def test_concurrent_sessions_have_no_errors(server: Server) -> None:
    """Every session maps all cities, filters twice, opens its popup and gets the right CSV."""
    results = in_chromium(lambda browser: asyncio.gather(*(
        sessions.run_session(browser, server, i, plan) for i, plan in enumerate(plans()))))
    assert_clean(results)


@pytest.mark.browser
def test_soak_shows_every_change(server: Server) -> None:
    """Each of the soak's search changes shows exactly the matching markers; memory sampled."""
    soak = in_chromium(lambda browser: sessions.run_soak(browser, server, SOAK_CHANGES))
    assert (soak.failures, soak.stopped, soak.done) == ([], "", SOAK_CHANGES)
    assert [n for n, _ in soak.samples] == [0, SOAK_CHANGES]


def test_wire_sessions_have_no_errors(server: Server) -> None:
    """Over the wire too: every session maps all cities, filters twice, selects, gets the CSV."""

    async def run_all():
        return await asyncio.gather(*(sessions.run_wire_session(server, i, plan)
                                      for i, plan in enumerate(plans())))

    assert_clean(asyncio.run(run_all()))


def test_a_wrong_expectation_fails_its_step(server: Server) -> None:
    """A plan whose expected markers are wrong fails at that step with a Mismatch."""
    plan = plans()[0]
    # The right markers for a different filter: the map is full and the URL right, ids wrong.
    wrong = dataclasses.replace(plan, after_focus=plan.after_region)
    bad = asyncio.run(sessions.run_wire_session(server, 1, wrong))
    assert len(bad.errors) == 1 and bad.errors[0].startswith("focus: Mismatch: map has"), bad
    assert set(bad.times) == {"map", "total"}


def test_wire_client_refuses_an_option_the_page_does_not_show(server: Server) -> None:
    """A label the multiselect does not offer is an error naming it, not a silent no-op."""

    async def choose_unknown() -> None:
        async with wire.WireSession(server.port) as session:
            await session.open(sessions.QUERY)
            await session.change(focus=["No such focus area"])

    with pytest.raises(wire.WireError, match="'focus' has no option 'No such focus area'"):
        asyncio.run(choose_unknown())


def test_plans_narrow_twice_and_click_a_shown_city() -> None:
    """Each plan's second filter narrows its first, and its popup city stays on the map."""
    for plan in sessions.session_plans(40):
        assert plan.after_region < plan.after_focus < sessions.ALL_IDS, plan
        assert plan.popup in plan.after_region


def test_readers_have_no_errors(server: Server) -> None:
    """A reader (benchmarks/capacity.py) fetches the page's files, maps all cities, filters
    twice, selects a city and gets the Excel file listing exactly the cities shown."""

    async def run_all():
        return await asyncio.gather(*(sessions.run_reader(server.port, i, plan)
                                      for i, plan in enumerate(plans())))

    results = asyncio.run(run_all())
    assert [r.errors for r in results] == [[]] * SESSIONS
    assert [set(r.times) for r in results] == [set(sessions.READER_STEPS)] * SESSIONS


def test_page_files_are_the_scripts_the_page_names(server: Server) -> None:
    """The files a reader fetches are the page's own: Streamlit's entry script among them,
    every one served."""
    with urlopen(server.url()) as answer:
        files = sessions.page_files(answer.read())
    assert any(path.startswith("/static/js/index.") for path in files), files
    statuses = set()
    for path in files:
        with urlopen(server.origin + path) as answer:
            statuses.add(answer.status)
    assert statuses == {200}


def capacity_module():
    """Return benchmarks/capacity.py (the benchmarks folder is scripts, not a package)."""
    import importlib.util
    import sys

    from tests.support.harness import ROOT

    if "capacity" not in sys.modules:
        path = ROOT / "benchmarks" / "capacity.py"
        spec = importlib.util.spec_from_file_location("capacity", path)
        module = importlib.util.module_from_spec(spec)
        # Registered first: its dataclasses look their module up while being made.
        sys.modules["capacity"] = module
        spec.loader.exec_module(module)
    return sys.modules["capacity"]


@pytest.mark.parametrize(("maps", "failed", "limit", "bracket"), [
    # readers → p95 time to map: the most passing below the fewest failing.
    ({1: 0.1, 2: 0.2, 4: 0.5, 8: 1.2}, (), 1.0, (4, 8)),
    ({1: 0.1, 2: 0.2, 4: 0.5, 8: 1.2}, (), 3.0, (8, None)),
    # A noisy level that passes above a failing one does not count.
    ({1: 0.1, 4: 1.5, 6: 0.9}, (), 1.0, (1, 4)),
    # A reader's error fails its level whatever the times.
    ({1: 0.1, 2: 0.2}, (2,), 3.0, (1, 2)),
    ({1: 2.0}, (), 1.0, (0, 1)),
])
def test_capacity_bracket(maps, failed, limit, bracket) -> None:
    """The capacity search's bracket: the figure for a limit, and where to bisect next."""
    capacity = capacity_module()

    def level(readers: int, p95: float):
        results = [sessions.SessionResult(i, plans()[0], {"map": p95}) for i in range(readers)]
        errors = ["an error"] if readers in failed else []
        return capacity.Level(readers, results, 1.0, 1.0, 0.0, 0.0, 0.0, errors)

    levels = {n: level(n, p95) for n, p95 in maps.items()}
    assert capacity.bracket(levels, limit) == bracket


def test_capacity_refuses_a_target_off_loopback() -> None:
    """Traffic goes to loopback only: another host is refused before anything is sent."""
    capacity = capacity_module()
    assert capacity.loopback_port("http://127.0.0.1:8080/") == 8080
    with pytest.raises(ValueError, match="127.0.0.1"):
        capacity.loopback_port("http://innomap.example.fi/")
