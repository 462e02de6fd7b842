"""What runs where in the production shape: the replicas, their addresses, and the one command
that starts a replica with the production settings.

Every shape runs a replica the same way, `innomap serve --dir D --port P --server.address A`
(which writes the shipped Streamlit settings into D and becomes `streamlit run`): supervisor's
programs here, the systemd unit in deploy/systemd/, and a container. Compare with
`replica_args` rather than copying its flags.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from innomap.shipped import STREAMLIT_CONFIG

# Streamlit's health endpoint: HAProxy's checks ask it (deploy/haproxy-innomap.cfg).
HEALTH_PATH = "/_stcore/health"
# Streamlit's own scripts, styles and fonts: named by their content and sent "immutable".
STATIC_PATH = "/static/"
# The cookie HAProxy pins a browser to its replica with; its value is the replica's name.
REPLICA_COOKIE = "innomap_replica"
# On a host of its own (a network namespace) a replica takes a fixed port, as on a real host.
FIRST_REPLICA_PORT = 8501
# The simulated hosts' network: a bridge with .1 in the root namespace, host k at .(10+k).
SUBNET = "10.231.0"
BRIDGE = "innomap-br0"
MAX_HOSTS = 16
# What `innomap serve --replicas` writes in its folder for tests and load runs.
PLAN_FILE = "replicas.json"
# What `innomap serve` writes as the Streamlit script; dashboard.py is the checkout's own copy.
SERVE_ENTRY = '''"""innomap's Streamlit entry, written by `innomap serve`."""
from pathlib import Path

from innomap.ui.app import main

main(static_dir=Path(__file__).resolve().parent / "static")
'''


@dataclass(frozen=True)
class Replica:
    """One Streamlit replica: its name (= HAProxy server and cookie value), host, address."""

    name: str
    program: str
    host: str
    address: str
    port: int

    @property
    def endpoint(self) -> str:
        """Return address:port, as HAProxy's server line names it."""
        return f"{self.address}:{self.port}"


def replica_args(run_dir: Path | str, address: str, port: int | str) -> list[str]:
    """Return `innomap`'s arguments that run one replica with the production settings."""
    return ["serve", "--dir", str(run_dir), "--port", str(port), "--server.address", address]


def replica_command(python: str, run_dir: Path, address: str, port: int,
                    options: tuple[str, ...] = ()) -> list[str]:
    """Return the command line of one replica (Streamlit options last)."""
    return [python, "-m", "innomap", *replica_args(run_dir, address, port), *options]


def health_path(options: tuple[str, ...] = ()) -> str:
    """Return the health endpoint's path, under the URL prefix the Streamlit options set."""
    return prefixed(HEALTH_PATH, options)


def static_path(options: tuple[str, ...] = ()) -> str:
    """Return the folder of Streamlit's own files (/static/), under the URL prefix."""
    return prefixed(STATIC_PATH, options)


def prefixed(path: str, options: tuple[str, ...]) -> str:
    """Return `path` under the URL prefix that the Streamlit options set (--server.baseUrlPath)."""
    prefix = ""
    for index, option in enumerate(options):
        name, _, value = option.partition("=")
        if name == "--server.baseUrlPath":
            prefix = value or (options[index + 1] if index + 1 < len(options) else "")
    return f"/{prefix.strip('/')}{path}" if prefix.strip("/") else path


def prepare_app_dir(app_dir: Path) -> Path:
    """Write the Streamlit script and the production settings into app_dir; return the script.

    Every replica of a host shares the folder, and with it the script's path: Streamlit
    derives its widget ids from that path, so a tab that fails over to another replica keeps
    its widgets only if the path is the same there. Replicas starting at once may all write
    it: each file is written aside and renamed, and only when its content changed.
    """
    _write_if_changed(app_dir / ".streamlit" / "config.toml", STREAMLIT_CONFIG.read_bytes())
    entry = app_dir / "innomap_app.py"
    _write_if_changed(entry, SERVE_ENTRY.encode())
    return entry


def _write_if_changed(path: Path, blob: bytes) -> None:
    if path.is_file() and path.read_bytes() == blob:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f"{path.name}.{os.getpid()}.partial")
    staging.write_bytes(blob)
    staging.replace(path)


def namespace(host: int) -> str:
    """Return the network namespace of simulated host number `host` (1-based)."""
    return f"innomap-h{host}"


def host_address(host: int) -> str:
    """Return the private address of simulated host number `host` on the bridge."""
    return f"{SUBNET}.{10 + host}"


def plan_one_machine(ports: list[int]) -> list[Replica]:
    """Return replicas r1 … rN on loopback, on the given ports."""
    return [Replica(f"r{n}", f"r{n}", "", "127.0.0.1", port)
            for n, port in enumerate(ports, start=1)]


def plan_hosts(hosts: int, per_host: int) -> list[Replica]:
    """Return per_host replicas on each of `hosts` hosts, interleaved by host.

    The order is HAProxy's round robin order, so consecutive new browsers go to different
    hosts: h1-r1, h2-r1, h3-r1, h1-r2 …
    """
    return [Replica(f"h{h}-r{n}", f"r{n}", namespace(h), host_address(h),
                    FIRST_REPLICA_PORT + n - 1)
            for n in range(1, per_host + 1) for h in range(1, hosts + 1)]


def write_plan(path: Path, replicas: list[Replica]) -> None:
    """Write the replicas as JSON: what tests and benchmarks/load.py read."""
    path.write_text(json.dumps([asdict(r) for r in replicas], indent=1) + "\n",
                    encoding="utf-8")


def read_plan(path: Path) -> list[Replica]:
    """Read the replicas `write_plan` wrote."""
    return [Replica(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
