"""One user's session, in Chromium or over the wire, checked step by step against the data.

A session opens the map, chooses a focus area, then a macro-region, clicks a city's marker and
downloads the CSV. Each step waits until the page shows exactly the cities innomap's filters
give for the shipped data (and the URL says so), and records its time. The soak changes the
search filter over and over in one session. A reader (run_reader, for the capacity search of
benchmarks/capacity.py) also fetches the page and its files first, and downloads the Excel
file instead of the CSV. tests/test_load.py runs a few sessions at once for correctness;
benchmarks/load.py runs many and measures them.
"""

from __future__ import annotations

import asyncio
import csv
import io
import math
import re
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innomap.cities import load_dataset
from innomap.filters import Filters
from innomap.i18n import t
from innomap.schema import MACRO_REGIONS
from innomap.shipped import CITIES, THEMES
from tests.support import wire, workbook
from tests.support.harness import (
    CONTEXT,
    MAP_FRAME,
    MARKER,
    MARKER_PREFIX,
    VIEW_IS,
    Server,
    view_is_arg,
)

QUERY = "lang=en"
STEPS = ("map", "focus", "region", "popup", "csv", "total")
# A reader (benchmarks/load.py --capacity): the page and its files, then the same filters and
# city, and the Excel file instead of the CSV.
READER_STEPS = ("map", "focus", "region", "city", "xlsx", "total")
# The files Streamlit's page makes a new browser fetch before it opens the WebSocket.
PAGE_FILE = re.compile(r'(?:src|href)="\./((?:static/|favicon)[^"]+)"')
# Generous: only a failing step waits this long, and it then counts as an error.
STEP_TIMEOUT_MS = 60_000
# Many sessions starting at once is the slowest moment: measure up to this long.
MAP_TIMEOUT_MS = 300_000
SESSION_TIMEOUT_S = 600
# Polling the DOM every 50 ms is precise enough for seconds and cheap for 20 pages.
POLL_MS = 50
# Cycled through; each differs from the one before, so every change moves the markers.
SOAK_QUERIES = ("", "health", "water")
SOAK_STEP_TIMEOUT_MS = 30_000
SOAK_SAMPLE_EVERY = 100
# The soak gives up after this many failed changes in a row.
SOAK_MAX_STREAK = 3

DATA = load_dataset(CITIES, THEMES)
BROAD_OF = {f.id: set(f.broad_themes) for f in DATA.taxonomy.focus_areas}
FOCUS_LABELS = {f: DATA.taxonomy.focus_label(f, "en") for f in DATA.taxonomy.focus_ids}
REGION_LABELS = {r: t(f"region.{r}", "en") for r in MACRO_REGIONS}


class Mismatch(Exception):
    """The page showed something other than what the data says it should."""


def expected(**filters: Any) -> frozenset[str]:
    """Return the ids of the shipped cities that innomap's filters keep."""
    return frozenset(Filters(**filters).apply(DATA.cities, BROAD_OF)["id"])


ALL_IDS = expected()


@dataclass(frozen=True)
class Plan:
    """One session's path: a focus area, then a macro-region, then one city's popup."""

    focus: str
    region: str
    after_focus: frozenset[str]
    after_region: frozenset[str]
    popup: str


def session_plans(count: int) -> list[Plan]:
    """Return count plans, cycling through every focus × region pair that narrows twice."""
    pairs = []
    for focus in FOCUS_LABELS:
        by_focus = expected(focus=(focus,))
        for region in REGION_LABELS:
            both = expected(focus=(focus,), region=(region,))
            # Both steps must change the markers, or a stale map would pass the check.
            if both and both != by_focus and by_focus != ALL_IDS:
                pairs.append(Plan(focus, region, by_focus, both, loneliest(both)))
    return [pairs[i % len(pairs)] for i in range(count)]


