"""The browser tests' page helpers; the server and Chromium start in harness.py.

Imported by the test modules as a plain module: pytest's default "prepend" import mode puts
this folder (no __init__.py) on sys.path. The browser modules take their harness and
Playwright names from here, so the import guard below covers them too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import harness
import pytest
from harness import (  # noqa: F401 - re-exported for the test modules
    ARTIFACTS,
    MAP_FRAME,
    MARKER,
    MARKER_PREFIX,
    ROOT,
    UI_TIMEOUT_MS,
    VIEW_IS,
    VIEWPORT,
    Server,
    new_context,
    server_env,
    start_server,
    view_is_arg,
)


def skip_or_fail(reason: str, module: bool = False) -> None:
    """Skip for a missing browser stack, but fail on CI, where it must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


try:
    from playwright.sync_api import (  # noqa: F401 - Browser is re-exported for type hints
        Browser,
        Locator,
        Page,
        expect,
    )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:
    skip_or_fail("playwright is not installed: pip install -e '.[test]'", module=True)


def chromium_path() -> str:
    """Return Debian's Chromium; skip the test (fail on CI) when it is not installed."""
    try:
        return harness.chromium_path()
    except harness.MissingBrowser as err:
        skip_or_fail(str(err))  # raises: a skip, or a failure on CI
        raise


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
        # The stack names the line that threw: a page error under load may not come back.
        page.on("pageerror", lambda error: traffic.page_errors.append(error.stack or str(error)))
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


def wait_for_markers(page: Page, wanted: set[str], timeout: float = UI_TIMEOUT_MS) -> None:
    """Wait until the visible map shows exactly the wanted cities' markers."""
    try:
        outcome = page.wait_for_function(VIEW_IS, arg=view_is_arg(wanted),
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
    """Return the headline (the h2 above the tabs)."""
    return page.get_by_role("heading", level=2).and_(page.locator(".innomap-headline"))


def wait_until_idle(page: Page) -> None:
    """Wait until Streamlit no longer shows its 'running' indicator (for clean screenshots)."""
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()


def choose_option(page: Page, key: str, label: str) -> None:
    """Pick an option by its visible label in the multiselect with this widget key."""
    widget = page.locator(f".st-key-{key}")
    # Typed, never clicked open; clicked once narrowed (tests/sessions.py says why).
    widget.get_by_role("combobox").fill(label)
    options = page.get_by_role("option")
    expect(options).to_have_text([label])
    options.click()
    expect(widget.locator(f'[data-tag][aria-label="{label}"]')).to_have_count(1)
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
