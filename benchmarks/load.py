#!/usr/bin/env python3
"""Load test: N concurrent sessions against one `streamlit run`, over the wire and in browsers.

    python benchmarks/load.py [--wire N] [--sessions N] [--soak N] [--check] [--eager]
                              [--set K=V]

Each phase has its own fresh server. Every session loads the map, applies a focus-area and a
macro-region filter, clicks a marker and downloads the CSV, checking each step against the data.
- wire (first): protocol-level clients (wire.py) that speak Streamlit's WebSocket protocol and
  render nothing: the server's own time per step. The p95 time-to-map target is checked here.
- sessions: real Chromium pages, end to end. On a small machine the browsers need more CPU
  than it has; the report then gives a lower bound instead of judging their p95
  (browser_floor_s).
- soak: changes the search filter N times in one browser session and samples server memory.
The browser phases need Playwright (Python) and Debian's `chromium`; all talks to 127.0.0.1
only. Method and results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import math
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # benchmarks/ is not a package

import wire  # noqa: E402

ROOT = HERE.parent
LOG_DIR = ROOT / "test-artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKER = "path.innomap-city"
MARKER_PREFIX = "innomap-city--"
# Every host but 127.0.0.1 fails to resolve, so nothing can leave this machine by accident.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1400, "height": 1000}
QUERY = "lang=en"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10
# Generous: only a failing step waits this long, and it then counts as an error.
STEP_TIMEOUT_MS = 60_000
# The simultaneous start is the slowest moment: measure up to this long rather than cut off.
MAP_TIMEOUT_MS = 300_000
SESSION_TIMEOUT_S = 600
SOAK_STEP_TIMEOUT_MS = 30_000
# The soak gives up after this many failed changes in a row or past its time budget.
SOAK_MAX_STREAK = 3
SOAK_BUDGET_S_PER_CHANGE = 3
SOAK_SAMPLE_EVERY = 100
# Cycled through; each differs from the one before, so every change moves the markers.
SOAK_QUERIES = ("", "health", "water")
# Polling the DOM every 50 ms is precise enough for seconds and cheap for 20 pages.
POLL_MS = 50
RSS_SAMPLE_S = 0.25
SETTLE_S = 2
REGIONS = ("south", "west", "east", "north")
TARGET_ERRORS = 0
TARGET_P95_MAP_S = 5.0
TARGET_GROWTH_MB = 50.0


class Mismatch(Exception):
    """The page showed something other than what the data says it should."""


# ---------------------------------------------------------------- expectations from the data


def _read_json(relative: str) -> dict:
    """Return a JSON file of the shipped data."""
    return json.loads((ROOT / relative).read_text(encoding="utf-8"))


CITIES = [f["properties"] | {"lon": f["geometry"]["coordinates"][0],
                             "lat": f["geometry"]["coordinates"][1]}
          for f in _read_json("data/cities.geojson")["features"]]
FOCUS_LABELS = {f["id"]: f["label"]["en"] for f in _read_json("data/themes.json")["focus_areas"]}
REGION_LABELS = {r: _read_json("data/i18n/en.json")[f"region.{r}"] for r in REGIONS}
ALL_IDS = frozenset(c["id"] for c in CITIES)


def fold(text: str) -> str:
    """Normalise text as the app's search does: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def search_ids(query: str) -> frozenset[str]:
    """Return the cities whose names or priorities (any language) contain the query."""
    needle = fold(query)
    return frozenset(c["id"] for c in CITIES
                     if needle in fold(" | ".join([*c["name"].values(),
                                                   *c["priorities"].values()])))


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
        by_focus = frozenset(c["id"] for c in CITIES if focus in c["themes"])
        for region in REGIONS:
            both = frozenset(c["id"] for c in CITIES
                             if c["id"] in by_focus and c["macro_region"] == region)
            # Both steps must change the markers, or a stale map would pass the check.
            if both and both != by_focus and by_focus != ALL_IDS:
                pairs.append(Plan(focus, region, by_focus, both, loneliest(both)))
    return [pairs[i % len(pairs)] for i in range(count)]


def loneliest(ids: frozenset[str]) -> str:
    """Return the city farthest from its nearest shown neighbour: its marker is not covered."""
    shown = [c for c in CITIES if c["id"] in ids]

    def gap(city: dict) -> float:
        return min((km(city, other) for other in shown if other is not city), default=math.inf)

    return max(shown, key=lambda c: (gap(c), c["id"]))["id"]


def km(a: dict, b: dict) -> float:
    """Return the rough distance between two cities (equirectangular; fine within Finland)."""
    dx = (a["lon"] - b["lon"]) * math.cos(math.radians((a["lat"] + b["lat"]) / 2))
    return 111.2 * math.hypot(dx, a["lat"] - b["lat"])


# ---------------------------------------------------------------- the server under test


