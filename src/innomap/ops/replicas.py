"""Run N Streamlit replicas behind Debian's nginx: the production shape, on one machine.

nginx (the shipped deploy/nginx-*.conf) gives sticky sessions by cookie, the WebSocket
upgrade, compression and failover. Open-source nginx has no active health checks, so the
supervisor here asks each replica's /_stcore/health every second, takes a failing one out of
nginx's upstream list (reload), restarts a replica that died, and puts it back once healthy.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from innomap.shipped import DEPLOY_DIR

CHECK_EVERY_S = 1.0
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
NGINX_FILES = ("nginx-innomap.conf", "nginx-locations.conf")


@dataclass
class Replica:
    """One `streamlit run` process on a loopback port."""

    name: str
    port: int
    command: list[str]
    log_path: Path
    process: subprocess.Popen | None = None
    healthy: bool = False

    def start(self, cwd: Path) -> None:
        """Start (or restart) the process, logging to its file."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.command, cwd=cwd, stdout=log,
                                            stderr=subprocess.STDOUT)

    def check(self) -> bool:
        """Return whether the replica answers its health endpoint now."""
        try:
            with urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as reply:
                return reply.status == 200
        except (URLError, OSError):
            return False


@dataclass
class Deployment:
    """The replicas, nginx in front of them on `port`, and the folder holding their files."""

    run_dir: Path
    app_dir: Path
    port: int
    replicas: list[Replica]
    nginx: subprocess.Popen | None = None
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        """Return the address users open."""
        return f"http://127.0.0.1:{self.port}/"

    def write_upstreams(self) -> None:
        """Name the replicas for nginx: its server list, and the routes its cookie pins to."""
        alive = [r for r in self.replicas if r.healthy] or self.replicas
        servers = [f"server 127.0.0.1:{r.port}{'' if r in alive else ' down'};"
                   for r in self.replicas]
        # A replica that is down pins no one: its browsers go to the group, then follow the
        # cookie to where they were served.
        pinned = [f"    {r.name} 127.0.0.1:{r.port};" if r in alive else f'    {r.name} "";'
                  for r in self.replicas]
        served = [f'    "~(^|[ ,:])127\\.0\\.0\\.1:{r.port}$" {r.name};' for r in self.replicas]
        _write(self.run_dir / "innomap-servers.conf", "\n".join(servers) + "\n")
        _write(self.run_dir / "innomap-routes.conf", "\n".join([
            "map $cookie_innomap_replica $innomap_pinned {", '    default "";', *pinned, "}",
            "map $upstream_addr $innomap_served_by {", '    default "";', *served, "}"]) + "\n")

    def supervise(self) -> None:
        """Until stopped: check every replica, restart dead ones, keep nginx's list current."""
        while not self.stopping.wait(CHECK_EVERY_S):
            changed = False
            for replica in self.replicas:
                if replica.process is not None and replica.process.poll() is not None:
                    replica.start(self.app_dir)
                healthy = replica.check()
                changed |= healthy != replica.healthy
                replica.healthy = healthy
            if changed and self.nginx is not None and self.nginx.poll() is None:
                self.write_upstreams()
                self.nginx.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """Stop nginx and every replica; wait until each has exited."""
        self.stopping.set()
        for process in [self.nginx, *(r.process for r in self.replicas)]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [self.nginx, *(r.process for r in self.replicas)]:
            if process is None:
                continue
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_path() -> str:
    """Return Debian's nginx binary, or explain how to get it."""
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                     else None)
    if path is None:
        raise RuntimeError("nginx is not installed: apt-get install nginx")
    return path


def start(entry: Path, run_dir: Path, count: int, port: int,
          streamlit_options: tuple[str, ...] = ()) -> Deployment:
    """Start `count` replicas of the Streamlit script `entry` and nginx on `port`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    replicas = []
    for number in range(count):
        replica_port = free_port()
        command = [sys.executable, "-m", "streamlit", "run", str(entry),
                   "--server.port", str(replica_port), "--server.address", "127.0.0.1",
                   "--server.headless", "true", *streamlit_options]
        name = f"r{number + 1}"
        replicas.append(Replica(name, replica_port, command, run_dir / f"replica-{name}.log"))
    deployment = Deployment(run_dir, entry.parent, port, replicas)
    try:
        for replica in replicas:
            replica.start(deployment.app_dir)
        _wait_healthy(replicas)
        deployment.write_upstreams()
        deployment.nginx = _start_nginx(run_dir, port)
    except BaseException:
        deployment.stop()
        raise
    threading.Thread(target=deployment.supervise, name="innomap-supervisor", daemon=True).start()
    return deployment


def _wait_healthy(replicas: list[Replica]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    for replica in replicas:
        while not replica.check():
            if replica.process is not None and replica.process.poll() is not None:
                raise RuntimeError(f"replica on port {replica.port} exited; see "
                                   f"{replica.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"replica on port {replica.port} not healthy after "
                                   f"{START_TIMEOUT_S:.0f} s; see {replica.log_path}")
            time.sleep(0.2)
        replica.healthy = True


def _start_nginx(run_dir: Path, port: int) -> subprocess.Popen:
    for name in NGINX_FILES:
        shutil.copyfile(DEPLOY_DIR / name, run_dir / name)
    text = (DEPLOY_DIR / "nginx-local.conf").read_text(encoding="utf-8")
    _write(run_dir / "nginx.conf", text.replace("@RUN@", str(run_dir))
           .replace("@PORT@", str(port)))
    nginx = nginx_path()
    config = ["-p", str(run_dir), "-c", str(run_dir / "nginx.conf")]
    checked = subprocess.run([nginx, "-t", "-q", *config], capture_output=True, text=True,
                             check=False)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx rejected its configuration:\n{checked.stderr}")
    with (run_dir / "nginx-stderr.log").open("wb") as log:
        process = subprocess.Popen([nginx, *config], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not start on port {port}; see {run_dir}")
        time.sleep(0.1)
    return process


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _write(path: Path, text: str) -> None:
    # Written aside and renamed: a reloading nginx never reads half a file.
    staging = path.with_name(f"{path.name}.{os.getpid()}.partial")
    staging.write_text(text, encoding="utf-8")
    staging.replace(path)
