"""`innomap serve --hosts`: its refusals (not root, another run, a namespace left behind) and
its clean-up when the start fails or is interrupted: nothing may be left behind.

A module of its own: tests/test_hosts.py keeps its hosts running until its last test is done,
and these need the names free.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from innomap.ops import network
from tests.support import deployment
from tests.support.deployment import leftovers
from tests.support.harness import POLL_S, free_port, server_env

WAIT_S = 90


def serve_hosts(tmp_path: Path, port: int, *prefix: str) -> subprocess.Popen:
    """Start `innomap serve --hosts 2 --replicas 1` (after `prefix`, e.g. setpriv)."""
    return subprocess.Popen([*prefix, sys.executable, "-m", "innomap", "serve", "--dir",
                             str(tmp_path), "--hosts", "2", "--replicas", "1", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=server_env())


def finished(process: subprocess.Popen) -> str:
    """Wait (bounded) for the command to end; return what it printed."""
    out, _ = process.communicate(timeout=WAIT_S)
    return out


def test_without_root_the_command_says_so(tmp_path):
    """Not root (as root, the test runs it in a user namespace of its own, where it is
    nobody and holds no capability over this machine's network, while it can still read the
    checkout, wherever that is): a clear refusal, nothing made."""
    deployment.require_engines()
    drop = [] if os.geteuid() else ["unshare", "--user"]
    process = serve_hosts(tmp_path / "run", free_port(), *drop)
    out = finished(process)
    assert process.returncode == 1
    assert out == ("Error: serve --hosts needs root: it creates network namespaces, a bridge "
                   "and veth links with `ip` (run it as root, e.g. with sudo)\n")
    assert not (tmp_path / "run").exists()


def test_a_second_run_is_refused_while_a_namespace_exists(tmp_path):
    """innomap-h1 exists (another run, or one killed with SIGKILL): the command refuses and
    says how to remove it; it neither touches nor removes what it did not make."""
    deployment.require_root()
    deployment.ip("netns", "add", "innomap-h1")
    try:
        process = serve_hosts(tmp_path, free_port())
        out = finished(process)
        assert process.returncode == 1
        assert out == ("Error: namespace innomap-h1 exists already: another `serve --hosts` "
                       "runs, or one was killed before it could clean up. Stop it, or remove "
                       "them: ip netns delete innomap-h1\n")
        assert "innomap-h1" in deployment.ip("netns", "list")
    finally:
        deployment.ip("netns", "delete", "innomap-h1")
    assert leftovers(tmp_path) == []


def test_a_failure_halfway_leaves_nothing_behind(tmp_path):
    """HAProxy cannot bind its port (taken): the namespaces, supervisord and replicas exist by
    then. The command says what failed and removes everything it made."""
    deployment.require_root()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = serve_hosts(tmp_path, taken.getsockname()[1])
        out = finished(process)
    assert process.returncode == 1, out
    assert out.startswith("Error: haproxy exited with 1 before every replica was up; see "
                          f"the logs in {tmp_path / 'replicas'}\n"), out
    assert "cannot bind socket" in (tmp_path / "replicas" / "haproxy.log").read_text()
    # The hosts had been made and their supervisord started before HAProxy failed.
    assert [(tmp_path / "replicas" / h / "supervisord.conf").is_file() for h in ("h1", "h2")] \
        == [True, True]
    assert leftovers(tmp_path) == []


def test_sigterm_while_starting_leaves_nothing_behind(tmp_path):
    """SIGTERM once the second host's supervisord runs, before the replicas are up: the
    command stops everything it started and removes what it made, and exits 0."""
    deployment.require_root()
    process = serve_hosts(tmp_path, free_port())
    try:
        deadline = time.monotonic() + WAIT_S
        while not ("innomap-h2" in deployment.ip("netns", "list")
                   and deployment.namespace_pids("innomap-h2")):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(POLL_S)
    finally:
        process.send_signal(signal.SIGTERM)
    out = finished(process)
    assert process.returncode == 0, out
    assert out == "innomap: interrupted while starting; stopped everything it started\n"
    assert leftovers(tmp_path) == []


def test_a_second_run_is_refused_while_the_first_holds_the_lock(tmp_path):
    """One `serve --hosts` at a time: a second one refuses before it makes anything."""
    deployment.require_root()
    network.LOCK.parent.mkdir(parents=True, exist_ok=True)
    with network.LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process = serve_hosts(tmp_path, free_port())
        out = finished(process)
    assert process.returncode == 1
    assert out == (f"Error: another `serve --hosts` runs (it holds {network.LOCK}); stop it "
                   "first\n")
    assert leftovers(tmp_path) == [] and not (tmp_path / "replicas").exists()
