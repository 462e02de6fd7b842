"""`innomap serve --replicas N [--hosts H]`: write the engines' files and start the engines.

Debian's supervisor keeps each host's replicas running (restarts one that exits), and
HAProxy in front checks their health, pins sessions by cookie and fails over. This module only
writes their configuration (innomap.ops.configs), starts them, waits until HAProxy reports every
replica UP, and stops everything it started: it has no health checks or restarts of its own.
With --hosts, each host is a network namespace of its own (innomap.ops.network).
"""

from __future__ import annotations

import csv
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from innomap.assets import install_static
from innomap.ops import network
from innomap.ops.configs import BACKEND, haproxy_config, supervisord_config
from innomap.ops.shape import (
    PLAN_FILE,
    Replica,
    plan_hosts,
    plan_one_machine,
    prepare_app_dir,
    replica_command,
    write_plan,
)

# Set in HAProxy's environment, it leaves the static-file cache's rules out of haproxy.cfg.
NO_STATIC_CACHE = "INNOMAP_NO_STATIC_CACHE"
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 15.0
POLL_S = 0.2


@dataclass
class Deployment:
    """The running shape: HAProxy on `port` in front of `replicas`, and how to undo it all."""

    run_dir: Path
    port: int
    replicas: list[Replica]
    haproxy: subprocess.Popen
    undo: ExitStack

    @property
    def url(self) -> str:
        """Return the address users open."""
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        """Stop HAProxy, the supervisors with their replicas, and remove any namespaces."""
        close(self.undo)


def engine_path(name: str, package: str) -> str:
    """Return an engine's binary (Debian's haproxy, supervisord), or explain how to get it."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()), None)
    if path is None:
        raise RuntimeError(f"{name} is not installed: apt-get install {package}")
    return path


def start(run_dir: Path, count: int, port: int, options: tuple[str, ...] = (),
          hosts: int = 0, static_cache: bool = True) -> Deployment:
    """Start `count` replicas (on each of `hosts` namespaces, if any) and HAProxy on `port`
    (keeping Streamlit's own files in its cache unless static_cache is False)."""
    haproxy, supervisord = engine_path("haproxy", "haproxy"), engine_path("supervisord",
                                                                          "supervisor")
    if hosts:
        network.require_root()
    undo = ExitStack()
    try:
        if hosts:
            network.claim(undo)
            network.check_free(hosts)
        shutil.rmtree(run_dir, ignore_errors=True)  # the last run's files and sockets
        run_dir.mkdir(parents=True)
        replicas = plan_hosts(hosts, count) if hosts else plan_one_machine(
            [free_port() for _ in range(count)])
        write_plan(run_dir / PLAN_FILE, replicas)
        # One app folder for every replica (a real host has its own, at the same path):
        # written once before they start, so that they only find it ready.
        app_dir = run_dir / "app"
        install_static(prepare_app_dir(app_dir).parent / "static")
        if hosts:
            network.build(undo, hosts)
        engines = {f"supervisord ({host or 'this machine'})": start_supervisor(
            undo, supervisord, run_dir, host, [replica_command(
                sys.executable, app_dir, r.address, r.port, options) for r in group], group)
            for host, group in groups(replicas).items()}
        proxy = engines["haproxy"] = start_haproxy(undo, haproxy, run_dir, port, replicas,
                                                   options, static_cache)
        wait_all_up(run_dir, engines)
    except BaseException:
        close(undo)
        raise
    return Deployment(run_dir, port, replicas, proxy, undo)


def groups(replicas: list[Replica]) -> dict[str, list[Replica]]:
    """Return the replicas by host ("" for the one machine), hosts in order of appearance."""
    found: dict[str, list[Replica]] = {}
    for replica in replicas:
        found.setdefault(replica.host, []).append(replica)
    return found


def host_dir(run_dir: Path, host: str) -> Path:
    """Return the folder of one host's supervisord files and replicas ("local" for none)."""
    return run_dir / (host.removeprefix("innomap-") or "local")


def start_supervisor(undo: ExitStack, supervisord: str, run_dir: Path, host: str,
                     commands: list[list[str]], replicas: list[Replica]) -> subprocess.Popen:
    """Write one host's supervisord.conf and start supervisord (in the host's namespace)."""
    folder = host_dir(run_dir, host)
    folder.mkdir(parents=True)
    programs = {r.program: command for r, command in zip(replicas, commands, strict=True)}
    config = folder / "supervisord.conf"
    config.write_text(supervisord_config(folder, getpass.getuser(), programs), encoding="utf-8")
    command = [supervisord, "-n", "-c", str(config)]
    if host:
        command = [network.ip_path(), "netns", "exec", host, *command]
    return spawn(undo, command, folder / "supervisord-stdout.log")


def start_haproxy(undo: ExitStack, haproxy: str, run_dir: Path, port: int,
                  replicas: list[Replica], options: tuple[str, ...],
                  static_cache: bool = True) -> subprocess.Popen:
    """Write haproxy.cfg, have HAProxy check it, and start it in the foreground."""
    config = run_dir / "haproxy.cfg"
    config.write_text(haproxy_config(run_dir, f"127.0.0.1:{port}", replicas, options),
                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != NO_STATIC_CACHE}
    if not static_cache:
        env[NO_STATIC_CACHE] = "1"
    checked = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True,
                             text=True, timeout=30, check=False, env=env)
    if checked.returncode != 0:
        raise RuntimeError(f"haproxy rejected {config}:\n{checked.stdout}{checked.stderr}")
    return spawn(undo, [haproxy, "-db", "-f", str(config)], run_dir / "haproxy.log", env)


def spawn(undo: ExitStack, command: list[str], log: Path,
          env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a command logging to `log` (in `env`, if given); push its stop onto `undo`."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env)
    undo.callback(end, process)
    return process


def end(process: subprocess.Popen) -> None:
    """Ask a process to stop (SIGTERM), and kill it if it has not within STOP_TIMEOUT_S."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def close(undo: ExitStack) -> None:
    """Undo everything, with Ctrl-C and SIGTERM held off so that the undoing finishes."""
    held = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        undo.close()
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)


def wait_all_up(run_dir: Path, engines: dict[str, subprocess.Popen]) -> None:
    """Wait until HAProxy's own health checks find every replica UP (bounded in time)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    states: dict[str, tuple[str, str]] = {}
    while time.monotonic() < deadline:
        for name, process in engines.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode} before every "
                                   f"replica was up; see the logs in {run_dir}")
        try:
            states = server_states(run_dir)
        except OSError:
            states = {}  # HAProxy has not opened its socket yet
        if states and all(s == ("UP", "L7OK") for s in states.values()):
            return
        time.sleep(POLL_S)
    raise RuntimeError(f"not every replica was UP after {START_TIMEOUT_S:.0f} s: {states}; "
                       f"see the logs in {run_dir}")


def server_states(run_dir: Path) -> dict[str, tuple[str, str]]:
    """Return HAProxy's view of each replica: name → (status, last check), e.g. (UP, L7OK)."""
    return {row["svname"]: (row["status"], row["check_status"]) for row in stat_rows(run_dir)
            if row["pxname"] == BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")}


def stat_rows(run_dir: Path) -> list[dict[str, str]]:
    """Return HAProxy's statistics (show stat): a row per frontend, backend and server."""
    return list(csv.DictReader(_stats(run_dir / "haproxy.sock").removeprefix("# ")
                               .splitlines()))


def _stats(path: Path) -> str:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(5)
        sock.connect(str(path))
        sock.sendall(b"show stat\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def interrupted_by_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt as Ctrl-C does."""
    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