def loneliest(ids: frozenset[str]) -> str:
    """Return the city farthest from its nearest shown neighbour: its marker is not covered."""

    def km(a: Any, b: Any) -> float:
        dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
        return 111.2 * math.hypot(dx, a.lat - b.lat)

    def gap(city: str) -> float:
        row = DATA.by_id[city]
        return min((km(row, DATA.by_id[other]) for other in ids if other != city),
                   default=math.inf)

    return max(sorted(ids), key=gap)


@dataclass
class SessionResult:
    """What one session took per step (seconds) and why it failed, if it did."""

    index: int
    plan: Plan
    times: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Behind innomap's HAProxy (wire sessions): the replica that first served the session, and
    # the seconds each reconnect to another one took.
    replica: str = ""
    reconnects: list[float] = field(default_factory=list)


class Stopwatch:
    """Time consecutive steps into a dict: each lap since the last, "total" since the start."""

    def __init__(self, times: dict[str, float]) -> None:
        self.times = times
        self.start = self.step = time.perf_counter()

    def lap(self, name: str) -> None:
        """Record the time since the previous lap under name (and the total so far)."""
        now = time.perf_counter()
        self.times[name], self.step = now - self.step, now
        self.times["total"] = now - self.start


def reason(err: BaseException) -> str:
    """Return an error's first line and, from Playwright's call log, what it waited for last."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = lines[0] if lines else type(err).__name__
    calls = [line for line in lines if line.startswith("- ")]
    if calls:
        text += f" [last: {calls[-1][2:]}]"
    return text if len(text) <= 300 else text[:297] + "..."


async def guarded(result: SessionResult, steps: Awaitable[None],
                  names: tuple[str, ...] = STEPS) -> SessionResult:
    """Run a session's steps; whatever stops them becomes its error, naming the step."""
    try:
        async with asyncio.timeout(SESSION_TIMEOUT_S):
            await steps
    # Broad on purpose: a crash, a timeout or a bad CSV is the session's error, with a reason.
    except Exception as err:
        step = next((s for s in names if s not in result.times), "?")
        result.errors.append(f"{step}: {type(err).__name__}: {reason(err)}")
    return result


def check_csv(data: bytes, shown: list[str], wanted: frozenset[str]) -> None:
    """Raise Mismatch unless the CSV's rows and the map's markers are both exactly wanted."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    ids = [row[rows[0].index("id")] for row in rows[1:]] if rows else []
    if len(ids) != len(shown) or set(ids) != wanted or set(shown) != wanted:
        raise Mismatch(f"CSV has {len(ids)} rows, map {len(shown)} markers, "
                       f"expected {len(wanted)}")


def check_xlsx(data: bytes, shown: list[str], wanted: frozenset[str]) -> None:
    """Raise Mismatch unless the Excel file's list and the map's markers are both exactly
    wanted (the list is the first sheet, ids in its first column under a header row)."""
    ids = [str(row[0]) for row in workbook.values(data)[1:] if row]
    if len(ids) != len(shown) or set(ids) != wanted or set(shown) != wanted:
        raise Mismatch(f"Excel list has {len(ids)} rows, map {len(shown)} markers, "
                       f"expected {len(wanted)}")


# ---------------------------------------------------------------- in Chromium


@dataclass
class Watch:
    """Problems a page reported outside our own steps: JS exceptions, failed requests."""

    problems: list[str] = field(default_factory=list)

    @classmethod
    def on(cls, page: Any) -> Watch:
        """Start recording a page before its first navigation."""
        watch = cls()
        page.on("pageerror", lambda err: watch.problems.append(f"page error: {err}"))
        page.on("requestfailed", lambda req: watch.failed(req.url, req.failure))
        page.on("response", lambda res: res.status >= 400 and watch.problems.append(
            f"HTTP {res.status} {res.url}"))
        return watch

    def failed(self, url: str, failure: str | None) -> None:
        """Record a failed request; a download handed to the download manager is not one."""
        if not (failure == "net::ERR_ABORTED" and "/media/" in url):
            self.problems.append(f"request failed: {url} ({failure})")


async def new_page(browser: Any) -> tuple[Any, Any]:
    """Open a fresh context (one Streamlit session) with one English, desktop-sized tab."""
    context = await browser.new_context(**CONTEXT)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    return context, await context.new_page()


async def wait_for_view(page: Any, wanted: frozenset[str],
                        params: dict[str, list[str]] | None = None,
                        timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Wait until the map shows exactly the wanted markers and the URL holds the params.

    The app writes the URL at the end of its run; a change made before the browser has that
    URL is sent with the old one, which the app takes for back/forward navigation.
    """
    from playwright.async_api import Error as PlaywrightError

    try:
        handle = await page.wait_for_function(VIEW_IS, arg=view_is_arg(wanted, params),
                                              timeout=timeout_ms, polling=POLL_MS)
        outcome = await handle.json_value()
    except PlaywrightError as err:
        if "Timeout" not in str(err):
            raise
        outcome = f"timed out with {len(await shown_markers(page))} markers at {page.url}"
    if outcome != "ok":
        raise Mismatch(f"view never became {len(wanted)} markers, URL {params or {}}: {outcome}")


