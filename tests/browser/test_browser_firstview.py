"""The first view (issue 21, section 3): the map's frame measured in Chromium at the most
common screens. On a laptop the whole frame is on the first screen and takes most of the main
column; on a large screen it is larger than the old fixed 600 px; on a phone it starts within
the first 40 % of the screen. At each, the framing holds every city shown, and a resized
window reaches Leaflet (framing.fill, page.css), with no city under the legend."""

from __future__ import annotations

import pytest

from innomap.cities import Dataset
from tests.support.browser import MAP_FRAME, Page, Server, wait_for_markers, wait_until_idle

pytestmark = pytest.mark.browser

LAPTOPS = ({"width": 1366, "height": 768}, {"width": 1280, "height": 720})
LARGE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
# The frame's old fixed height (ui/mapcomponent.py), which a large screen must exceed.
OLD_HEIGHT_PX = 600
# With no city chosen, the map's share of the main column's width, at least.
MAP_SHARE = 0.6
# The downloads row follows the map's frame within Streamlit's gaps (16 px and the frame's
# element container).
FOLLOWS_PX = 40
# On a phone the map starts within this share of the screen's height.
PHONE_TOP_SHARE = 0.4
# Lighthouse's desktop screen (benchmarks/lighthouse.py, issue 21's CLS target).
DESKTOP = {"width": 1350, "height": 940}
# Runs in every frame from its start: each layout shift, with its sources' boxes before and
# after ([x, y, width, height]), as benchmarks/shifts.py records them.
SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) {
    const rect = r => [r.x, r.y, r.width, r.height].map(Math.round);
    window.__shifts.push({value: e.value, sources: e.sources.map(s => ({
        node: s.node ? s.node.nodeName + ' ' + (s.node.className || '') : null,
        from: rect(s.previousRect), to: rect(s.currentRect)}))});
}}).observe({type: 'layout-shift', buffered: true});
"""

# Runs in the page: the map frame's and the main column's boxes, the Leaflet map's size, and
# every marker's box in the frame's own pixels.
BOXES = """(sel) => {
    const box = el => { const r = el.getBoundingClientRect();
        return {x: r.left, y: r.top, w: r.width, h: r.height}; };
    const frame = document.querySelector(sel);
    const win = frame.contentWindow, map = win.map_div;
    const markers = {};
    win.document.querySelectorAll('path.innomap-city').forEach(el => {
        const id = [...el.classList].find(c => c.startsWith('innomap-city--')).slice(14);
        markers[id] = box(el); });
    const legend = win.document.querySelector('.innomap-legend');
    return {frame: box(frame), inner: {w: frame.clientWidth, h: frame.clientHeight},
            legend: legend ? box(legend) : null,
            main: box(document.querySelector(
                '[data-testid="stMainBlockContainer"]')),
            leaflet: map ? {w: map.getSize().x, h: map.getSize().y} : null, markers};
}"""
# True once the frame is larger than [w, h] px, the Leaflet map has the frame's size and every
# marker lies inside it, clear of the legend (framing.js pads the bottom by the legend's height).
FRAMED = """([sel, least]) => {
    const frame = document.querySelector(sel);
    if (!frame || frame.clientWidth <= least[0] || frame.clientHeight <= least[1]) return false;
    const win = frame && frame.contentWindow, map = win && win.map_div;
    if (!map) return false;
    const size = map.getSize(), w = frame.clientWidth, h = frame.clientHeight;
    const legend = win.document.querySelector('.innomap-legend');
    const key = legend ? legend.getBoundingClientRect() : null;
    const markers = [...win.document.querySelectorAll('path.innomap-city')];
    return size.x === w && size.y === h && markers.length > 0 && markers.every(el => {
        const r = el.getBoundingClientRect();
        const under = key && r.left < key.right && key.left < r.right && r.top < key.bottom &&
            key.top < r.bottom;
        return r.left >= 0 && r.top >= 0 && r.right <= w && r.bottom <= h && !under; });
}"""


def first_view(page: Page, server: Server, cities: set[str]) -> dict:
    """Open the dashboard, wait until every city is drawn and framed; return the boxes."""
    page.goto(server.url("lang=en"))
    wait_for_markers(page, cities)
    wait_until_idle(page)
    return framed_boxes(page)


def framed_boxes(page: Page, larger_than: tuple[int, int] = (0, 0)) -> dict:
    """Wait until the frame is larger than (w, h), the map has the frame's size and holds every
    marker; return the boxes."""
    try:
        page.wait_for_function(FRAMED, arg=[MAP_FRAME, list(larger_than)])
    except Exception as err:  # noqa: BLE001 - the boxes say more than the timeout
        pytest.fail(f"the map never held every city in its frame: {err}\n"
                    f"{page.evaluate(BOXES, MAP_FRAME)}")
    return page.evaluate(BOXES, MAP_FRAME)


def overlap(a: dict, b: dict) -> bool:
    """Return whether two boxes overlap (touching edges do not)."""
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def outside(boxes: dict) -> list[str]:
    """Return the cities whose marker is not wholly inside the map's frame, or lies under
    the legend."""
    frame, legend = boxes["frame"], boxes["legend"]
    return sorted(city for city, m in boxes["markers"].items()
                  if m["x"] < 0 or m["y"] < 0 or m["x"] + m["w"] > frame["w"] or
                  m["y"] + m["h"] > frame["h"] or (legend and overlap(m, legend)))


@pytest.fixture
def at(browser):
    """Open tabs at a given viewport; close them after the test."""
    contexts = []

    def open_at(viewport: dict[str, int]) -> Page:
        context = browser.new_context(viewport=viewport, locale="en-US")
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", LAPTOPS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_a_laptop_shows_the_whole_map_in_the_first_view(at, server: Server, dataset: Dataset,
                                                         viewport: dict[str, int]) -> None:
    """The whole frame is on the first screen, at least 60 % of the main column wide, and
    every city is inside it; the room held for the map before page.css arrives is given
    back (the downloads follow the map)."""
    page = at(viewport)
    boxes = first_view(page, server, set(dataset.by_id))
    frame, main = boxes["frame"], boxes["main"]
    assert frame["y"] >= 0 and frame["y"] + frame["h"] <= viewport["height"], boxes["frame"]
    assert frame["w"] >= MAP_SHARE * main["w"], (frame, main)
    assert boxes["leaflet"] == boxes["inner"]
    assert outside(boxes) == []
    assert len(boxes["markers"]) == len(dataset.by_id)
    downloads = page.locator(".st-key-downloads").bounding_box()
    assert downloads and 0 <= downloads["y"] - (frame["y"] + frame["h"]) <= FOLLOWS_PX, \
        (frame, downloads)


def test_a_large_screen_gets_a_larger_map(at, server: Server, dataset: Dataset) -> None:
    """At 1920 x 1080 the frame is taller than the old 600 px and still on the first screen."""
    boxes = first_view(at(LARGE), server, set(dataset.by_id))
    frame, main = boxes["frame"], boxes["main"]
    assert frame["h"] > OLD_HEIGHT_PX, frame
    assert frame["y"] >= 0 and frame["y"] + frame["h"] <= LARGE["height"], frame
    assert frame["w"] >= MAP_SHARE * main["w"], (frame, main)
    assert outside(boxes) == []


def test_a_phone_starts_the_map_in_the_first_screen(at, server: Server,
                                                    dataset: Dataset) -> None:
    """At 390 x 844 the map starts in the first 40 % of the screen, the programme's line
    folded under a disclosure, and all 20 markers lie inside the frame."""
    page = at(PHONE)
    boxes = first_view(page, server, set(dataset.by_id))
    assert boxes["frame"]["y"] <= PHONE_TOP_SHARE * PHONE["height"], boxes["frame"]
    assert outside(boxes) == []
    assert len(boxes["markers"]) == len(dataset.by_id)
    intro = page.locator("details.innomap-intro-narrow")
    assert intro.is_visible() and not page.locator(".innomap-intro-wide").is_visible()
    intro.locator("summary").click()
    assert intro.locator(".innomap-provenance").is_visible()


def test_a_resized_window_resizes_and_reframes_the_map(at, server: Server,
                                                       dataset: Dataset) -> None:
    """From a laptop's window to a large one the frame grows with it, Leaflet takes the new
    size, and every city is still framed."""
    page = at(LAPTOPS[0])
    before = first_view(page, server, set(dataset.by_id))
    page.set_viewport_size(LARGE)
    # The frame grows in two steps (its height by the CSS, its width when Streamlit lays the
    # columns out again): wait for both, and for Leaflet to take the final size.
    after = framed_boxes(page, (before["inner"]["w"], before["inner"]["h"]))
    assert after["frame"]["h"] > before["frame"]["h"]
    assert after["leaflet"] == after["inner"]
    assert outside(after) == []


def streamlits_own(source: dict, sidebar_px: int) -> bool:
    """Return whether a shifted box is Streamlit's own, as in the layout floor: a box in the
    sidebar (its widgets' labels arrive late), the main area moved aside by the sidebar as it
    opens, or the page's block going from centred to wide as the first run's page config
    arrives (same top and height, wider)."""
    def in_sidebar(rect: list[int]) -> bool:
        return rect[2] == 0 or rect[0] + rect[2] <= sidebar_px
    before, after = source["from"], source["to"]
    same_rows = before[1::2] == after[1::2]
    main_moved_aside = before[0] == 0 and after[0] == sidebar_px and same_rows
    centred_to_wide = ("stMainBlockContainer" in (source["node"] or "") and same_rows and
                       after[2] > before[2])
    return (in_sidebar(before) and in_sidebar(after)) or main_moved_aside or centred_to_wide


def test_a_cold_load_shifts_nothing_of_innomaps(at, server: Server, dataset: Dataset) -> None:
    """Loaded with an empty cache on Lighthouse's desktop screen, nothing of innomap's moves:
    no shift inside the map's frame (veil.js hides it until its stylesheets apply), and in
    the page only Streamlit's own (issue 21: CLS within the layout floor's + 0.02)."""
    page = at(DESKTOP)
    page.context.add_init_script(SHIFTS)
    page.goto(server.url("lang=fi"))
    wait_for_markers(page, set(dataset.by_id))
    # The headline is st.html, whose code brings page.css with it: both have arrived.
    page.locator(".innomap-headline").wait_for()
    wait_until_idle(page)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")
    sidebar_px = round(page.locator('[data-testid="stSidebar"]').bounding_box()["width"])
    ours = [shift for shift in page.evaluate("window.__shifts")
            if not all(streamlits_own(source, sidebar_px) for source in shift["sources"])]
    assert ours == [], ours
    frame = page.query_selector(MAP_FRAME).content_frame()
    assert frame and frame.evaluate("window.__shifts") == []
