"""The browser tests' page helpers; the server and Chromium start in harness.py.

The browser modules take their harness and Playwright names from here, so the import guard
below covers them too: without Playwright they skip (fail under CI=true).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.support import harness
from tests.support.harness import (  # noqa: F401 - re-exported for the test modules
    ARTIFACTS,
    MAP_FRAME,
    MARKER,
    MARKER_PREFIX,
    OTHER_SITE_HOST,
    ROOT,
    UI_TIMEOUT_MS,
    VIEW_IS,
    VIEWPORT,
    Server,
    new_context,
    server_env,
    start_server,
    static_site,
    view_is_arg,
)
from tests.support.tools import missing_tool

try:
    from playwright.sync_api import (  # noqa: F401 - Browser is re-exported for type hints
        Browser,
        Frame,
        FrameLocator,
        Locator,
        Page,
        expect,
    )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:
    missing_tool("playwright is not installed: pip install -e '.[test]'", module=True)


def chromium_path() -> str:
    """Return Debian's Chromium; skip the test (fail on CI) when it is not installed."""
    try:
        return harness.chromium_path()
    except harness.MissingBrowser as err:
        missing_tool(str(err))


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


def write_embedding_page(folder: Path, name: str, snippet: str) -> None:
    """Write a plain Finnish web page holding an embed code, as a municipality's site would."""
    (folder / name).write_text(
        '<!doctype html>\n<html lang="fi"><head><meta charset="utf-8">'
        f"<title>Kunnan sivu</title></head>\n<body><h1>Kunnan sivu</h1>\n{snippet}\n"
        "</body></html>\n", encoding="utf-8")


def embedded_app(page: Page, origin: str) -> Frame:
    """Return the embedded app's document: the page's one frame, once it is served from
    `origin` (a new frame is about:blank until its first navigation commits)."""
    expect(page.locator("iframe")).to_have_count(1)
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None, "the iframe has no document"
    frame.wait_for_url(re.compile(rf"^{re.escape(origin)}/"), wait_until="commit")
    return frame


def wait_for_embedded_markers(page: Page, origin: str, wanted: set[str],
                              params: dict[str, list[str]]) -> None:
    """Wait until the map in the embedded app shows exactly the wanted cities, and the app's
    address (which it rewrites) still has these parameters."""
    frame = embedded_app(page, origin)
    try:
        outcome = frame.wait_for_function(VIEW_IS, arg=view_is_arg(wanted, params),
                                          timeout=UI_TIMEOUT_MS).json_value()
    except PlaywrightTimeout:
        outcome = f"timed out at {frame.url}"
    assert outcome == "ok", f"the embedded map never showed {sorted(wanted)}: {outcome}"


def describe_markers(page: Page) -> str:
    """Return the shown marker ids as text, or say that there is no map."""
    if not page.locator(MAP_FRAME).count():
        return "no map iframe"
    return ", ".join(sorted(marker_ids(page))) or "none"


def details_panel(page: Page) -> Locator:
    """Return the details column: the column holding the 'city' selectbox."""
    return page.get_by_test_id("stColumn").filter(has=page.locator(".st-key-city"))


def similar_names(page: Page) -> Locator:
    """Return the name cells of the details panel's similar-cities table, in row order.

    The table is a canvas grid; its cells' text is in the grid's accessible table.
    """
    return page.locator('.st-key-similar td[role="gridcell"][aria-colindex="1"]')


def map_frame(page: Page) -> FrameLocator:
    """Return the map iframe (re-resolved on every use: a rerun may replace it)."""
    return page.frame_locator(MAP_FRAME)


def click_marker(page: Page, city: str) -> None:
    """Click a city's marker with the real mouse, first raising it above overlapping ones."""
    marker = map_frame(page).locator(f"path.{MARKER_PREFIX}{city}")
    # Leaflet's bringToFront is just this re-append; without it a neighbour may take the click.
    marker.evaluate("el => el.parentNode.appendChild(el)")
    marker.click()


def popup(page: Page, city: str) -> Locator:
    """Return the city's popup if it is the map's newest one (built by the browser runtime).

    Leaflet fades a closing popup out for a moment while the next one opens (a rerun redraws
    the cities and reopens the selected one), so only the last popup is the open one.
    """
    newest = map_frame(page).locator(".leaflet-popup").last
    return newest.locator(f'div.innomap-popup[data-city="{city}"]')


def url_param(key: str, value: str) -> re.Pattern[str]:
    """Return a pattern for a page URL carrying key=value as a query parameter."""
    return re.compile(rf"[?&]{re.escape(key)}={re.escape(value)}(&|$)")


def headline(page: Page) -> Locator:
    """Return the headline (the h2 above the tabs)."""
    return page.get_by_role("heading", level=2).and_(page.locator(".innomap-headline"))


def wait_until_idle(page: Page) -> None:
    """Wait until Streamlit no longer shows its 'running' indicator (for clean screenshots)."""
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()


# Counts the app's finished runs from now on: a change of its script state away from
# "running" (recorded with the old value, so a run quicker than one observer batch counts too).
COUNT_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__innomapRuns = 0;
    new MutationObserver((records) => {
        window.__innomapRuns += records.filter((r) => r.oldValue === "running").length;
    }).observe(app, {attributes: true, attributeOldValue: true,
                     attributeFilter: ["data-test-script-state"]});
}"""


def after_rerun(page: Page, action: Callable[[], None]) -> None:
    """Do `action` (a widget change) and wait until the run it starts has finished: what the
    run draws (a download button's file, say) is the new one only then."""
    page.evaluate(COUNT_RUNS)
    action()
    page.wait_for_function("window.__innomapRuns >= 1")
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state",
                                                            "notRunning")


def choose_option(page: Page, key: str, label: str) -> None:
    """Pick an option by its visible label in the multiselect with this widget key."""
    widget = page.locator(f".st-key-{key}")
    # Typed, never clicked open; clicked once narrowed (tests/support/sessions.py says why).
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
