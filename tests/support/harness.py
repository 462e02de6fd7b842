"""Start a Streamlit server, a static site to embed it in, and Debian's Chromium: the one copy,
for tests, benchmarks, scripts.

The tests import it as tests.support.harness (pytest puts the repository root on sys.path);
a benchmark or script runs on its own and puts the repository root on sys.path itself.
Playwright is imported only by the functions that start the browser.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
ARTIFACTS = ROOT / "test-artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKER = "path.innomap-city"
MARKER_PREFIX = "innomap-city--"
# Another site to the browser (an IP address is a site of its own), for pages that embed the
# app (static_site).
OTHER_SITE_HOST = "127.0.0.2"
# Every host but 127.0.0.1 and 127.0.0.2 fails to resolve, so nothing can leave this machine
# by accident.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE {OTHER_SITE_HOST}"]
VIEWPORT = {"width": 1400, "height": 1000}
CONTEXT = {"viewport": VIEWPORT, "locale": "en-US", "accept_downloads": True}
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 10
# Generous: a loaded 2-core machine took 13 s to a first map; only failures wait this long.
UI_TIMEOUT_MS = 60_000
LOG_TAIL_CHARS = 20_000
POLL_S = 0.1


class MissingBrowser(RuntimeError):
    """Debian's chromium is not installed."""


@dataclass
class Server:
    """A `streamlit run` process on a loopback port, logging to a file."""

    process: subprocess.Popen
    port: int
    base_path: str
    log_path: Path
    # perf_counter() when the process was spawned, and when its health check first answered.
    spawned: float
    healthy: float = 0.0

    @property
    def origin(self) -> str:
        """Return scheme://host:port of the server."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, query: str = "") -> str:
        """Return the app's page URL (under the base path) with an optional query string."""
        path = f"/{self.base_path}/" if self.base_path else "/"
        return f"{self.origin}{path}{'?' + query if query else ''}"

    def log(self) -> str:
        """Return the end of everything the server printed so far."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text if len(text) <= LOG_TAIL_CHARS else "…" + text[-LOG_TAIL_CHARS:]

    def cpu_s(self) -> float:
        """Return the CPU seconds (user + system) the server has used so far, from /proc."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # After the command name, index 0 is stat field 3: utime is 14, stime 15.
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        """Return the server's resident memory in MB (VmRSS from /proc)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(kib) / 1024

    def wait_idle(self, quiet_s: float = 1.0, timeout_s: float = 900) -> None:
        """Wait until the server has used under 2 % of a core for quiet_s (runs are over)."""
        deadline = time.monotonic() + timeout_s
        since, used = time.monotonic(), self.cpu_s()
        while time.monotonic() < deadline:
            time.sleep(POLL_S)  # the poll interval: the condition is read from /proc
            now, cpu = time.monotonic(), self.cpu_s()
            if cpu - used > 0.02 * (now - since):
                since, used = now, cpu
            elif now - since >= quiet_s:
                return
        raise RuntimeError(f"server still busy after {timeout_s} s:\n{self.log()}")

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


def server_env(data: Path | None = None) -> dict[str, str]:
    """Return the environment for the app and CLI: no outside Streamlit or innomap settings.

    The app reads the shipped data, or the cities file `data` (INNOMAP_DATA) when given.
    """
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("INNOMAP_", "STREAMLIT_"))}
    return env | ({"INNOMAP_DATA": str(data)} if data else {})


def start_server(log_path: Path, data: Path | None = None, options: Sequence[str] = (),
                 script: Path = DASHBOARD, wrapper: Sequence[str] = ()) -> Server:
    """Run `streamlit run script` from the checkout (its .streamlit/config.toml); return it
    once its health check answers.

    Each option is "section.name=value", passed on as a Streamlit flag (as `--set` does).
    wrapper: a command that execs the server, e.g. ("taskset", "-c", "0") to pin it to a core.
    """
    port = free_port()
    command = [*wrapper, sys.executable, "-m", "streamlit", "run", str(script),
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    settings = dict(option.split("=", 1) for option in options)
    for key, value in settings.items():
        command += [f"--{key}", value]
    return launch(command, port, log_path, server_env(data),
                  settings.get("server.baseUrlPath", "").strip("/"))


def launch(command: Sequence[str | Path], port: int, log_path: Path, env: dict[str, str],
           base_path: str = "", cwd: Path = ROOT) -> Server:
    """Start a command that serves the app on `port`; return it once its health check answers."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    spawned = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(part) for part in command], cwd=cwd, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, port, base_path, log_path, spawned)
    try:
        wait_until_healthy(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_healthy(server: Server, timeout: float = START_TIMEOUT_S) -> None:
    """Poll the server's health endpoint until it answers; fail early if the process dies."""
    health = server.url().rstrip("/") + "/_stcore/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(health, timeout=2) as response:
                if response.status == 200:
                    server.healthy = time.perf_counter()
                    return
        except (URLError, OSError):
            pass
        # Waiting on the process doubles as the poll interval and catches a crash at once.
        try:
            code = server.process.wait(timeout=POLL_S)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with {code} before serving:\n{server.log()}")
    raise RuntimeError(f"streamlit not healthy at {health} after {timeout} s:\n{server.log()}")


class QuietFiles(SimpleHTTPRequestHandler):
    """Serve a folder's files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@contextmanager
def static_site(folder: Path, host: str = OTHER_SITE_HOST) -> Iterator[str]:
    """Serve a folder's files over HTTP on a loopback address; yield its origin.

    The server listens before this yields: no wait is needed before the first request.
    """
    handler = functools.partial(QuietFiles, directory=str(folder))
    with ThreadingHTTPServer((host, 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{httpd.server_address[1]}"
        finally:
            httpd.shutdown()
            thread.join()


def chromium_path() -> str:
    """Return Debian's Chromium (never a Playwright-downloaded one)."""
    path = shutil.which("chromium")
    if path is None:
        raise MissingBrowser("chromium is not installed (apt-get install chromium)")
    return path


def launch_options() -> dict[str, Any]:
    """Return Playwright's launch options: Debian's Chromium, headless, offline."""
    return {"executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@contextmanager
def chromium() -> Iterator[Any]:
    """Run Chromium for the block (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    options = launch_options()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        try:
            yield browser
        finally:
            browser.close()


@asynccontextmanager
async def async_chromium() -> AsyncIterator[Any]:
    """Run Chromium for the block (Playwright's async API, for concurrent sessions)."""
    from playwright.async_api import async_playwright

    options = launch_options()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**options)
        try:
            yield browser
        finally:
            await browser.close()


def new_context(browser: Any, timeout_ms: float = UI_TIMEOUT_MS) -> Any:
    """Return a fresh English, desktop-sized context (one Streamlit session) for a sync browser."""
    context = browser.new_context(**CONTEXT)
    context.set_default_timeout(timeout_ms)
    return context


# Runs in the page: the component iframe is same-origin, so its document is readable.
# Returns "ok", an app error's text (to fail at once, not at the timeout), or false.
VIEW_IS = """([frameSelector, marker, prefix, wanted, params]) => {
    const crash = document.querySelector(
        '[data-testid="stException"], [data-testid="stAlertContentError"]');
    if (crash) return "the app showed an error: " + crash.innerText.slice(0, 300);
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


def view_is_arg(wanted: set[str] | frozenset[str],
                params: dict[str, list[str]] | None = None) -> list[Any]:
    """Return VIEW_IS's argument: exactly these markers, and these URL parameters if given."""
    return [MAP_FRAME, MARKER, MARKER_PREFIX, sorted(wanted), params or {}]