async def shown_markers(page: Any) -> list[str]:
    """Return the ids of the markers on the map now."""
    classes = await page.frame_locator(MAP_FRAME).locator(MARKER).evaluate_all(
        "els => els.map(el => el.getAttribute('class'))")
    return [name.removeprefix(MARKER_PREFIX) for value in classes for name in value.split()
            if name.startswith(MARKER_PREFIX)]


async def open_map(page: Any, server: Server) -> None:
    """Open the app and wait for the map with every city's marker."""
    # Only the map counts: not waiting for the load event keeps that timeout out of the way.
    await page.goto(server.url(QUERY), wait_until="commit")
    await wait_for_view(page, ALL_IDS, timeout_ms=MAP_TIMEOUT_MS)


async def choose_option(page: Any, key: str, label: str) -> None:
    """Pick an option by its visible label in the multiselect with this widget key."""
    from playwright.async_api import expect

    widget = page.locator(f".st-key-{key}")
    # Typing opens the list, already narrowed. Never click the box to open it: Streamlit's
    # multiselect opens on pointerdown and selects on pointerup (press, drag, release), so on
    # a busy machine the list can appear under the pointer before the button is released, and
    # the release picks its first option (issue 14: "Southern Finland" chosen unasked).
    await widget.get_by_role("combobox").fill(label)
    # Click only once the list has narrowed to the one option: until React has rendered the
    # typed text the rows are the unfiltered ones, and a row may show another option by the
    # time the click lands.
    options = page.get_by_role("option")
    await expect(options).to_have_text([label], timeout=STEP_TIMEOUT_MS)
    await options.click()
    await expect(widget.locator(f'[data-tag][aria-label="{label}"]')).to_have_count(
        1, timeout=STEP_TIMEOUT_MS)
    await page.keyboard.press("Escape")


async def open_popup(page: Any, city: str) -> None:
    """Click a city's marker; its popup must open and the city reach the URL."""
    frame = page.frame_locator(MAP_FRAME)
    await frame.locator(f"path.{MARKER_PREFIX}{city}").click()
    # While the app redraws the layer, the closing and the reopened popup can both exist.
    await frame.locator(f'div.innomap-popup[data-city="{city}"]:visible').first.wait_for()
    # The click goes back to the server, which selects the city and writes it to the URL.
    await page.wait_for_function(
        "city => new URLSearchParams(location.search).get('city') === city",
        arg=city, polling=POLL_MS)


async def download_csv(page: Any, wanted: frozenset[str]) -> None:
    """Download the CSV; its rows must be exactly the cities on the map."""
    async with page.expect_download() as info:
        await page.locator(".st-key-download button").click()
    data = Path(await (await info.value).path()).read_bytes()
    check_csv(data, await shown_markers(page), wanted)