@dataclass
class Server:
    """A `streamlit run dashboard.py` process on a loopback port, logging to a file."""

    process: subprocess.Popen
    port: int
    log_path: Path

    def url(self, query: str = "") -> str:
        """Return the app's URL with an optional query string."""
        return f"http://127.0.0.1:{self.port}/" + (f"?{query}" if query else "")

    def rss_mb(self) -> float:
        """Return the server's resident memory in MB (VmRSS from /proc; no psutil needed)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(kib) / 1024

    def cpu_s(self) -> float:
        """Return the CPU time (user + system, seconds) the server has used so far."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # After the command name, stat's field 3 is index 0: utime (14) and stime (15).
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, chars: int = 4000) -> str:
        """Return the end of what the server printed."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def stop(self) -> None:
        """Terminate the server, killing it if it does not exit in time."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(name: str, options: tuple[str, ...] = ()) -> Server:
    """Start the dashboard with the running Python; return once /_stcore/health answers.

    Each option is "section.name=value", passed on as a Streamlit command-line flag.
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    for option in options:
        key, _, value = option.partition("=")
        command += [f"--{key}", value]
    # The shipped data and config only: no data overrides or STREAMLIT_* settings leak in.
    env = {k: v for k, v in os.environ.items()
           if k not in ("INNOMAP_DATA", "INNOMAP_THEMES") and not k.startswith("STREAMLIT_")}
    LOG_DIR.mkdir(exist_ok=True)
    log_path = LOG_DIR / f"load-{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = Server(process, port, log_path)
    try:
        wait_until_healthy(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_healthy(server: Server) -> None:
    """Poll the health endpoint until it answers; fail at once if the process dies."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urlopen(server.url("").rstrip("/") + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (URLError, OSError):
            pass
        try:
            code = server.process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with {code}:\n{server.log_tail()}")
    raise RuntimeError(f"streamlit not healthy after {START_TIMEOUT_S} s:\n{server.log_tail()}")


# ---------------------------------------------------------------- browser steps


@dataclass
class Watch:
    """Problems a page reported outside our own steps: JS exceptions, failed requests."""

    problems: list[str] = field(default_factory=list)

    @classmethod
    def on(cls, page: Page) -> Watch:
        """Start recording a page before its first navigation."""
        watch = cls()
        page.on("pageerror", lambda err: watch.problems.append(f"page error: {err}"))
        page.on("requestfailed", lambda req: watch._failed(req.url, req.failure))
        page.on("response", lambda res: res.status >= 400 and watch.problems.append(
            f"HTTP {res.status} {res.url}"))
        return watch

    def _failed(self, url: str, failure: str | None) -> None:
        # A download is handed to the download manager: the renderer sees it as aborted.
        if not (failure == "net::ERR_ABORTED" and "/media/" in url):
            self.problems.append(f"request failed: {url} ({failure})")


async def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """Open a fresh context (one Streamlit session) with one English, desktop-sized tab."""
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US",
                                        accept_downloads=True)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    return context, await context.new_page()


# Runs in the page (the component iframe is same-origin). Returns "ok", the app's error text
# (so a crash fails at once instead of at the timeout), or false to keep polling.
_VIEW_IS = """([frameSelector, marker, prefix, wanted, params]) => {
    const crash = document.querySelector(
        '[data-testid="stException"], [data-testid="stAlertContentError"]');
    if (crash) return "the app showed an error: " + crash.innerText.slice(0, 200);
    const frame = document.querySelector(frameSelector);
    const doc = frame && frame.contentDocument;
    if (!doc || frame.getBoundingClientRect().height <= 0) return false;
    const ids = [...doc.querySelectorAll(marker)].map(el =>
        ([...el.classList].find(c => c.startsWith(prefix)) || "").slice(prefix.length));
    if (JSON.stringify(ids.sort()) !== JSON.stringify(wanted)) return false;
    const search = new URLSearchParams(location.search);
    return Object.entries(params).every(([key, values]) =>
        JSON.stringify(search.getAll(key)) === JSON.stringify(values)) && "ok";
}"""

_STATE = """([frameSelector, marker]) => {
    const frame = document.querySelector(frameSelector);
    const doc = frame && frame.contentDocument;
    return {markers: doc ? doc.querySelectorAll(marker).length : "no map",
            box: document.querySelector('.st-key-q input')?.value,
            url: location.search,
            headline: document.querySelector('h3')?.innerText,
            running: !!document.querySelector('[data-testid="stStatusWidget"]')};
}"""


