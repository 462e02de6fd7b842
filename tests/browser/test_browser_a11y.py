"""Accessibility in a real browser: axe-core on every tab in Finnish, Swedish and English, on
the page and inside the map frame, and the map by keyboard.

axe-core comes from npm (package.json at the repository root, `npm ci`), never from a CDN.
Without it these tests skip, and fail on CI. Findings that are Streamlit's or Leaflet's own
and cannot be fixed from outside are listed in KNOWN below, by rule and selector, with the
reason; the accessibility statement names them too.
"""

from __future__ import annotations

import json
import re

import pytest

from innomap.i18n import t
from innomap.schema import LANGS
from innomap.ui.app import TABS
from tests.support.browser import (
    MAP_FRAME,
    ROOT,
    Page,
    Server,
    chromium_path,
    expect,
    wait_for_markers,
    wait_until_idle,
)
from tests.support.tools import missing_tool

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CITIES = {f["properties"]["id"]: f["properties"] for f in json.loads(
    (ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]}
# WCAG 2.0/2.1 level A and AA, and axe's best practices (reported as findings too).
WCAG = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
TAGS = (*WCAG, "best-practice")
# Known exceptions: (rule, a pattern the element's selector matches) → why it stays.
KNOWN: dict[tuple[str, str], str] = {}


def known(rule: str, target: str) -> bool:
    """Return whether a finding is a listed exception."""
    return any(rule == k_rule and re.search(pattern, target) for k_rule, pattern in KNOWN)


@pytest.fixture(scope="module", autouse=True)
def needs_tools() -> None:
    """Skip (fail on CI) before any server starts when Chromium or axe-core is missing."""
    chromium_path()
    if not AXE.is_file():
        missing_tool(f"axe-core is not installed ({AXE}): run `python3 dev.py test` (it runs "
                     "`npm ci`) or `npm ci` at the repository root")


_RUN = """async ([tags, iframes]) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                            iframes: iframes, resultTypes: ["violations"]});
    return result.violations.map(v => ({id: v.id, impact: v.impact, tags: v.tags,
        targets: v.nodes.map(n => n.target.join(" ")),
        summary: v.nodes.length ? v.nodes[0].failureSummary : ""}));
}"""


def axe(frame) -> list[dict]:
    """Run axe-core in a page or frame (not in its child frames); return its violations."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.add_script_tag(path=str(AXE))
    return frame.evaluate(_RUN, [list(TAGS), False])


def findings(violations: list[dict]) -> list[str]:
    """Return the violations that are not listed exceptions, one line each."""
    lines = []
    for v in violations:
        for target in v["targets"]:
            if not known(v["id"], target):
                level = "wcag" if set(v["tags"]) & set(WCAG) else "best-practice"
                lines.append(f"{v['id']} ({v['impact']}, {level}) at {target}: "
                             f"{v['summary'][:300]}")
    return lines


def map_frame(page: Page):
    """Return the map's frame (a Playwright Frame, for axe)."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def open_tab(page: Page, server: Server, lang: str, tab: str, city: str = "") -> None:
    """Open the dashboard in a language (and with a city), wait for the map, open a tab."""
    query = f"lang={lang}" + (f"&city={city}" if city else "")
    page.goto(server.url(query))
    wait_for_markers(page, set(CITIES))
    if tab != "map":
        page.get_by_role("tab", name=t(f"tab.{tab}", lang), exact=True).click()
        expect(page.locator(MAP_FRAME)).to_have_count(0)
    wait_until_idle(page)
    # Streamlit fades stale elements during a rerun: check the settled page, not the fade.
    # Its status widget shows only after a moment, so wait for the run itself to be over.
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state",
                                                          "notRunning")
    expect(page.locator('[data-stale="true"]')).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tab", TABS)
def test_axe_finds_nothing_on_the_page(page: Page, server: Server, lang: str, tab: str) -> None:
    """Every tab, in every language, has no axe finding on the page outside KNOWN."""
    open_tab(page, server, lang, tab)
    found = findings(axe(page))
    assert not found, f"{lang}/{tab}:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_with_a_city_selected(page: Page, server: Server, lang: str) -> None:
    """With a city selected (details panel and open popup), page and map frame are clean."""
    open_tab(page, server, lang, "map", city="turku")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator('div.innomap-popup[data-city="turku"]')).to_be_visible()
    found = findings(axe(page)) + [f"map frame: {line}" for line in findings(axe(map_frame(page)))]
    assert not found, f"{lang}/map+city:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_in_the_map_frame(page: Page, server: Server, lang: str) -> None:
    """Inside the map frame: no axe finding outside KNOWN, in every language."""
    open_tab(page, server, lang, "map")
    found = findings(axe(map_frame(page)))
    assert not found, f"{lang}/map frame:\n" + "\n".join(found)


