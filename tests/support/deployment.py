"""The production shape under test: `innomap serve --replicas N [--hosts H]` started with the
harness, what it runs (its replicas.json, supervisorctl, HAProxy's stats socket), and its stop,
checked: exit 0, no process, namespace, link or address left behind."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from innomap.ops import network
from innomap.ops.configs import haproxy_config
from innomap.ops.launcher import host_dir, server_states, stat_rows
from innomap.ops.shape import PLAN_FILE, REPLICA_COOKIE, SUBNET, Replica, read_plan
from tests.support.browser import wait_for_markers
from tests.support.harness import POLL_S, Server, free_port, launch, server_env
from tests.support.tools import missing_tool, require_tool

STOP_TIMEOUT_S = 90
# One view of the map the replica and host tests open (a tab's language, filter and city),
# and the cities it shows.
VIEW = "lang=sv&focus=circular_economy&city=joensuu"
CIRCULAR = {"lahti", "pori", "joensuu", "mikkeli", "kokkola", "oulu"}
# A request in HAProxy's log (log-format in ops/deploy/haproxy-innomap.cfg): the replica
# (<NOSRV> for none, <CACHE> for the static-file cache), the status, when it began (s.ms) and
# how long it took (ms), the request line.
LOG_LINE = re.compile(r'^(\S+) (-?\d+) (\d+\.\d+) (-?\d+) "(.*)"$')
# How long HAProxy may take to see a replica's change (checks every 1 s, 2 in a row decide),
# with a loaded machine's margin: only a failure waits this long.
STATE_TIMEOUT_S = 60


def require_engines() -> None:
    """Skip (fail under CI=true) without Debian's haproxy and supervisor."""
    require_tool("haproxy", "haproxy is not installed (apt-get install haproxy)")
    require_tool("supervisord", "supervisord is not installed (apt-get install supervisor)")


def require_root() -> None:
    """Skip (fail under CI=true) unless this may create network namespaces (serve --hosts)."""
    require_engines()
    require_tool("ip", "ip (iproute2) is not installed (apt-get install iproute2)")
    if os.geteuid() != 0:
        missing_tool("serve --hosts needs root (network namespaces); CI runs as root")
    clear_killed_run()


def clear_killed_run() -> None:
    """Remove what a `serve --hosts` killed with SIGKILL left (namespaces, links), so that one
    killed run does not fail every later suite on the machine; fail if a run is live."""
    network.LOCK.parent.mkdir(parents=True, exist_ok=True)
    with network.LOCK.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pytest.fail(f"another `serve --hosts` runs on this machine (it holds "
                        f"{network.LOCK}): the hosts tests need its names free")
        # Nothing holds the lock, so no run owns these: a live one holds it from its first
        # name to its last removal.
        left = network_leftovers()
        for line in left:
            kind, name = line.split()[:2]
            if kind == "namespace":
                network.remove_namespace(name)
            elif kind == "link":
                network.ip("link", "delete", name, check=False)
        if left:
            warnings.warn(f"removed what a killed `serve --hosts` left: {', '.join(left)}",
                          stacklevel=2)
        assert network_leftovers() == [], "an address in the hosts' subnet on another link"


@dataclass(frozen=True)
class Logged:
    """One request in HAProxy's log: who served it ("" for none), its status and times."""

    served: str
    status: int
    start: float
    end: float
    request: str


