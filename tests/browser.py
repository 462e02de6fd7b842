"""Support for the real-browser tests: run the dashboard with `streamlit run`, drive Chromium.

Imported by test_browser.py as a plain module: pytest's default "prepend" import mode puts
this folder (no __init__.py) on sys.path.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest


def skip_or_fail(reason: str, module: bool = False) -> None:
    """Skip for a missing browser stack, but fail on CI, where it must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


# test_browser.py takes its Playwright names from here, so this guard covers it too.
try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        Locator,
        Page,
        expect,
        sync_playwright,
    )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:
    skip_or_fail("playwright is not installed: pip install -e '.[test]'", module=True)

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKER = "path.innomap-city"
MARKER_PREFIX = "innomap-city--"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10
# Generous: a loaded 2-core machine took 13 s to a first map; only failures wait this long.
UI_TIMEOUT_MS = 60_000
LOG_TAIL_CHARS = 20_000


@dataclass
class Server:
    """A `streamlit run dashboard.py` process on a loopback port, logging to a file."""

    process: subprocess.Popen
    port: int
    base_path: str
    log_path: Path

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


def server_env() -> dict[str, str]:
    """Return the environment for the app and CLI: shipped data, no outside Streamlit config."""
    return {key: value for key, value in os.environ.items()
            if key not in ("INNOMAP_DATA", "INNOMAP_THEMES") and not key.startswith("STREAMLIT_")}


def start_server(log_path: Path, base_path: str = "", data: Path | None = None) -> Server:
    """Start the dashboard with the running Python and return once it reports healthy.

    It reads the shipped data, or the cities file `data` (INNOMAP_DATA) when given.
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if base_path:
        command += ["--server.baseUrlPath", base_path]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        env = server_env() | ({"INNOMAP_DATA": str(data)} if data else {})
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = Server(process, port, base_path, log_path)
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
                    return
        except (URLError, OSError):
            pass
        # Waiting on the process doubles as the poll interval and catches a crash at once.
        try:
            code = server.process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with {code} before serving:\n{server.log()}")
    raise RuntimeError(f"streamlit not healthy at {health} after {timeout} s:\n{server.log()}")


def chromium_path() -> str:
    """Return Debian's Chromium; skip the test (fail on CI) when it is not installed."""
    path = shutil.which("chromium")
    if path is None:
        skip_or_fail("chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """Run the system Chromium headless for the block (never a Playwright-downloaded one)."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser) -> BrowserContext:
    """Return a fresh English, desktop-sized browser context that accepts downloads."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    context.set_default_timeout(UI_TIMEOUT_MS)
    return context


@dataclass
class Traffic:
    """What a page did on the network and in its console, recorded for later checks."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @classmethod
    def watch(cls, page: Page) -> Traffic:
        """Start recording a page (and its frames) before its first navigation."""
        traffic = cls()
        page.on("request", lambda request: traffic.requests.append(request.url))
        page.on("websocket", lambda socket_: traffic.requests.append(socket_.url))
        page.on("requestfailed", lambda request: traffic.failed.append(
            f"{request.url}: {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and
                traffic.bad_responses.append(f"{response.status} {response.url}"))
        page.on("console", lambda message: message.type == "error" and
                traffic.console_errors.append(f"{message.text} ({message.location})"))
        page.on("pageerror", lambda error: traffic.page_errors.append(str(error)))
        return traffic

    def foreign(self, origin: str) -> list[str]:
        """Return the requested URLs (http or websocket) not served by the given origin."""
        host = urlsplit(origin).netloc
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != host]


def marker_ids(page: Page) -> set[str]:
    """Return the ids of the city markers now on the map."""
    classes = page.frame_locator(MAP_FRAME).locator(MARKER).evaluate_all(
        "els => els.map(el => el.getAttribute('class'))")
    return {name.removeprefix(MARKER_PREFIX) for value in classes for name in value.split()
            if name.startswith(MARKER_PREFIX)}


# Runs in the page: the component iframe is same-origin, so its document is readable.
# Returns "ok", an app error's text (to fail at once, not at the timeout), or false.
_MARKERS_ARE = """([frameSelector, marker, prefix, wanted]) => {
    const crash = document.querySelector(
        '[data-testid="stException"], [data-testid="stAlertContentError"]');
    if (crash) return "the app raised: " + crash.innerText;
    const frame = document.querySelector(frameSelector);
    const doc = frame && frame.contentDocument;
    if (!doc || frame.getBoundingClientRect().height <= 0) return false;
    const ids = [...doc.querySelectorAll(marker)].map(el =>
        ([...el.classList].find(c => c.startsWith(prefix)) || "").slice(prefix.length));
    return JSON.stringify(ids.sort()) === JSON.stringify(wanted) && "ok";
}"""


def wait_for_markers(page: Page, wanted: set[str], timeout: float = UI_TIMEOUT_MS) -> None:
    """Wait until the visible map shows exactly the wanted cities' markers."""
    try:
        outcome = page.wait_for_function(
            _MARKERS_ARE, arg=[MAP_FRAME, MARKER, MARKER_PREFIX, sorted(wanted)],
            timeout=timeout).json_value()
    except PlaywrightTimeout:
        outcome = f"timed out; shown: {describe_markers(page)}"
    assert outcome == "ok", f"markers never became {sorted(wanted)}: {outcome}"


def describe_markers(page: Page) -> str:
    """Return the shown marker ids as text, or say that there is no map."""
    if not page.locator(MAP_FRAME).count():
        return "no map iframe"
    return ", ".join(sorted(marker_ids(page))) or "none"


def headline(page: Page) -> Locator:
    """Return the headline (the st.subheader above the map)."""
    return page.get_by_role("heading", level=3)


def wait_until_idle(page: Page) -> None:
    """Wait until Streamlit no longer shows its 'running' indicator (for clean screenshots)."""
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()


def choose_option(page: Page, key: str, label: str) -> None:
    """Pick an option by its visible label in the multiselect with this widget key."""
    page.locator(f".st-key-{key}").get_by_role("combobox").click()
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")


def screenshot(page: Page, *paths: Path) -> None:
    """Save the viewport to each path, creating folders as needed."""
    image = page.screenshot(animations="disabled")
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image)


def save_failure_screenshot(page: Page, path: Path) -> None:
    """Keep what the page showed when a test failed; a dead page must not add an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=path)
    except PlaywrightError as err:
        print(f"no failure screenshot: {err}")


def export_cli(*args: str) -> bytes:
    """Return what `innomap export ARGS` prints to stdout, run with the running Python."""
    done = subprocess.run([sys.executable, "-c", "from innomap.cli import main; main()",
                           "export", *args], cwd=ROOT, env=server_env(), capture_output=True,
                          timeout=120)
    assert done.returncode == 0, f"innomap export failed: {done.stderr.decode(errors='replace')}"
    return done.stdout