async def wait_for_view(page: Page, wanted: frozenset[str],
                        params: dict[str, list[str]] | None = None,
                        timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Wait until the map shows exactly the wanted markers and the URL holds the params.

    The app writes the URL at the end of its run; a change made before the browser has that
    URL is sent with the old one, which the app takes for back/forward navigation.
    """
    try:
        handle = await page.wait_for_function(
            _VIEW_IS, arg=[MAP_FRAME, MARKER, MARKER_PREFIX, sorted(wanted), params or {}],
            timeout=timeout_ms, polling=POLL_MS)
        outcome = await handle.json_value()
    except PlaywrightError as err:
        if "Timeout" not in str(err):
            raise
        outcome = f"timed out; {await page_state(page)}"
    if outcome != "ok":
        raise Mismatch(f"view never became {len(wanted)} markers, URL {params or {}}: {outcome}")


async def shown_markers(page: Page) -> list[str]:
    """Return the ids of the markers on the map now."""
    classes = await page.frame_locator(MAP_FRAME).locator(MARKER).evaluate_all(
        "els => els.map(el => el.getAttribute('class'))")
    return [name.removeprefix(MARKER_PREFIX) for value in classes for name in value.split()
            if name.startswith(MARKER_PREFIX)]


async def page_state(page: Page) -> str:
    """Describe what the page shows now (markers, search box, URL, headline) for a report."""
    try:
        state = await page.evaluate(_STATE, [MAP_FRAME, MARKER])
    except PlaywrightError as err:
        return f"page state unknown: {reason(err)}"
    return ", ".join(f"{key} {value!r}" for key, value in state.items())


async def open_map(page: Page, server: Server) -> None:
    """Open the app and wait for the map with every city's marker."""
    # Only the map counts: not waiting for the load event keeps that timeout out of the way.
    await page.goto(server.url(QUERY), wait_until="commit")
    await wait_for_view(page, ALL_IDS, timeout_ms=MAP_TIMEOUT_MS)


async def choose_option(page: Page, key: str, label: str) -> None:
    """Pick an option by its visible label in the multiselect with this widget key."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    await box.click()
    # The list renders only its first options until scrolled: typing brings the one we want.
    await box.fill(label)
    await page.get_by_role("option", name=label, exact=True).click()
    await page.keyboard.press("Escape")


async def open_popup(page: Page, city: str) -> None:
    """Click a city's marker; check its popup opens and the app selects that city."""
    frame = page.frame_locator(MAP_FRAME)
    await frame.locator(f"path.{MARKER_PREFIX}{city}").click()
    # While the app redraws the layer, the closing and the reopened popup can both exist.
    popup = frame.locator(f'div.innomap-popup[data-city="{city}"]:visible').first
    try:
        await popup.wait_for()
    except PlaywrightError as err:
        opened = await frame.locator("div.innomap-popup").evaluate_all(
            "els => els.map(el => el.dataset.city)")
        raise Mismatch(f"popup of {city} not shown ({reason(err)}); "
                       f"popups in the page: {opened}") from err
    # The click goes back to the server, which selects the city and writes it to the URL.
    await page.wait_for_function(
        "city => new URLSearchParams(location.search).get('city') === city",
        arg=city, polling=POLL_MS)


async def download_csv(page: Page, wanted: frozenset[str]) -> None:
    """Download the CSV; its rows must be exactly the cities on the map."""
    async with page.expect_download() as info:
        await page.locator(".st-key-download button").click()
    download = await info.value
    data = Path(await download.path()).read_bytes()
    check_csv(data, await shown_markers(page), wanted)


def check_csv(data: bytes, shown: list[str], wanted: frozenset[str]) -> None:
    """Raise Mismatch unless the CSV's rows and the map's markers are both exactly wanted."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    ids = [row[rows[0].index("id")] for row in rows[1:]] if rows else []
    if len(ids) != len(shown) or set(ids) != wanted or set(shown) != wanted:
        raise Mismatch(f"CSV has {len(ids)} rows, map {len(shown)} markers, "
                       f"expected {len(wanted)}")


# ---------------------------------------------------------------- one session's scenario

STEPS = ("map", "focus", "region", "popup", "csv", "total")


@dataclass
class SessionResult:
    """What one session took per step (seconds) and why it failed, if it did."""

    index: int
    plan: Plan
    times: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


async def run_session(browser: Browser, server: Server, index: int,
                      plan: Plan) -> SessionResult:
    """Run the scenario in a new context; every exception or mismatch becomes an error."""
    result, context, watch = SessionResult(index, plan), None, Watch()
    try:
        async with asyncio.timeout(SESSION_TIMEOUT_S):
            context, page = await new_page(browser)
            watch = Watch.on(page)
            await _scenario(page, server, plan, result.times)
    # Broad on purpose: whatever stops a session (a crash, a bad CSV) is its error, with a reason.
    except Exception as err:
        step = next((s for s in STEPS if s not in result.times), "?")
        result.errors.append(f"{step}: {type(err).__name__}: {reason(err)}")
    finally:
        # Taken first: closing the context aborts its requests, which is not the app's fault.
        result.errors += watch.problems
        if context is not None:
            await context.close()
    return result


class Stopwatch:
    """Time consecutive steps into a dict: each lap since the last, "total" since the start."""

    def __init__(self, times: dict[str, float]) -> None:
        self.times = times
        self.start = self.step = time.perf_counter()

    def lap(self, name: str) -> None:
        """Record the time since the previous lap under name."""
        now = time.perf_counter()
        self.times[name], self.step = now - self.step, now

    def done(self) -> None:
        """Record the whole scenario's time."""
        self.times["total"] = time.perf_counter() - self.start


async def _scenario(page: Page, server: Server, plan: Plan, times: dict[str, float]) -> None:
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
    watch.done()


def reason(err: BaseException) -> str:
    """Return an error's first line and, from Playwright's call log, what it waited for last."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = lines[0] if lines else type(err).__name__
    calls = [line for line in lines if line.startswith("- ")]
    if calls:
        text += f" [last: {calls[-1][2:]}]"
    return text if len(text) <= 300 else text[:297] + "..."


# ---------------------------------------------------------------- wire steps (no browser)


def check_wire_view(view: wire.Snapshot, wanted: frozenset[str],
                    params: dict[str, list[str]] | None = None) -> None:
    """Raise Mismatch unless the run drew exactly the wanted places and wrote the params."""
    shown = sorted(view.places)
    if shown != sorted(wanted):
        raise Mismatch(f"map has {len(shown)} places, expected {len(wanted)}: "
                       f"unexpected {sorted(set(shown) - wanted)}, "
                       f"missing {sorted(wanted - set(shown))}")
    found = view.params()
    if any(found.get(key, []) != values for key, values in (params or {}).items()):
        raise Mismatch(f"URL ?{view.query}, expected it to hold {params}")


async def wire_map(session: wire.WireSession) -> wire.Snapshot:
    """Open the page over the wire; its first run must put every city on the map."""
    view = await session.open(QUERY, MAP_TIMEOUT_MS / 1000)
    check_wire_view(view, ALL_IDS)
    return view


async def wire_popup(session: wire.WireSession, view: wire.Snapshot,
                     city: str) -> wire.Snapshot:
    """Click the city's marker; the app must select it: URL, details panel, map highlight."""
    if city not in view.coordinates:
        raise Mismatch(f"no marker of {city} to click; the map has {sorted(view.places)}")
    after = await session.click(*view.coordinates[city])
    seen = {"URL": after.params().get("city", []), "details": after.details,
            "highlight": after.selected}
    if seen != {"URL": [city], "details": city, "highlight": city}:
        raise Mismatch(f"after a click on {city}'s marker the page shows {seen}")
    return after


async def run_wire_session(server: Server, index: int, plan: Plan) -> SessionResult:
    """Run the scenario over the wire; every exception or mismatch becomes an error."""
    result = SessionResult(index, plan)
    try:
        async with asyncio.timeout(SESSION_TIMEOUT_S):
            async with wire.WireSession(server.port, STEP_TIMEOUT_MS / 1000) as session:
                await _wire_scenario(session, plan, result.times)
    # Broad on purpose, as in run_session: whatever stops a session is its error.
    except Exception as err:
        step = next((s for s in STEPS if s not in result.times), "?")
        result.errors.append(f"{step}: {type(err).__name__}: {reason(err)}")
    return result


async def _wire_scenario(session: wire.WireSession, plan: Plan,
                         times: dict[str, float]) -> None:
    """The browser scenario's steps and checks, each done when the server's run finishes."""
    watch = Stopwatch(times)
    await wire_map(session)
    watch.lap("map")
    view = await session.change(focus=[FOCUS_LABELS[plan.focus]])
    check_wire_view(view, plan.after_focus, {"focus": [plan.focus]})
    watch.lap("focus")
    view = await session.change(region=[REGION_LABELS[plan.region]])
    check_wire_view(view, plan.after_region, {"focus": [plan.focus], "region": [plan.region]})
    watch.lap("region")
    view = await wire_popup(session, view, plan.popup)
    watch.lap("popup")
    # The link of the page as it is now, after the click's run, as a user's button has it.
    check_csv(await session.download(view.csv_url), list(view.places), plan.after_region)
    watch.lap("csv")
    watch.done()


# ---------------------------------------------------------------- CPU accounting


def process_table() -> dict[int, tuple[int, int]]:
    """Return pid → (parent pid, CPU ticks of itself and its reaped children) from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # not a process, or it just exited
        # After the command name, index 0 is stat field 3: ppid is 4, CPU times are 14–17.
        table[int(entry.name)] = (int(stat[1]), sum(int(f) for f in stat[11:15]))
    return table


def browser_cpu_s(server_pid: int) -> float:
    """Return the CPU seconds of this script's child processes but the server: Chromium."""
    table = process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    todo, ticks = [p for p in children.get(os.getpid(), []) if p != server_pid], 0
    while todo:
        pid = todo.pop()
        ticks += table[pid][1]
        todo += children.get(pid, [])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """Return (busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


@dataclass
class CpuUse:
    """CPU used over one stretch of wall time: server, our Chromium, this script, machine."""

    wall_s: float
    server_s: float
    browser_s: float
    machine_busy: float
    client_s: float = 0.0

    def describe(self, wire: bool = False) -> str:
        """Return one line for the report; over the wire the clients are this script."""
        clients = (f"wire clients (this script) {self.client_s:.1f} s" if wire
                   else f"Chromium {self.browser_s:.1f} s")
        return (f"CPU over {self.wall_s:.1f} s: server {self.server_s:.1f} s · {clients} · "
                f"machine busy {self.machine_busy:.0%} of {os.cpu_count()} cores "
                f"(other users' work included)")


class CpuMeter:
    """Measure CPU use between creation and stop(), from /proc."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.start = self._read()

    def _read(self) -> tuple[float, float, float, tuple[int, int], float]:
        """Return wall clock, server CPU, Chromium CPU, machine ticks and own CPU now."""
        return (time.perf_counter(), self.server.cpu_s(),
                browser_cpu_s(self.server.process.pid), machine_ticks(), time.process_time())

    def stop(self) -> CpuUse:
        """Return what was used since creation."""
        end = self._read()
        busy, total = (end[3][i] - self.start[3][i] for i in (0, 1))
        return CpuUse(end[0] - self.start[0], end[1] - self.start[1], end[2] - self.start[2],
                      busy / total if total else math.nan, end[4] - self.start[4])


# ---------------------------------------------------------------- the phases


@dataclass
class LoadResult:
    """A concurrent phase (wire or browser): per-session results, server CPU and memory."""

    sessions: list[SessionResult]
    warmup: CpuUse
    alone: CpuUse
    cpu: CpuUse
    rss_start: float
    rss_before: float
    rss_peak: float
    rss_after: float

    @property
    def errors(self) -> list[str]:
        """Return every session's errors, each prefixed with its session number."""
        return [f"session {s.index}: {e}" for s in self.sessions for e in s.errors]

    @property
    def failed(self) -> int:
        """Return how many sessions had at least one error."""
        return sum(1 for s in self.sessions if s.errors)

    def times(self, step: str) -> list[float]:
        """Return the step's duration in every session that got that far."""
        return [s.times[step] for s in self.sessions if step in s.times]

    def map_times(self) -> list[float]:
        """Return every session's time to map, infinite where the map never came."""
        return [s.times.get("map", math.inf) for s in self.sessions]


async def run_load(browser: Browser, server: Server, count: int) -> LoadResult:
    """Warm the server with one page load, then run count browser sessions at once."""
    return await run_concurrent(server, count, lambda: solo_load(browser, server),
                                lambda index, plan: run_session(browser, server, index, plan))


async def run_wire(server: Server, count: int) -> LoadResult:
    """Warm the server with one page load, then run count wire sessions at once."""
    return await run_concurrent(server, count, lambda: solo_wire(server),
                                lambda index, plan: run_wire_session(server, index, plan))


async def run_concurrent(server: Server, count: int, solo, session) -> LoadResult:
    """Time two lone map loads (solo), then count sessions at once with their plans."""
    rss_start = server.rss_mb()
    # The first run pays for imports and the data load once per server, not per user.
    warmup = await solo()
    alone = await solo()
    rss_before = server.rss_mb()
    peak = [rss_before]
    meter = CpuMeter(server)
    sampler = asyncio.create_task(sample_peak(server, peak))
    try:
        sessions = await asyncio.gather(*(session(i + 1, plan)
                                          for i, plan in enumerate(session_plans(count))))
    finally:
        sampler.cancel()
    cpu = meter.stop()
    # Give the server a moment to notice the closed sockets and drop the sessions.
    await asyncio.sleep(SETTLE_S)
    return LoadResult(list(sessions), warmup, alone, cpu, rss_start, rss_before,
                      max(peak + [server.rss_mb()]), server.rss_mb())


async def solo_load(browser: Browser, server: Server) -> CpuUse:
    """Load the map in one fresh session, alone; return its time and CPU use."""
    context, page = await new_page(browser)
    try:
        meter = CpuMeter(server)
        await open_map(page, server)
        return meter.stop()
    finally:
        await context.close()


async def solo_wire(server: Server) -> CpuUse:
    """Load the map in one fresh wire session, alone; return its time and CPU use."""
    async with wire.WireSession(server.port, STEP_TIMEOUT_MS / 1000) as session:
        meter = CpuMeter(server)
        await wire_map(session)
        return meter.stop()


async def sample_peak(server: Server, peak: list[float]) -> None:
    """Keep the highest server RSS seen in peak[0] until cancelled."""
    while True:
        peak[0] = max(peak[0], server.rss_mb())
        await asyncio.sleep(RSS_SAMPLE_S)


@dataclass
class SoakResult:
    """The soak: changes done, per-change times, failures and the server's memory samples."""

    requested: int
    eager: bool = False
    times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    samples: list[tuple[int, float]] = field(default_factory=list)
    cpu: CpuUse | None = None
    stopped: str = ""

    @property
    def done(self) -> int:
        """Return how many changes were attempted."""
        return len(self.times) + len(self.failures)

    @property
    def growth_mb(self) -> float:
        """Return the server's RSS at the end minus at the start."""
        return self.samples[-1][1] - self.samples[0][1] if self.samples else math.nan

    @property
    def all_matched(self) -> bool:
        """Tell whether every requested change happened and showed exactly the right markers."""
        return not self.failures and self.done == self.requested


async def run_soak(browser: Browser, server: Server, changes: int,
                   eager: bool = False) -> SoakResult:
    """In one session, cycle the search filter `changes` times, checking the view each time."""
    result = SoakResult(changes, eager)
    if changes <= 0:
        return result
    context, page = await new_page(browser)
    watch = Watch.on(page)
    try:
        await open_map(page, server)
        result.samples.append((0, server.rss_mb()))
        meter = CpuMeter(server)
        await _soak_loop(page, server, result)
        result.cpu = meter.stop()
    except (PlaywrightError, Mismatch) as err:
        result.stopped = f"could not start: {reason(err)}"
    finally:
        result.failures += watch.problems
        await context.close()
    if result.samples and result.samples[-1][0] != result.done:
        result.samples.append((result.done, server.rss_mb()))
    return result


async def _soak_loop(page: Page, server: Server, result: SoakResult) -> None:
    """Make the changes one by one; stop early on a failure streak or past the time budget.

    A change is done when the markers match and, unless eager, the URL shows the new search.
    """
    box = page.locator(".st-key-q input")
    deadline = time.monotonic() + 60 + SOAK_BUDGET_S_PER_CHANGE * result.requested
    streak = 0
    for change in range(1, result.requested + 1):
        if time.monotonic() > deadline:
            result.stopped = f"time budget spent after {change - 1} changes"
            return
        query = SOAK_QUERIES[change % len(SOAK_QUERIES)]
        started = time.perf_counter()
        try:
            await box.fill(query)
            await box.press("Enter")
            url = None if result.eager else {"q": [query] if query else []}
            await wait_for_view(page, search_ids(query), url, SOAK_STEP_TIMEOUT_MS)
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


# ---------------------------------------------------------------- report


@dataclass
class Report:
    """Everything one run measured, plus the machine it ran on."""

    started: datetime
    machine: dict[str, str]
    load: LoadResult | None
    soak: SoakResult
    run_s: float = 0.0
    load_avg_end: str = ""
    options: tuple[str, ...] = ()
    wire: LoadResult | None = None

    def misses(self) -> list[str]:
        """Return the targets this run missed, in words (empty when all are met).

        The p95 time to map is judged on the wire phase, and on the browser phase only where
        this machine could meet it at all (see browser_floor_s).
        """
        misses = []
        if self.wire is not None:
            misses += phase_misses("wire", self.wire, judge_map=True)
        if self.load is not None:
            misses += phase_misses("browser", self.load,
                                   judge_map=browser_floor_s(self.load) < TARGET_P95_MAP_S)
        if self.soak.requested:
            if not self.soak.all_matched:
                misses.append(f"soak: {len(self.soak.failures)} failures, "
                              f"{self.soak.done} of {self.soak.requested} changes")
            if not self.soak.growth_mb < TARGET_GROWTH_MB:
                misses.append(f"soak memory growth {self.soak.growth_mb:+.1f} MB "
                              f"(target < {TARGET_GROWTH_MB:.0f} MB)")
        return misses


def phase_misses(name: str, result: LoadResult, judge_map: bool) -> list[str]:
    """Return a concurrent phase's missed targets: errors, and time to map when judged."""
    misses = []
    if len(result.errors) > TARGET_ERRORS:
        misses.append(f"{name}: {len(result.errors)} errors (target {TARGET_ERRORS})")
    p95 = percentile(result.map_times(), 95)
    if judge_map and not map_target_met(p95):
        misses.append(f"{name}: p95 time to map {seconds(p95)} "
                      f"(target < {TARGET_P95_MAP_S} s)")
    return misses


def map_target_met(p95: float | None) -> bool:
    """Tell whether a p95 time to map meets the target."""
    return p95 is not None and p95 < TARGET_P95_MAP_S


def maps_by_p95(sessions: int) -> int:
    """Return how many maps must have come by the p95 time to map (percentile's ranks)."""
    return math.floor((sessions - 1) * 95 / 100) + 1


def browser_floor_s(load: LoadResult) -> float:
    """Return a lower bound on the browser phase's p95 time to map on this machine.

    The sessions start together and share the cores; each page load needs at least the
    Chromium CPU one load needed alone. The p95 is at least the m-th fastest time (m =
    maps_by_p95), and m maps need m × that CPU: not possible in less than that ÷ cores.
    The server's own CPU is left out, so the bound stays low.
    """
    return maps_by_p95(len(load.sessions)) * load.alone.browser_s / (os.cpu_count() or 1)


def percentile(values: list[float], q: float) -> float | None:
    """Return the q-th percentile, interpolating between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    if rank == low or math.isinf(ordered[low]):
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def fmt(value: float | None, digits: int = 2) -> str:
    """Format a number for the table ('–' when missing, 'never' for a map that never came)."""
    if value is None or math.isnan(value):
        return "–"
    return "never" if math.isinf(value) else f"{value:.{digits}f}"


def seconds(value: float | None) -> str:
    """Format a duration with its unit, or say the map never came."""
    text = fmt(value)
    return text if text in ("–", "never") else f"{text} s"


def verdict(ok: bool) -> str:
    """Return the table's word for a target met or missed."""
    return "met" if ok else "MISSED"


def render(report: Report) -> str:
    """Return the printed report: machine, wire, browser and soak tables, targets, errors."""
    m = report.machine
    lines = [f"innomap load test · {report.started:%Y-%m-%d %H:%M} UTC · run took "
             f"{report.run_s:.0f} s",
             f"machine: nproc {m['nproc']} · {m['memory']} RAM · CPU {m['cpu']}",
             f"load average (1/5/15 min): {m['loadavg']} at start, {report.load_avg_end} at end",
             f"software: Python {m['python']} · Streamlit {m['streamlit']} · streamlit-folium "
             f"{m['streamlit_folium']} · websockets {m['websockets']} · Playwright "
             f"{m['playwright']} · Chromium {m['chromium']}",
             "server options: " + (" ".join(report.options) or "only .streamlit/config.toml"),
             ""]
    if report.wire is not None:
        lines += render_wire(report.wire)
    if report.load is not None:
        lines += render_load(report.load)
    if report.soak.requested:
        lines += render_soak(report.soak)
    misses = report.misses()
    lines.append("targets: " + ("all met" if not misses else "MISSED: " + "; ".join(misses)))
    return "\n".join(lines)


WIRE_STEP_NAMES = {"map": "time to map (connect → run done)",
                   "focus": "focus filter → run done", "region": "region filter → run done",
                   "popup": "marker click → city selected", "csv": "CSV GET + check",
                   "total": "whole scenario"}
BROWSER_STEP_NAMES = {"map": "time to map (goto → 20 markers)",
                      "focus": "focus filter → markers", "region": "region filter → markers",
                      "popup": "marker click → popup + URL", "csv": "CSV download + check",
                      "total": "whole scenario"}


def render_wire(result: LoadResult) -> list[str]:
    """Return the wire phase's lines: the server's time per step, without any rendering."""
    n, alone = len(result.sessions), result.alone
    p95 = percentile(result.map_times(), 95)
    head = [f"Wire: {n} concurrent protocol sessions (WebSocket clients, nothing rendered), "
            "one server",
            "  server-side time without rendering: a step ends when the server's run is done"]
    solo = (f"  not counted, one session alone: first on the fresh server "
            f"{result.warmup.wall_s:.2f} s, then {alone.wall_s:.2f} s to map "
            f"(server CPU {alone.server_s:.1f} s, this script {alone.client_s:.1f} s)")
    judged = (f"  p95 time to map: {seconds(p95)} (target < {TARGET_P95_MAP_S:.0f} s) → "
              f"{verdict(map_target_met(p95))}")
    return head + phase_lines(result, WIRE_STEP_NAMES, solo, result.cpu.describe(wire=True),
                              judged)


def render_load(load: LoadResult) -> list[str]:
    """Return the browser phase's lines; its time to map is judged only where attainable."""
    n, alone = len(load.sessions), load.alone
    p95, floor = percentile(load.map_times(), 95), browser_floor_s(load)
    head = [f"Browser: {n} concurrent sessions (one Chromium, one context each), one server, "
            "end to end"]
    solo = (f"  not counted, one session alone: first on the fresh server "
            f"{load.warmup.wall_s:.2f} s, then {alone.wall_s:.2f} s to map "
            f"(server CPU {alone.server_s:.1f} s, Chromium {alone.browser_s:.1f} s)")
    bound = (f"lower bound {floor:.1f} s = {maps_by_p95(n)} of {n} maps × Chromium "
             f"{alone.browser_s:.1f} s for one alone ÷ {os.cpu_count()} cores")
    if floor >= TARGET_P95_MAP_S:
        judged = (f"  p95 time to map: {seconds(p95)} (target < {TARGET_P95_MAP_S:.0f} s) → "
                  f"not attainable on this machine ({bound}); not counted")
    else:
        judged = (f"  p95 time to map: {seconds(p95)} (target < {TARGET_P95_MAP_S:.0f} s; "
                  f"{bound}) → {verdict(map_target_met(p95))}")
    return head + phase_lines(load, BROWSER_STEP_NAMES, solo, load.cpu.describe(), judged)


def phase_lines(result: LoadResult, names: dict[str, str], solo: str, cpu: str,
                judged: str) -> list[str]:
    """Return a concurrent phase's step table, CPU, memory, errors and time-to-map verdict."""
    n = len(result.sessions)
    lines = [f"  {'step (seconds)':<36}{'p50':>8}{'p95':>8}{'max':>8}{'n':>5}"]
    for step in STEPS:
        values = result.map_times() if step == "map" else result.times(step)
        lines.append(f"  {names[step]:<36}{fmt(percentile(values, 50)):>8}"
                     f"{fmt(percentile(values, 95)):>8}{fmt(max(values, default=None)):>8}"
                     f"{sum(map(math.isfinite, values)):>5}")
    lines += [solo,
              f"  all {n} sessions done in {result.cpu.wall_s:.1f} s",
              f"  {cpu}",
              f"  server RSS (MB): at start {result.rss_start:.1f} · before sessions "
              f"{result.rss_before:.1f} · peak {result.rss_peak:.1f} · after "
              f"{result.rss_after:.1f}",
              f"  errors: {len(result.errors)} in {result.failed} of {n} sessions "
              f"(target {TARGET_ERRORS}) → {verdict(len(result.errors) <= TARGET_ERRORS)}",
              judged]
    lines += [f"    {error}" for error in result.errors[:40]]
    return lines + [""]


def render_soak(soak: SoakResult) -> list[str]:
    """Return the soak's lines: changes, timings, memory series, growth."""
    samples = " · ".join(f"{n}: {rss:.1f}" for n, rss in soak.samples)
    lines = [f"Soak: {soak.requested} search-filter changes in one session, fresh server"
             + (" (eager: not waiting for the URL)" if soak.eager else ""),
             f"  changes done {soak.done}, markers matched {len(soak.times)}, "
             f"failures {len(soak.failures)} → {verdict(soak.all_matched)}"
             + (f" (stopped: {soak.stopped})" if soak.stopped else ""),
             f"  per change (s): p50 {fmt(percentile(soak.times, 50))} · p95 "
             f"{fmt(percentile(soak.times, 95))} · max {fmt(max(soak.times, default=None))}"
             f" · total {sum(soak.times):.0f}",
             f"  {soak.cpu.describe() if soak.cpu else 'CPU not measured'}",
             f"  server RSS (MB) after change n: {samples}",
             f"  growth: {soak.growth_mb:+.1f} MB (target < {TARGET_GROWTH_MB:.0f} MB) → "
             f"{verdict(soak.growth_mb < TARGET_GROWTH_MB)}"]
    lines += [f"    {failure}" for failure in soak.failures[:20]]
    return lines + [""]


def machine() -> dict[str, str]:
    """Describe the machine and software versions for the report (Chromium's once started)."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    meminfo = Path("/proc/meminfo").read_text().split()
    memory_gib = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    return {"nproc": str(os.cpu_count()), "memory": f"{memory_gib:.1f} GiB", "cpu": cpu,
            "loadavg": load_average(), "python": platform.python_version(),
            "streamlit": version("streamlit"), "streamlit_folium": version("streamlit-folium"),
            "websockets": version("websockets"), "playwright": version("playwright"),
            "chromium": "not started"}


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages (others' work on the machine counts)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---------------------------------------------------------------- entry points


async def run(sessions: int, soak: int, eager: bool = False,
              options: tuple[str, ...] = (), wire_sessions: int = 0) -> Report:
    """Run the phases asked for, each on its own fresh server: wire, browser sessions, soak."""
    started, clock = datetime.now(UTC), time.perf_counter()
    report = Report(started, machine(), None, SoakResult(0), options=options)
    # First, and before Chromium starts: nothing but the server and the clients runs.
    if wire_sessions > 0:
        report.wire = await with_server("wire", options,
                                        lambda s: run_wire(s, wire_sessions))
    if sessions > 0 or soak > 0:
        await run_browser_phases(report, sessions, soak, eager, options)
    report.run_s, report.load_avg_end = time.perf_counter() - clock, load_average()
    return report


async def run_browser_phases(report: Report, sessions: int, soak: int, eager: bool,
                             options: tuple[str, ...]) -> None:
    """Run the browser sessions and the soak in one headless Chromium, into the report."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            report.machine["chromium"] = browser.version
            if sessions > 0:
                report.load = await with_server("sessions", options,
                                                lambda s: run_load(browser, s, sessions))
            # A fresh server: garbage left by the sessions must not blur the soak's growth.
            if soak > 0:
                report.soak = await with_server("soak", options,
                                                lambda s: run_soak(browser, s, soak, eager))
        finally:
            await browser.close()


async def with_server(name: str, options: tuple[str, ...], phase):
    """Start a server, run the phase against it, always stop it; show its log if it fails."""
    server = await asyncio.to_thread(start_server, name, options)
    try:
        return await phase(server)
    except BaseException:
        print(f"----- server log ({server.log_path}) -----\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        await asyncio.to_thread(server.stop)


def main() -> None:
    """Parse the command line, run, print the table; with --check, exit 1 on a missed target."""
    title, _, details = __doc__.partition("\n")
    parser = argparse.ArgumentParser(description=title, epilog=details.strip("\n"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wire", type=int, default=20, metavar="N",
                        help="concurrent protocol-level sessions, no browser (20; 0 skips)")
    parser.add_argument("--sessions", type=int, default=20, metavar="N",
                        help="concurrent browser sessions (20; 0 skips)")
    parser.add_argument("--soak", type=int, default=1000, metavar="N",
                        help="filter changes in the soak (1000; 0 skips)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.NAME=VALUE",
                        help="pass a Streamlit option to the servers, e.g. "
                             "runner.postScriptGC=false (repeatable)")
    parser.add_argument("--eager", action="store_true",
                        help="soak: change again as soon as the markers match, before the URL "
                             "follows (reproduces lost changes)")
    args = parser.parse_args()
    report = asyncio.run(run(args.sessions, args.soak, args.eager, tuple(args.set), args.wire))
    print(render(report))
    if args.check and report.misses():
        sys.exit(1)


if __name__ == "__main__":
    main()