@dataclass
class Served:
    """A running `innomap serve --replicas` (HAProxy's port as a Server) and its files."""

    server: Server
    run_dir: Path
    # What a test started inside the shape (a host brought back): the launcher's stop ends it.
    started: list[subprocess.Popen] = field(default_factory=list)

    @property
    def replicas_dir(self) -> Path:
        """Return the folder with the engines' files and the replicas' logs."""
        return self.run_dir / "replicas"

    def plan(self) -> list[Replica]:
        """Return the replicas the launcher started (its replicas.json)."""
        return read_plan(self.replicas_dir / PLAN_FILE)

    def replica(self, name: str) -> Replica:
        """Return the replica HAProxy (and its cookie) calls `name`."""
        (found,) = [r for r in self.plan() if r.name == name]
        return found

    def states(self) -> dict[str, tuple[str, str]]:
        """Return HAProxy's view of each replica: name → (status, last check)."""
        return server_states(self.replicas_dir)

    def counters(self, backend: str) -> dict[str, dict[str, str]]:
        """Return HAProxy's statistics of one backend: server name (and BACKEND) → row."""
        return {row["svname"]: row for row in stat_rows(self.replicas_dir)
                if row["pxname"] == backend}

    def wait_for_states(self, wanted: Callable[[dict[str, str]], bool], what: str) -> None:
        """Wait until HAProxy's statuses (name → UP/DOWN …) satisfy `wanted` (bounded)."""
        deadline = time.monotonic() + STATE_TIMEOUT_S
        while not wanted(statuses := {k: v[0] for k, v in self.states().items()}):
            assert time.monotonic() < deadline, f"HAProxy never saw {what}: {statuses}"
            time.sleep(POLL_S)

    def supervisor_config(self, host: str = "") -> Path:
        """Return the supervisord.conf of a host ("" for the one machine)."""
        return host_dir(self.replicas_dir, host) / "supervisord.conf"

    def pid(self, replica: Replica) -> int:
        """Return the replica's pid, as its supervisord reports it (0: not running)."""
        done = subprocess.run([require_tool("supervisorctl", "supervisorctl is not installed"),
                               "-c", str(self.supervisor_config(replica.host)), "pid",
                               replica.program], capture_output=True, text=True, timeout=30,
                              check=False)
        return int(done.stdout) if done.stdout.strip().isdigit() else 0

    def requests(self) -> list[Logged]:
        """Return the requests in HAProxy's log so far (its warnings are skipped)."""
        records = []
        for line in (self.replicas_dir / "haproxy.log").read_text().splitlines():
            if found := LOG_LINE.match(line):
                served, status, start, took, request = found.groups()
                records.append(Logged("" if served == "<NOSRV>" else served, int(status),
                                      float(start), float(start) + max(int(took), 0) / 1000,
                                      request))
        return records

    def log(self) -> str:
        """Return what the launcher printed."""
        return self.server.log_path.read_text(encoding="utf-8", errors="replace")


def pinned(page: Page) -> str:
    """Return the replica the browser's cookie pins it to (HAProxy's server name)."""
    (cookie,) = [c["value"] for c in page.context.cookies() if c["name"] == REPLICA_COOKIE]
    return cookie


def check_view(page: Page) -> None:
    """Assert the page shows VIEW: Swedish, circular economy, Joensuu selected."""
    wait_for_markers(page, CIRCULAR)
    expect(page.locator(".innomap-headline")).to_have_text(
        re.compile(r"^6 av 20 kommuner · Cirkulär ekonomi"))
    expect(page.locator(".innomap-details h3")).to_have_text("Joensuu")


def start(tmp_path: Path, replicas: int, hosts: int = 0, prefix: str = "",
          data: Path | None = None, static_cache: bool = True) -> Served:
    """Start `innomap serve --replicas` (with --hosts, under a URL prefix, on the cities file
    `data`, without HAProxy's static-file cache, if given); return it once HAProxy reports
    every replica UP."""
    port = free_port()
    extra = ["--hosts", str(hosts)] if hosts else []
    extra += [] if static_cache else ["--no-static-cache"]
    extra += ["--server.baseUrlPath", prefix] if prefix else []
    server = launch([sys.executable, "-m", "innomap", "serve", "--dir", tmp_path, "--replicas",
                     replicas, "--port", port, *extra], port, tmp_path / "serve.log",
                    server_env(data), prefix)
    served = Served(server, tmp_path)
    # The launcher prints its line once HAProxy reports every replica UP; the page may answer
    # a moment before that, through the first replica up.
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while "behind HAProxy" not in served.log():
        if server.process.poll() is not None or time.monotonic() > deadline:
            # Stopped here, the launcher removes what it made, and later tests find it gone.
            server.process.send_signal(signal.SIGTERM)
            server.process.wait(timeout=STOP_TIMEOUT_S)
            pytest.fail(f"`innomap serve` did not come up:\n{served.log()}")
        time.sleep(POLL_S)
    return served


