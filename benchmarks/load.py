#!/usr/bin/env python3
"""Load test: concurrent sessions against one `streamlit run`, over the wire and in browsers.

    python benchmarks/load.py [--wire N] [--sessions N] [--soak N] [--set SECTION.NAME=VALUE]
                              [--replicas N --replica-wire N --replica-sessions N --kill-at SHARE]
                              [--capacity] [--capacity-hosts H] [--capacity-cache]
                              [--core C --most N --budget S]

Each phase has a fresh server (tests/support/harness.py). A session maps all cities, applies a focus
area and a macro-region, clicks a marker and fetches the CSV, each step checked against the
data (tests/support/sessions.py).
- wire: protocol-level clients (tests/support/wire.py) that render nothing: the server's own time.
- sessions: real Chromium pages at once, end to end (they share this machine's cores).
- soak: N search-filter changes in one browser session; server memory sampled.
- replicas: `innomap serve --replicas N` (supervisord, HAProxy in front); wire sessions and a
  few browser tabs at once through HAProxy, one replica killed mid-run (its users reconnect to
  a live one and keep their view); how the sessions spread, how long the reconnects took, any
  failed request after the kill; then a data edit must reach every replica's next run.
- capacity (first, alone): one replica pinned to one core (taskset), the readers on the other
  cores; how many readers at once it serves with p95 time to map ≤ 1 s and ≤ 3 s, each
  reader: the page and its files, the map, two filters, a city, the Excel file (capacity.py).
  --capacity-hosts H: the same budget through HAProxy, split over H hosts; --capacity-cache:
  one replica through HAProxy without, then with its cache of Streamlit's /static/ files.
Exits 1 if any session or change failed. Method and results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import capacity  # noqa: E402 - benchmarks/capacity.py, beside this script
from capacity import percentile  # noqa: E402

from innomap.shipped import CITIES, DATA_DIR  # noqa: E402
from tests.support import (
    deployment,  # noqa: E402 - the repository root is put on sys.path first
    harness,  # noqa: E402
    sessions,  # noqa: E402
    wire,  # noqa: E402
)

RSS_SAMPLE_S = 0.25
# Lets the server notice the closed sockets and drop the sessions before memory is read.
SETTLE_S = 2


def machine_ticks() -> tuple[int, int]:
    """Return (busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


@dataclass
class Phase:
    """A concurrent phase: two lone sessions, then the ones at once; CPU and server memory."""

    name: str
    alone: list[sessions.SessionResult]
    results: list[sessions.SessionResult]
    wall_s: float
    server_cpu_s: float
    machine_busy: float
    rss: dict[str, float]

    def errors(self) -> list[str]:
        """Return every session's errors, each with its session number (0: a lone one)."""
        return [f"session {r.index}: {e}" for r in self.alone + self.results for e in r.errors]


async def concurrent(name: str, server: harness.Server, count: int, run_one) -> Phase:
    """Warm the server with two lone sessions, then run count sessions at once."""
    rss = {"start": server.rss_mb()}
    plans = sessions.session_plans(count + 2)
    # The first run pays the imports and the data load once per server, not per user.
    alone = [await run_one(0, plan) for plan in plans[:2]]
    rss["before"] = server.rss_mb()
    peak = [rss["before"]]
    sampler = asyncio.create_task(sample_peak(server, peak))
    started, cpu, ticks = time.perf_counter(), server.cpu_s(), machine_ticks()
    try:
        results = await asyncio.gather(*(run_one(i + 1, p) for i, p in enumerate(plans[2:])))
    finally:
        sampler.cancel()
    wall, busy = time.perf_counter() - started, machine_ticks()
    used = server.cpu_s() - cpu
    await asyncio.sleep(SETTLE_S)
    rss["peak"], rss["after"] = max(peak[0], server.rss_mb()), server.rss_mb()
    share = (busy[0] - ticks[0]) / max(busy[1] - ticks[1], 1)
    return Phase(name, alone, list(results), wall, used, share, rss)


async def sample_peak(server: harness.Server, peak: list[float]) -> None:
    """Keep the highest server RSS seen in peak[0] until cancelled."""
    while True:
        peak[0] = max(peak[0], server.rss_mb())
        await asyncio.sleep(RSS_SAMPLE_S)


async def with_server(name: str, options: list[str], phase):
    """Start a fresh server, run the phase against it, always stop it."""
    log = harness.ARTIFACTS / f"load-{name}.log"
    server = await asyncio.to_thread(harness.start_server, log, None, options)
    try:
        return await phase(server)
    except BaseException:
        print(f"----- server log ({log}) -----\n{server.log()}", file=sys.stderr)
        raise
    finally:
        await asyncio.to_thread(server.stop)


async def run(args: argparse.Namespace) -> tuple[list[Phase], sessions.SoakResult | None, str,
                                                 Failover | None]:
    """Run the phases asked for: wire first (nothing else running), then the browser ones."""
    phases: list[Phase] = []
    soak, chromium, failover_result = None, "not started", None
    if args.wire:
        phases.append(await with_server("wire", args.set, lambda s: concurrent(
            "wire", s, args.wire, lambda i, p: sessions.run_wire_session(s, i, p))))
    if args.sessions or args.soak or args.replicas:
        async with harness.async_chromium() as browser:
            chromium = browser.version
            if args.sessions:
                phases.append(await with_server("sessions", args.set, lambda s: concurrent(
                    "browser", s, args.sessions,
                    lambda i, p: sessions.run_session(browser, s, i, p))))
            if args.replicas:
                failover_result = await failover(browser, args)
            # A fresh server: what the sessions left behind must not blur the soak's growth.
            if args.soak:
                soak = await with_server("soak", args.set,
                                         lambda s: sessions.run_soak(browser, s, args.soak))
    return phases, soak, chromium, failover_result


async def capacity_of_one_core(args: argparse.Namespace) -> list[capacity.Level]:
    """Search the readers one replica pinned to core args.core serves; this script (the
    readers) runs on the other cores meanwhile."""
    log = harness.ARTIFACTS / "load-capacity.log"
    server = await asyncio.to_thread(harness.start_server, log, None, args.set, harness.DASHBOARD,
                                     ("taskset", "-c", str(args.core)))
    mine = os.sched_getaffinity(0)
    os.sched_setaffinity(0, (mine - {args.core}) or mine)
    try:
        # The first run pays the imports and the data load once per server, not per reader.
        await capacity.measure(server.url(), 1)
        return await capacity.search_capacity(server.url(), server.cpu_s, server.rss_mb,
                                              most=args.most, budget_s=args.budget)
    except BaseException:
        print(f"----- server log ({log}) -----\n{server.log()}", file=sys.stderr)
        raise
    finally:
        os.sched_setaffinity(0, mine)
        await asyncio.to_thread(server.stop)


async def capacity_behind_haproxy(args: argparse.Namespace, hosts: int,
                                  static_cache: bool = True) -> list[capacity.Level]:
    """Search the readers `serve [--hosts H] --replicas 1` serves through HAProxy (with or
    without its static-file cache), every replica pinned to core args.core: the one-core
    budget of capacity_of_one_core, reached through the load balancer and split over H hosts
    if any (what the split, HAProxy and its cache cost or save)."""
    tmp = Path(tempfile.mkdtemp(prefix="innomap-capacity-haproxy-"))
    served = await asyncio.to_thread(deployment.start, tmp, 1, hosts,
                                     static_cache=static_cache)
    pids = [served.pid(replica) for replica in served.plan()]
    for pid in pids:
        # -a: every thread of the running replica; their children inherit it.
        subprocess.run(["taskset", "-a", "-p", "-c", str(args.core), str(pid)], check=True,
                       capture_output=True)
    mine = os.sched_getaffinity(0)
    os.sched_setaffinity(0, (mine - {args.core}) or mine)

    def cpu_s() -> float:
        return sum(process_cpu_s(pid) for pid in pids)

    try:
        url = served.server.url()
        await capacity.measure(url, len(pids))
        return await capacity.search_capacity(url, cpu_s, most=args.most,
                                              budget_s=args.budget)
    finally:
        os.sched_setaffinity(0, mine)
        await asyncio.to_thread(deployment.stop, served)
        shutil.rmtree(tmp, ignore_errors=True)


def process_cpu_s(pid: int) -> float:
    """Return a process's CPU seconds (user + system) so far, from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Failover:
    """The replicas phase: sessions through HAProxy, a replica killed, the data edited."""

    phases: list[Phase]
    spread: dict[str, int]
    killed: str
    reconnects: list[float]
    tab_streams: list[float]
    failed_after_kill: list[str]
    edit_seen: dict[str, bool]

    def errors(self) -> list[str]:
        """Return the errors of every session, wire and browser."""
        return [e for phase in self.phases for e in phase.errors()]


def replica_pid(served: deployment.Served, name: str) -> int:
    """Return the pid of the named replica (r1, r2 …), as its supervisord reports it."""
    pid = served.pid(served.replica(name))
    if not pid:
        raise RuntimeError(f"supervisord runs no replica {name}")
    return pid


async def failover(browser, args: argparse.Namespace) -> Failover:
    """Run sessions through HAProxy over replicas, kill one mid-run, then edit the data."""
    work = Path(tempfile.mkdtemp(prefix="innomap-load-replicas-"))
    data = work / "data"
    data.mkdir()
    for name in ("networks.json", "programme.json"):
        shutil.copyfile(DATA_DIR / name, data / name)
    shutil.copyfile(CITIES, data / CITIES.name)
    # Returns once HAProxy reports every replica UP, so that the sessions spread over all.
    served = await asyncio.to_thread(deployment.start, work, args.replicas,
                                     data=data / CITIES.name)
    try:
        phases, killed_at = await sessions_with_a_kill(browser, served, args)
        records = served.requests()
        # supervisord has restarted r1 by now; HAProxy's checks say when it answers again.
        await asyncio.to_thread(served.wait_for_states, lambda s: set(s.values()) == {"UP"},
                                "every replica UP again")
        edit_seen = await edit_reaches_every_replica(served, data / CITIES.name)
    finally:
        await asyncio.to_thread(deployment.stop, served)
    streams = [r for r in records if r.request.startswith("GET /_stcore/stream")]
    spread: dict[str, int] = {}
    for record in streams:
        if record.start < killed_at and record.served:
            spread[record.served] = spread.get(record.served, 0) + 1
    # A wire session times its own reconnect: from its closed WebSocket to the rerun done on
    # a live replica. A browser tab's shows in the log only: streams opened after the kill.
    reconnects = sorted(t for r in phases[0].results for t in r.reconnects)
    tab_streams = sorted(r.start - killed_at for r in streams if r.start >= killed_at)
    failed = [f"{r.status} {r.request}" for r in records if r.status >= 500 and r.end >= killed_at]
    shutil.rmtree(work, ignore_errors=True)
    return Failover(phases, spread, "r1", reconnects, tab_streams, failed, edit_seen)


async def sessions_with_a_kill(browser, served: deployment.Served,
                               args: argparse.Namespace) -> tuple[list[Phase], float]:
    """Run the wire sessions and the browser tabs at once through HAProxy; kill replica r1
    mid-run: once the share args.kill_at of them have their map (a condition, not a time, so
    the kill falls mid-run however fast this machine is today)."""
    def results(count: int) -> list[sessions.SessionResult]:
        return [sessions.SessionResult(i + 1, plan)
                for i, plan in enumerate(sessions.session_plans(count))]

    wires, tabs = results(args.replica_wire), results(args.replica_sessions)
    killed_at = [math.inf]

    async def kill() -> None:
        wanted = math.ceil(args.kill_at * len(wires + tabs))
        while sum("map" in r.times or bool(r.errors) for r in wires + tabs) < wanted:
            await asyncio.sleep(0.2)
        os.kill(await asyncio.to_thread(replica_pid, served, "r1"), signal.SIGKILL)
        killed_at[0] = time.time()

    killer = asyncio.create_task(kill())
    server = served.server
    started = time.perf_counter()
    await asyncio.gather(
        *(sessions.run_wire_session(server, r.index, r.plan, r, sticky=True) for r in wires),
        *(sessions.run_session(browser, server, r.index, r.plan, r) for r in tabs))
    await killer
    wall = time.perf_counter() - started
    return [Phase(f"{name} through HAProxy over {args.replicas} replicas, r1 killed once "
                  f"{args.kill_at:.0%} of all sessions had their map", [], group, wall,
                  math.nan, math.nan, {})
            for name, group in (("wire sessions", wires), ("browser tabs", tabs))], killed_at[0]


async def edit_reaches_every_replica(served: deployment.Served, cities: Path) -> dict[str, bool]:
    """Move Oulu by 0.001° in the data file; ask each replica directly whether it shows it."""
    collection = json.loads(cities.read_text(encoding="utf-8"))
    oulu = next(f for f in collection["features"] if f["properties"]["id"] == "oulu")
    oulu["geometry"]["coordinates"][1] = round(oulu["geometry"]["coordinates"][1] + 0.001, 6)
    staging = cities.with_suffix(".partial")
    staging.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    staging.replace(cities)  # one rename: a replica reads the old file or the new one
    wanted = oulu["geometry"]["coordinates"][1]
    seen = {}
    for replica in served.plan():  # on loopback: one machine
        async with wire.WireSession(replica.port) as session:
            view = await session.open(sessions.QUERY)
        seen[replica.name] = abs(view.coordinates["oulu"][0] - wanted) < 1e-6
    return seen


def failover_lines(result: Failover) -> list[str]:
    """Return the replicas phase's report."""
    spread = " · ".join(f"{name} {n}" for name, n in sorted(result.spread.items()))
    lines = []
    for phase in result.phases:
        errors = phase.errors()
        lines += [f"{phase.name}: {len(phase.results)} at once ({phase.wall_s:.1f} s for all)",
                  *step_lines(phase), f"  errors: {len(errors)}",
                  *[f"    {e}" for e in errors[:40]]]
    times, tabs = result.reconnects, result.tab_streams
    return lines + [
        f"sessions per replica before the kill (WebSocket streams in HAProxy's log): {spread}",
        f"wire sessions that reconnected after the kill of {result.killed}: {len(times)}; "
        f"closed WebSocket → rerun done on a live replica (s): p50 "
        f"{percentile(times, 50):.2f} · p95 {percentile(times, 95):.2f} · max "
        f"{max(times, default=math.nan):.2f}",
        f"WebSocket streams opened after the kill (wire and browser): {len(tabs)}; seconds "
        f"after the kill: min "
        f"{min(tabs, default=math.nan):.2f} · max {max(tabs, default=math.nan):.2f}",
        f"failed requests (5xx) after the kill: {len(result.failed_after_kill)}",
        *[f"    {line}" for line in result.failed_after_kill[:20]],
        "data edit seen by the next run of: " + " · ".join(
            f"{name} {'yes' if ok else 'NO'}" for name, ok in result.edit_seen.items())]


def phase_lines(phase: Phase) -> list[str]:
    """Return a phase's table of step times, its CPU, memory and errors."""
    n = len(phase.results)
    first, second = (r.times.get("map", math.nan) for r in phase.alone)
    lines = [f"{phase.name}: {n} sessions at once, one server; alone before them, time to map "
             f"{first:.2f} s on the fresh server, then {second:.2f} s", *step_lines(phase)]
    rss = " · ".join(f"{k} {v:.1f}" for k, v in phase.rss.items())
    errors = phase.errors()
    return lines + [f"  {phase.wall_s:.1f} s for all; server CPU {phase.server_cpu_s:.1f} s; "
                    f"machine busy {phase.machine_busy:.0%} of {os.cpu_count()} cores "
                    "(others' work included)",
                    f"  server RSS (MB): {rss}",
                    f"  errors: {len(errors)}"] + [f"    {e}" for e in errors[:40]]


def step_lines(phase: Phase) -> list[str]:
    """Return the table of step times (p50, p95, max, count) over a phase's sessions."""
    lines = [f"  {'step (s)':<10}{'p50':>8}{'p95':>8}{'max':>8}{'n':>5}"]
    for step in sessions.STEPS:
        values = [r.times[step] for r in phase.results if step in r.times]
        lines.append(f"  {step:<10}{percentile(values, 50):>8.2f}{percentile(values, 95):>8.2f}"
                     f"{max(values, default=math.nan):>8.2f}{len(values):>5}")
    return lines


def soak_lines(soak: sessions.SoakResult) -> list[str]:
    """Return the soak's lines: changes, time per change, memory samples and growth."""
    samples = " · ".join(f"{n}: {mb:.1f}" for n, mb in soak.samples)
    growth = soak.samples[-1][1] - soak.samples[0][1] if soak.samples else math.nan
    return [f"soak: {soak.requested} search changes in one session, fresh server",
            f"  done {soak.done}, matched {len(soak.times)}, failures {len(soak.failures)}"
            + (f" (stopped: {soak.stopped})" if soak.stopped else ""),
            f"  per change (s): p50 {percentile(soak.times, 50):.2f} · p95 "
            f"{percentile(soak.times, 95):.2f} · max {max(soak.times, default=math.nan):.2f}",
            f"  server RSS (MB) after change n: {samples}; growth {growth:+.1f} MB"
            ] + [f"    {failure}" for failure in soak.failures[:20]]


def main() -> None:
    """Parse the command line, run, print the report; exit 1 if anything failed."""
    title, _, details = __doc__.partition("\n")
    parser = argparse.ArgumentParser(description=title, epilog=details.strip("\n"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wire", type=int, default=20, metavar="N",
                        help="concurrent protocol-level sessions (20; 0 skips)")
    parser.add_argument("--sessions", type=int, default=20, metavar="N",
                        help="concurrent browser sessions (20; 0 skips)")
    parser.add_argument("--soak", type=int, default=1000, metavar="N",
                        help="filter changes in the soak (1000; 0 skips)")
    parser.add_argument("--replicas", type=int, default=0, metavar="N",
                        help="replicas behind HAProxy for the failover phase (0 skips; try 3)")
    parser.add_argument("--replica-wire", type=int, default=60, metavar="N",
                        help="protocol-level sessions at once in the failover phase (60)")
    parser.add_argument("--replica-sessions", type=int, default=6, metavar="N",
                        help="browser tabs at once in the failover phase, beside them (6)")
    parser.add_argument("--kill-at", type=float, default=0.5, metavar="SHARE",
                        help="kill replica r1 once this share of the failover phase's "
                             "sessions show their map (0.5)")
    parser.add_argument("--capacity", action="store_true",
                        help="search the readers one replica on one core serves (first)")
    parser.add_argument("--capacity-hosts", type=int, default=0, metavar="H",
                        help="capacity through HAProxy: `serve --hosts H --replicas 1`, every "
                             "replica pinned to --core (root; after --capacity's row)")
    parser.add_argument("--capacity-cache", action="store_true",
                        help="capacity through HAProxy: `serve --replicas 1` pinned to --core, "
                             "without and then with HAProxy's static-file cache")
    parser.add_argument("--core", type=int, default=0, metavar="C",
                        help="the core the capacity phase pins its replica to (0)")
    parser.add_argument("--most", type=int, default=capacity.MOST_READERS, metavar="N",
                        help=f"capacity: never more readers at once ({capacity.MOST_READERS})")
    parser.add_argument("--budget", type=float, default=capacity.BUDGET_S, metavar="S",
                        help="capacity: start no new level after this many seconds "
                             f"({capacity.BUDGET_S:.0f})")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.NAME=VALUE",
                        help="a Streamlit option for the servers, e.g. runner.postScriptGC=true")
    args = parser.parse_args()
    load_before, clock = os.getloadavg(), time.perf_counter()
    levels = asyncio.run(capacity_of_one_core(args)) if args.capacity else []
    hosts_levels = (asyncio.run(capacity_behind_haproxy(args, args.capacity_hosts))
                    if args.capacity_hosts else [])
    cache_levels = {cached: asyncio.run(capacity_behind_haproxy(args, 0, cached))
                    for cached in ((False, True) if args.capacity_cache else ())}
    phases, soak, chromium, replicas = asyncio.run(run(args))
    print(f"innomap load test · {time.strftime('%Y-%m-%d %H:%M %Z')} · "
          f"{time.perf_counter() - clock:.0f} s · {os.cpu_count()} CPUs · load average "
          f"{load_before[0]:.2f} → {os.getloadavg()[0]:.2f}\nPython {platform.python_version()}"
          f" · Streamlit {version('streamlit')} · Chromium {chromium} · server options: "
          + (" ".join(args.set) or "only .streamlit/config.toml") + "\n")
    if levels:
        print("\n".join(capacity.capacity_lines(
            f"capacity: one replica (streamlit run, production settings) pinned to core "
            f"{args.core}, readers at once on the other cores; load average before "
            f"{' '.join(f'{v:.2f}' for v in load_before)}", levels)) + "\n")
    if hosts_levels:
        print("\n".join(capacity.capacity_lines(
            f"capacity: {args.capacity_hosts} hosts x 1 replica behind HAProxy, every replica "
            f"pinned to core {args.core}, readers at once on the other cores", hosts_levels))
            + "\n")
    for cached, found in cache_levels.items():
        print("\n".join(capacity.capacity_lines(
            f"capacity: 1 replica behind HAProxy {'with' if cached else 'without'} its cache of "
            f"Streamlit's /static/ files, pinned to core {args.core}, readers at once (and "
            f"HAProxy) on the other cores", found)) + "\n")
    for phase in phases:
        print("\n".join(phase_lines(phase)) + "\n")
    if soak is not None:
        print("\n".join(soak_lines(soak)))
    if replicas is not None:
        print("\n".join(failover_lines(replicas)))
    # Capacity: readers failing past the limits are the finding; a lone reader's error is not.
    firsts = levels[:1] + hosts_levels[:1] + [lv for f in cache_levels.values() for lv in f[:1]]
    failed = any(p.errors() for p in phases) or any(lv.errors for lv in firsts) or (
        soak and (soak.failures or soak.stopped)) or (
        replicas and (replicas.errors() or replicas.failed_after_kill
                      or not all(replicas.edit_seen.values())))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
