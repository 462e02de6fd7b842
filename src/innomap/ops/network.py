"""Simulated hosts on one machine: a network namespace per host, a bridge joining them to the
root namespace (where HAProxy runs), a veth pair per host. Made with iproute2's `ip`.

Everything made is undone by callbacks on the caller's ExitStack, in reverse order, so a
failure or a signal halfway through leaves nothing behind. The namespaces have no default
route: their replicas reach only the bridge's network, and nothing goes anywhere else.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

from innomap.ops.shape import BRIDGE, SUBNET, host_address, namespace

# Held while a run makes, uses and removes the namespaces: a second run refuses at once,
# before it could take the first one's names for its own.
LOCK = Path("/run/lock/innomap-hosts.lock")
IP_TIMEOUT_S = 30
EMPTY_TIMEOUT_S = 10
POLL_S = 0.1


def ip_path() -> str:
    """Return iproute2's `ip`, or explain how to get it."""
    path = shutil.which("ip") or ("/usr/sbin/ip" if Path("/usr/sbin/ip").exists() else None)
    if path is None:
        raise RuntimeError("`ip` (iproute2) is not installed: apt-get install iproute2")
    return path


def ip(*args: str, check: bool = True) -> str:
    """Run `ip ARGS`; return its output, or raise with its message if it failed."""
    done = subprocess.run([ip_path(), *args], capture_output=True, text=True,
                          timeout=IP_TIMEOUT_S, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"`ip {' '.join(args)}` failed: {done.stderr.strip()}")
    return done.stdout


def require_root() -> None:
    """Refuse, saying why, unless this process may create namespaces and links."""
    if os.geteuid() != 0:
        raise RuntimeError("serve --hosts needs root: it creates network namespaces, a bridge "
                           "and veth links with `ip` (run it as root, e.g. with sudo)")


def veth(host: int) -> tuple[str, str]:
    """Return the root-side and the host-side names of host `host`'s veth pair."""
    return f"innomap-v{host}", f"innomap-v{host}n"


def claim(stack: ExitStack) -> None:
    """Hold the lock that one `serve --hosts` at a time holds, until the stack closes."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    lock = stack.enter_context(LOCK.open("a"))
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise RuntimeError(f"another `serve --hosts` runs (it holds {LOCK}); stop it "
                           "first") from None


def check_free(hosts: int) -> None:
    """Refuse if a namespace, link or address this command makes exists already."""
    namespaces = {line.split()[0] for line in ip("netns", "list").splitlines() if line.strip()}
    taken = sorted(n for n in namespaces if n.startswith("innomap-h"))
    links = [name for name in [BRIDGE, *(v for h in range(1, hosts + 1) for v in veth(h))]
             if ip("link", "show", name, check=False)]
    used = ip("-o", "address", "show", "to", f"{SUBNET}.0/24").split()
    if taken or links or used:
        what = ", ".join([*(f"namespace {n}" for n in taken), *(f"link {n}" for n in links),
                          *([f"an address in {SUBNET}.0/24"] if used else [])])
        raise RuntimeError(
            f"{what} exists already: another `serve --hosts` runs, or one was killed "
            f"before it could clean up. Stop it, or remove them: "
            + "; ".join([*(f"ip netns delete {n}" for n in taken),
                         *(f"ip link delete {n}" for n in links)] or ["ip address show"]))


def build(stack: ExitStack, hosts: int) -> None:
    """Make the bridge and `hosts` namespaces on it; push their removal onto the stack.

    Each removal is pushed before its making (and does nothing if there is nothing to
    remove), so that a signal arriving in between cannot leave anything behind.
    """
    stack.callback(ip, "link", "delete", BRIDGE, check=False)
    ip("link", "add", BRIDGE, "type", "bridge")
    ip("address", "add", f"{SUBNET}.1/24", "dev", BRIDGE)
    ip("link", "set", BRIDGE, "up")
    for host in range(1, hosts + 1):
        name, (outside, inside) = namespace(host), veth(host)
        stack.callback(remove_namespace, name)
        ip("netns", "add", name)
        # Deleting one end deletes the pair; the namespace's end goes with it.
        stack.callback(ip, "link", "delete", outside, check=False)
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", name)
        ip("link", "set", outside, "master", BRIDGE)
        ip("link", "set", outside, "up")
        ip("-n", name, "address", "add", f"{host_address(host)}/24", "dev", inside)
        ip("-n", name, "link", "set", inside, "up")
        ip("-n", name, "link", "set", "lo", "up")


def namespace_pids(name: str) -> list[int]:
    """Return the pids of the processes in a network namespace (none if it is gone)."""
    return [int(pid) for pid in ip("netns", "pids", name, check=False).split()]


def remove_namespace(name: str) -> None:
    """Kill every process still in the namespace, wait until it is empty, delete it."""
    deadline = time.monotonic() + EMPTY_TIMEOUT_S
    while pids := namespace_pids(name):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"processes {pids} in {name} outlived SIGKILL for "
                               f"{EMPTY_TIMEOUT_S} s")
        time.sleep(POLL_S)  # until the kernel has taken them out of the namespace
    ip("netns", "delete", name, check=False)