def stop(served: Served) -> None:
    """SIGTERM the launcher; check that it exits 0 and that it left nothing behind."""
    process = served.server.process
    hosts = any(replica.host for replica in served.plan())
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=STOP_TIMEOUT_S)
    assert process.returncode == 0, served.log()
    assert "stopped HAProxy, supervisord and every replica" in served.log()
    for extra in served.started:
        extra.wait(timeout=STOP_TIMEOUT_S)
    assert leftovers(served.run_dir, namespaces=hosts) == [], served.log()


@contextmanager
def tls_front(served: Served, folder: Path) -> Iterator[tuple[int, Path]]:
    """Run a second HAProxy in front of the replicas, from the shipped file with a TLS `bind`
    (a self-signed certificate for 127.0.0.1 made by openssl); yield its port and the
    certificate, once it finds every replica UP."""
    haproxy = require_tool("haproxy", "haproxy is not installed (apt-get install haproxy)")
    openssl = require_tool("openssl", "openssl is not installed (apt-get install openssl)")
    folder.mkdir(parents=True)
    cert, key, pem = folder / "cert.pem", folder / "key.pem", folder / "haproxy.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], capture_output=True, timeout=60,
                   check=True)
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    port = free_port()
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(folder, f"127.0.0.1:{port} ssl crt {pem}", served.plan()),
                      encoding="utf-8")
    with (folder / "haproxy.log").open("ab") as log:
        process = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + STATE_TIMEOUT_S
        while not ((states := tls_states(folder)) and
                   all(s == ("UP", "L7OK") for s in states.values())):
            assert process.poll() is None and time.monotonic() < deadline, (
                (folder / "haproxy.log").read_text())
            time.sleep(POLL_S)
        yield port, cert
    finally:
        process.terminate()
        process.wait(timeout=STOP_TIMEOUT_S)


def tls_states(folder: Path) -> dict[str, tuple[str, str]]:
    """Return the TLS front's view of the replicas ({} until its socket is open)."""
    try:
        return server_states(folder)
    except OSError:
        return {}


def restart_host(served: Served, host: str) -> None:
    """Start a host's supervisord again (as a rebooted machine does), with its replicas."""
    served.started.append(subprocess.Popen(
        ["ip", "netns", "exec", host, "supervisord", "-n", "-c",
         str(served.supervisor_config(host))], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=server_env()))


def leftovers(run_dir: Path, namespaces: bool = True) -> list[str]:
    """Return what a stopped launcher left: processes naming run_dir and, for `--hosts`,
    innomap namespaces, links and addresses."""
    left = [f"process {pid}: {line}" for pid, line in processes() if str(run_dir) in line]
    if namespaces and os.geteuid() == 0 and require_tool("ip", "ip (iproute2) is not installed"):
        left += network_leftovers()
    return left


def network_leftovers() -> list[str]:
    """Return the innomap namespaces, links (the bridge and veth pairs are all innomap-…) and
    addresses in the hosts' subnet that exist."""
    return ([f"namespace {line}" for line in ip("netns", "list").splitlines()
             if line.startswith("innomap-")]
            + [f"link {name}" for name in re.findall(r"^\d+: (innomap-[\w-]+)[@:]",
                                                       ip("link", "show"), re.M)]
            + [f"address {line}" for line in ip("-o", "address", "show", "to",
                                                 f"{SUBNET}.0/24").splitlines()])


def ip(*args: str) -> str:
    """Return the output of `ip ARGS`."""
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30,
                          check=True).stdout


def namespace_pids(name: str) -> list[int]:
    """Return the pids of the processes in a network namespace."""
    return [int(pid) for pid in ip("netns", "pids", name).split()]


def processes() -> list[tuple[int, str]]:
    """Return (pid, command line) of every live process (one that ended meanwhile is skipped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if line:  # a zombie has none; it is gone but for its exit status
                found.append((int(entry.name), line))
    return found
