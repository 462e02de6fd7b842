"""Capacity: how many readers at once one target serves with p95 time to map within a limit.

Used by `load.py --capacity` (issue 23 §4), which points it at one replica pinned to one core.
The search takes only the target's URL, so the same rows can be measured through a load
balancer in front of several hosts: pass that URL (and, to read the servers' CPU, a function
summing their CPU seconds):

    levels = await search_capacity("http://127.0.0.1:8080/", cpu_of=replicas_cpu_s)
    print("\\n".join(capacity_lines("3 hosts × 1 replica behind HAProxy", levels)))

A reader (tests/support/sessions.py `run_reader`) fetches the page and the files it names,
opens the WebSocket and waits for the map (its time to map), chooses a focus area, then a
major region, clicks a city and downloads the Excel file over HTTP, each step checked against
the data. N readers start at once; the level passes a limit when none failed and the p95 of
their times to map is within it. The search doubles N from 1 until the largest limit fails
(or the bounds stop it), then bisects each limit's gap. Traffic goes to the target only, which
must be on loopback.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.support import sessions

LIMITS_S = (1.0, 3.0)
MOST_READERS = 256
BUDGET_S = 240.0
# Bisect until the gap is within this share of the passing count (or 1 reader).
PRECISION = 0.125
# Between levels: the server has dropped the last level's sessions once it is this quiet.
QUIET_SHARE, QUIET_S, SETTLE_TIMEOUT_S = 0.02, 1.0, 60.0
# Page files are fetched in threads (urllib); enough that the client's pool never queues them.
FETCH_THREADS = 64


@dataclass
class Level:
    """One measured count of readers at once: their results, the time and CPU they took."""

    readers: int
    results: list[sessions.SessionResult]
    wall_s: float
    server_cpu_s: float
    client_cpu_s: float
    rss_peak_mb: float
    load_1min: float
    errors: list[str] = field(default_factory=list)

    def map_times(self) -> list[float]:
        """Return every reader's time to map; a reader that never got its map counts as inf."""
        return [r.times.get("map", math.inf) for r in self.results]

    def passes(self, limit_s: float) -> bool:
        """Return whether no reader failed and the p95 time to map is within limit_s."""
        return not self.errors and percentile(self.map_times(), 95) <= limit_s


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile, interpolating between closest ranks (nan for none)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    if math.isinf(ordered[high]):
        return ordered[high] if rank > low else ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def loopback_port(url: str) -> int:
    """Return the port of a loopback http URL; refuse any other host."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"capacity target must be http://127.0.0.1:PORT/, got {url!r}")
    return parts.port or 80


async def measure(url: str, readers: int, cpu_of: Callable[[], float] | None = None,
                  rss_of: Callable[[], float] | None = None) -> Level:
    """Start `readers` readers at once against url; return their results and costs."""
    port = loopback_port(url)
    plans = sessions.session_plans(readers)
    peak = [rss_of() if rss_of else math.nan]

    async def sample() -> None:
        while rss_of is not None:
            peak[0] = max(peak[0], rss_of())
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    server_cpu = cpu_of() if cpu_of else math.nan
    client_cpu, started = time.process_time(), time.perf_counter()
    try:
        results = await asyncio.gather(*(sessions.run_reader(port, i + 1, plan)
                                         for i, plan in enumerate(plans)))
    finally:
        sampler.cancel()
    wall = time.perf_counter() - started
    errors = [f"reader {r.index}: {e}" for r in results for e in r.errors]
    return Level(readers, list(results), wall,
                 (cpu_of() - server_cpu) if cpu_of else math.nan,
                 time.process_time() - client_cpu, peak[0], os.getloadavg()[0], errors)


async def settle(cpu_of: Callable[[], float] | None) -> None:
    """Wait until the servers are idle (the last level's sessions gone), bounded in time."""
    if cpu_of is None:
        return
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    since, used = time.monotonic(), cpu_of()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        now, cpu = time.monotonic(), cpu_of()
        if cpu - used > QUIET_SHARE * (now - since):
            since, used = now, cpu
        elif now - since >= QUIET_S:
            return


async def search_capacity(url: str, cpu_of: Callable[[], float] | None = None,
                          rss_of: Callable[[], float] | None = None,
                          limits: tuple[float, ...] = LIMITS_S, most: int = MOST_READERS,
                          budget_s: float = BUDGET_S) -> list[Level]:
    """Measure levels of readers at once against url: doubling from 1 until the largest limit
    fails, then bisecting each limit's gap; every level measured, in the order measured.

    Bounded: no level above `most` readers, and no new level once budget_s has passed.
    """
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(FETCH_THREADS))
    deadline = time.monotonic() + budget_s
    levels: dict[int, Level] = {}

    async def level(readers: int) -> Level:
        await settle(cpu_of)
        levels[readers] = await measure(url, readers, cpu_of, rss_of)
        return levels[readers]

    readers = 1
    while readers <= most and time.monotonic() < deadline:
        if not (await level(readers)).passes(max(limits)):
            break
        readers *= 2
    for limit in limits:
        while time.monotonic() < deadline:
            low, high = bracket(levels, limit)
            if high is None or high - low <= max(1, math.floor(low * PRECISION)):
                break
            await level((low + high) // 2)
    return list(levels.values())


def bracket(levels: dict[int, Level], limit: float) -> tuple[int, int | None]:
    """Return (most readers passing the limit below any failure, fewest failing it)."""
    failing = [n for n, level in levels.items() if not level.passes(limit)]
    high = min(failing, default=None)
    passing = [n for n, level in levels.items()
               if level.passes(limit) and (high is None or n < high)]
    return max(passing, default=0), high


def capacity_lines(title: str, levels: list[Level],
                   limits: tuple[float, ...] = LIMITS_S) -> list[str]:
    """Return the rows of every level (by readers) and the figure for each limit."""
    lines = [title, f"  {'readers':>7} {'p50 map':>8} {'p95 map':>8} {'max map':>8} "
                    f"{'p95 all':>8} {'errors':>6} {'wall s':>7} {'srv CPU':>8} "
                    f"{'CPU/rdr':>8} {'core':>5} {'client':>7} {'RSS MB':>7} {'load1':>6}"]
    for level in sorted(levels, key=lambda lv: lv.readers):
        maps = level.map_times()
        totals = [r.times.get("total", math.inf) if not r.errors else math.inf
                  for r in level.results]
        lines.append(
            f"  {level.readers:>7} {percentile(maps, 50):>8.2f} {percentile(maps, 95):>8.2f} "
            f"{max(maps):>8.2f} {percentile(totals, 95):>8.2f} {len(level.errors):>6} "
            f"{level.wall_s:>7.1f} {level.server_cpu_s:>8.1f} "
            f"{level.server_cpu_s / level.readers:>8.3f} "
            f"{level.server_cpu_s / level.wall_s:>5.0%} {level.client_cpu_s:>7.1f} "
            f"{level.rss_peak_mb:>7.0f} {level.load_1min:>6.2f}")
    by_readers = {level.readers: level for level in levels}
    for limit in limits:
        low, high = bracket(by_readers, limit)
        lines.append(f"  readers at once with p95 time to map ≤ {limit:g} s: {low} "
                     f"(fewest measured failing: {high if high is not None else 'none'})")
    errors = [e for level in levels for e in level.errors]
    return lines + [f"    {e}" for e in errors[:20]]