def marker(page: Page, city: str):
    """Return a city's marker in the map frame."""
    return page.frame_locator(MAP_FRAME).locator(f"path.innomap-city--{city}")


def test_markers_are_named_buttons_in_the_language(page: Page, server: Server) -> None:
    """Each marker is a focusable button named by its city, role and region."""
    for lang in LANGS:
        open_tab(page, server, lang, "map")
        for city, props in CITIES.items():
            box = marker(page, city)
            expect(box).to_have_attribute("role", "button")
            expect(box).to_have_attribute("tabindex", "0")
            expect(box).to_have_attribute("aria-label", re.compile(
                rf"^{re.escape(props['name'][lang])}, .+, .+$"))


def test_enter_and_space_on_a_marker_select_its_city_and_escape_closes(page: Page,
                                                                       server: Server) -> None:
    """Keyboard only: Enter opens a city's popup and selects it (details, URL); the focus
    comes back to its marker after the rerun; Escape closes the popup; Space does as Enter."""
    open_tab(page, server, "en", "map")
    frame = page.frame_locator(MAP_FRAME)
    marker(page, "turku").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]city=turku\b"))
    expect(frame.locator('.leaflet-popup div.innomap-popup[data-city="turku"]')).to_have_count(1)
    expect(frame.locator('div.innomap-popup[data-city="turku"]')).to_be_visible()
    expect(page.locator(".innomap-details h3")).to_have_text(CITIES["turku"]["name"]["en"])
    expect(marker(page, "turku")).to_be_focused()
    page.keyboard.press("Escape")
    expect(frame.locator(".leaflet-popup")).to_have_count(0)
    marker(page, "oulu").focus()
    page.keyboard.press(" ")
    expect(page).to_have_url(re.compile(r"[?&]city=oulu\b"))
    # Leaflet fades the old marker's popup out while the rerun's popup opens.
    expect(frame.locator('.leaflet-popup div.innomap-popup[data-city="oulu"]')).to_have_count(1)
    expect(frame.locator('div.innomap-popup[data-city="oulu"]')).to_be_visible()
    expect(marker(page, "oulu")).to_be_focused()


@pytest.mark.parametrize("lang", LANGS)
def test_leaflet_controls_speak_the_language(page: Page, server: Server, lang: str) -> None:
    """Zoom, layers and attribution controls carry the page's language, and so does the frame."""
    open_tab(page, server, lang, "map")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("title",
                                                                        t("map.zoom_in", lang))
    expect(frame.locator(".leaflet-control-zoom-out")).to_have_attribute("title",
                                                                         t("map.zoom_out", lang))
    expect(frame.locator(".leaflet-control-layers-toggle")).to_have_attribute(
        "aria-label", t("map.layers", lang))
    expect(frame.locator(".leaflet-control-attribution a").first).to_have_attribute(
        "title", t("map.leaflet", lang))
    expect(frame.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(frame.locator("main h1")).to_have_text(t("map.heading", lang))


def test_a_phone_viewport_scrolls_only_down_and_shows_every_city(browser, server: Server) -> None:
    """At 390 x 844 nothing scrolls sideways, and the first view keeps every city in the map."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(server.url("lang=en"))
        wait_for_markers(page, set(CITIES))
        wait_until_idle(page)
        wide = page.evaluate("""() => [document.documentElement.scrollWidth,
            document.querySelector('[data-testid=stMain]').scrollWidth]""")
        assert max(wide) <= 390, f"sideways scrolling: {wide}"
        outside = map_frame(page).evaluate("""() => {
            const box = document.querySelector('.leaflet-container').getBoundingClientRect();
            return [...document.querySelectorAll('path.innomap-city')].filter(m => {
                const r = m.getBoundingClientRect();
                return r.left < box.left || r.right > box.right || r.top < box.top ||
                    r.bottom > box.bottom; }).map(m => m.getAttribute('class')); }""")
        assert not outside, f"cities outside the map at 390 px: {outside}"
    finally:
        context.close()