async def run_session(browser: Any, server: Server, index: int, plan: Plan,
                      result: SessionResult | None = None) -> SessionResult:
    """Run the scenario in a new browser context; any failure becomes the session's error.

    A result passed in fills as the steps finish (benchmarks/load.py watches it).
    """
    result = result or SessionResult(index, plan)
    context, page = await new_page(browser)
    watch = Watch.on(page)
    try:
        return await guarded(result, _browser_steps(page, server, plan, result.times))
    finally:
        # Taken first: closing the context aborts its requests, which is not the app's fault.
        result.errors += watch.problems
        await context.close()


async def _browser_steps(page: Any, server: Server, plan: Plan, times: dict[str, float]) -> None:
    """Load the map, filter twice, open a popup, download the CSV; time each step."""
    watch = Stopwatch(times)
    await open_map(page, server)
    watch.lap("map")
    await choose_option(page, "focus", FOCUS_LABELS[plan.focus])
    await wait_for_view(page, plan.after_focus, {"focus": [plan.focus]})
    watch.lap("focus")
    await choose_option(page, "region", REGION_LABELS[plan.region])
    await wait_for_view(page, plan.after_region, {"focus": [plan.focus], "region": [plan.region]})
    watch.lap("region")
    await open_popup(page, plan.popup)
    watch.lap("popup")
    await download_csv(page, plan.after_region)
    watch.lap("csv")


# ---------------------------------------------------------------- over the wire


def check_wire_view(view: wire.Snapshot, wanted: frozenset[str],
                    params: dict[str, list[str]] | None = None) -> None:
    """Raise Mismatch unless the run drew exactly the wanted places and wrote the params."""
    shown = set(view.places)
    if shown != wanted or len(view.places) != len(wanted):
        raise Mismatch(f"map has {len(view.places)} places, expected {len(wanted)}: "
                       f"unexpected {sorted(shown - wanted)}, missing {sorted(wanted - shown)}")
    found = view.params()
    if any(found.get(key, []) != values for key, values in (params or {}).items()):
        raise Mismatch(f"URL ?{view.query}, expected it to hold {params}")


async def wire_map(session: wire.WireSession) -> wire.Snapshot:
    """Open the page over the wire; its first run must put every city on the map."""
    view = await session.open(QUERY, MAP_TIMEOUT_MS / 1000)
    check_wire_view(view, ALL_IDS)
    return view


async def run_wire_session(server: Server, index: int, plan: Plan,
                           result: SessionResult | None = None,
                           sticky: bool = False) -> SessionResult:
    """Run the scenario over the wire; any failure becomes the session's error.

    sticky: through innomap's HAProxy, reconnecting as a tab does when its replica dies.
    """
    result = result or SessionResult(index, plan)
    return await guarded(result, _wire_steps(server, plan, result, sticky))


async def _wire_steps(server: Server, plan: Plan, result: SessionResult, sticky: bool) -> None:
    """The browser's steps and checks, each done when the server's run has finished."""
    times = result.times
    async with wire.WireSession(server.port, STEP_TIMEOUT_MS / 1000, sticky) as session:
        result.reconnects = session.reconnects
        watch = Stopwatch(times)
        await wire_map(session)
        result.replica = session.cookie
        watch.lap("map")
        view = await change_filters(session, plan, watch)
        view = await session.click(*view.coordinates[plan.popup])
        seen = (view.params().get("city"), view.details, view.selected)
        if seen != ([plan.popup], plan.popup, plan.popup):
            raise Mismatch(f"after a click on {plan.popup}: URL, details, highlight {seen}")
        watch.lap("popup")
        # The page's link as it is after the click's run, as a user's button has it.
        check_csv(await session.download(view.csv_url), list(view.places), plan.after_region)
        watch.lap("csv")


async def change_filters(session: wire.WireSession, plan: Plan, watch: Stopwatch) -> wire.Snapshot:
    """Choose the plan's focus area, then its region, checking each view; return the last."""
    view = await session.change(focus=[FOCUS_LABELS[plan.focus]])
    check_wire_view(view, plan.after_focus, {"focus": [plan.focus]})
    watch.lap("focus")
    view = await session.change(region=[REGION_LABELS[plan.region]])
    check_wire_view(view, plan.after_region, {"focus": [plan.focus], "region": [plan.region]})
    watch.lap("region")
    return view


def page_files(page: bytes) -> list[str]:
    """Return the server paths of the scripts, styles, fonts and icon the page's HTML names."""
    return sorted({"/" + path for path in PAGE_FILE.findall(page.decode("utf-8"))})


async def run_reader(port: int, index: int, plan: Plan,
                     result: SessionResult | None = None) -> SessionResult:
    """Run a reader's visit on 127.0.0.1:port (one replica, or a proxy in front of several):
    the page and its files, the map, two filters, a city, the Excel file; each step checked.

    Like a browser tab behind a proxy, it keeps the cookie the page set (sticky), so the
    Excel file comes from the replica that made it.
    """
    result = result or SessionResult(index, plan)
    return await guarded(result, _reader_steps(port, plan, result), READER_STEPS)


async def _reader_steps(port: int, plan: Plan, result: SessionResult) -> None:
    """Time to map counts from the page's first byte asked to the first run done."""
    async with wire.WireSession(port, STEP_TIMEOUT_MS / 1000, sticky=True) as session:
        result.reconnects = session.reconnects
        watch = Stopwatch(result.times)
        page = await session.download("/")
        await asyncio.gather(*(session.download(path) for path in page_files(page)))
        view = await session.open(QUERY, MAP_TIMEOUT_MS / 1000, page_fetched=True)
        check_wire_view(view, ALL_IDS)
        result.replica = session.cookie
        watch.lap("map")
        view = await change_filters(session, plan, watch)
        view = await session.click(*view.coordinates[plan.popup])
        if view.params().get("city") != [plan.popup] or view.selected != plan.popup:
            raise Mismatch(f"after a click on {plan.popup}: URL ?{view.query}, "
                           f"highlight {view.selected!r}")
        watch.lap("city")
        check_xlsx(await session.download(view.xlsx_url), list(view.places), plan.after_region)
        watch.lap("xlsx")


# ---------------------------------------------------------------- soak


@dataclass
class SoakResult:
    """The soak: per-change times, failures and the server's memory (change n, MB)."""

    requested: int
    times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    samples: list[tuple[int, float]] = field(default_factory=list)
    stopped: str = ""

    @property
    def done(self) -> int:
        """Return how many changes were attempted."""
        return len(self.times) + len(self.failures)


async def run_soak(browser: Any, server: Server, changes: int) -> SoakResult:
    """In one session, cycle the search filter `changes` times, checking the view each time."""
    result = SoakResult(changes)
    context, page = await new_page(browser)
    watch = Watch.on(page)
    try:
        await open_map(page, server)
        result.samples.append((0, server.rss_mb()))
        await _soak_loop(page, server, result)
    except Exception as err:  # a soak that cannot start says why, like a failed session
        result.stopped = f"could not start: {reason(err)}"
    finally:
        result.failures += watch.problems
        await context.close()
    if result.samples and result.samples[-1][0] != result.done:
        result.samples.append((result.done, server.rss_mb()))
    return result


async def _soak_loop(page: Any, server: Server, result: SoakResult) -> None:
    """Make the changes one by one; each is done when the markers and the URL match."""
    box = page.locator(".st-key-q input")
    streak = 0
    for change in range(1, result.requested + 1):
        query = SOAK_QUERIES[change % len(SOAK_QUERIES)]
        started = time.perf_counter()
        try:
            await box.fill(query)
            await box.press("Enter")
            await wait_for_view(page, expected(q=query), {"q": [query] if query else []},
                                SOAK_STEP_TIMEOUT_MS)
            result.times.append(time.perf_counter() - started)
            streak = 0
        except Exception as err:  # any failed change is counted, with its reason
            result.failures.append(f"change {change} (q={query!r}): {reason(err)}")
            streak += 1
            if streak >= SOAK_MAX_STREAK:
                result.stopped = f"{streak} failed changes in a row"
                return
        if change % SOAK_SAMPLE_EVERY == 0:
            result.samples.append((change, server.rss_mb()))
