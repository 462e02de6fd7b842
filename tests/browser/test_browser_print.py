"""Print in a real browser: the page as the browser prints it on A4 (issue 13, item 7).

The print styles (page.css, innomap.css) keep the title, the headline, the map, the list of
the places shown and the citation, and leave out the sidebar, the tabs and every control.
The view is checked twice: print-emulated on a page-wide screen, and as the PDF Chromium
prints. Every expected text comes from the data and the catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from innomap.filters import Filters
from innomap.i18n import t
from innomap.shipped import WEB_DIR
from innomap.view import View
from innomap.views import nordic_order
from tests.support import pdftext
from tests.support.browser import (
    ARTIFACTS,
    MAP_FRAME,
    MARKER,
    VIEWPORT,
    Page,
    Server,
    expect,
    headline,
    new_context,
    wait_for_markers,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

LANG = "fi"
FILTERS = Filters(focus=("circular_economy",))
QUERY = f"lang={LANG}&focus=circular_economy"
# The page's margin as page.css sets it: the screen is made as wide as the printed page's
# content, so what the print-emulated screen shows is what goes on paper.
MARGIN_MM = float(re.search(r"@page\s*{[^}]*size:\s*A4;\s*margin:\s*([\d.]+)mm",
                            (WEB_DIR / "page.css").read_text(encoding="utf-8"))[1])
A4_MM = (210, 297)
PAGE_PX = round((A4_MM[0] - 2 * MARGIN_MM) / 25.4 * 96)
# A4 in PDF points (1/72 in), as Chromium writes the page's MediaBox.
A4_PT = (595.92, 842.88)
MAP_HEIGHT_PX = 120 / 25.4 * 96
CONTROLS = ("input, button, textarea, select, a[href='#stMain'], [role=tablist], "
            "[role=combobox], [data-testid=stSidebar], [data-testid=stHeader], "
            "[data-testid=stDownloadButton]")
# Every visible element's right edge past the page's width, as "tag.class right".
TOO_WIDE = """width => [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > width + 0.5; })
    .map(el => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""
# The markers (by class) outside the part of the map the frame shows, or null while there
# are none drawn.
OUTSIDE = """() => {
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    const box = {left: Math.max(map.left, 0), top: Math.max(map.top, 0),
                 right: Math.min(map.right, innerWidth), bottom: Math.min(map.bottom, innerHeight)};
    const markers = [...document.querySelectorAll('path.innomap-city')];
    if (!markers.length) { return null; }
    return markers.filter(m => { const r = m.getBoundingClientRect();
        return r.left < box.left || r.right > box.right || r.top < box.top ||
            r.bottom > box.bottom; }).map(m => m.getAttribute('class')); }"""


@pytest.fixture(scope="module")
def shown(dataset, broad_of) -> list[tuple[str, str]]:
    """Return the filtered places as (id, name in LANG), in the printed list's order."""
    rows = nordic_order(FILTERS.apply(dataset.cities, broad_of), LANG)
    return list(zip(rows["id"], rows[f"name_{LANG}"], strict=True))


def open_printed(browser, server: Server, query: str, wanted: set[str],
                 width: int = PAGE_PX) -> Page:
    """Open a view on a screen `width` px wide, drawn, then switch to print media."""
    context = new_context(browser)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
    page.goto(server.url(query))
    wait_for_markers(page, wanted)
    wait_until_idle(page)
    page.emulate_media(media="print")
    return page


@pytest.fixture(scope="module")
def printed(browser, server: Server, shown) -> Iterator[Page]:
    """Return the filtered view in print media (one tab for the module's read-only checks)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = open_printed(browser, server, QUERY, {city for city, _ in shown})
    yield page
    page.screenshot(path=ARTIFACTS / "print-emulated.png", full_page=True)
    page.context.close()


def test_print_leaves_out_the_sidebar_tabs_and_controls(printed: Page) -> None:
    """No sidebar, header, tab bar, button, input or picker shows on paper."""
    visible = printed.locator(CONTROLS).evaluate_all(
        "els => els.filter(el => el.checkVisibility()).map(el => el.outerHTML.slice(0, 80))")
    assert visible == []
    expect(printed.get_by_role("tab", name=t("tab.table", LANG))).to_be_hidden()
    expect(printed.get_by_text(t("download.title", LANG), exact=True)).to_be_hidden()


def test_print_shows_title_headline_map_list_and_citation(printed: Page, dataset, shown) -> None:
    """The report's parts are there, with the filtered places and nothing else in the list."""
    expect(printed.get_by_role("heading", level=1)).to_have_text(t("app.title", LANG))
    expect(headline(printed)).to_have_text(View.of(dataset, FILTERS, LANG).headline)
    expect(printed.locator(MAP_FRAME)).to_be_visible()
    rows = printed.locator(".innomap-print-list tbody tr")
    expect(rows.locator("td:first-child")).to_have_text([name for _, name in shown])
    expect(printed.locator(".innomap-print-list th")).to_have_text(
        [t(f"col.{c}", LANG) for c in ("name", "role", "maakunta", "macro_region")])
    citation = printed.locator(".innomap-print-citation")
    expect(citation).to_be_visible()
    expect(citation).to_contain_text(t("cite.title", LANG))
    expect(citation).to_contain_text(f"{dataset.version}")
    expect(citation).to_contain_text("focus=circular_economy")


def test_print_map_fills_the_width_and_frames_every_place(printed: Page) -> None:
    """The map is the page's width and 120 mm high, and every shown place is inside it."""
    box = printed.locator(MAP_FRAME).bounding_box()
    assert box["width"] >= PAGE_PX - 1, f"map {box['width']:.0f} px of {PAGE_PX}"
    assert abs(box["height"] - MAP_HEIGHT_PX) < 2, f"map {box['height']:.0f} px high"
    frame = printed.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-control-zoom")).to_be_hidden()
    expect(frame.locator(".innomap-legend")).to_be_visible()
    expect(frame.locator(".leaflet-control-attribution")).to_be_visible()
    inner = printed.locator(MAP_FRAME).element_handle().content_frame()
    # Leaflet frames the places again when its resize handler runs for the print size.
    assert inner.wait_for_function(f"() => {{ const o = ({OUTSIDE})(); "
                                   "return o !== null && o.length === 0; }").json_value()
    assert inner.locator(MARKER).count() > 0


def test_print_is_no_wider_than_the_page(printed: Page) -> None:
    """Nothing reaches past the printed page's right edge (no cut-off column)."""
    assert printed.evaluate("document.documentElement.scrollWidth") <= PAGE_PX
    assert printed.evaluate(TOO_WIDE, PAGE_PX) == []


def test_the_pdf_is_one_a4_page_with_the_report(printed: Page, dataset, shown) -> None:
    """Chromium's PDF of the view: one A4 page with the headline, the places and the
    citation, and no sidebar or download texts."""
    data = printed.pdf(format="A4")
    (ARTIFACTS / "print-filtered.pdf").write_bytes(data)
    sizes = [tuple(float(v) for v in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]",
                                               page).groups())
             for page in pdftext.pages(data)]
    assert len(sizes) == 1
    assert all(abs(w - A4_PT[0]) < 1 and abs(h - A4_PT[1]) < 1 for w, h in sizes), sizes
    text = pdftext.text(data)
    assert View.of(dataset, FILTERS, LANG).headline in text
    assert t("app.title", LANG) in text
    lines = text.splitlines()
    assert all(name in lines for _, name in shown), text
    assert "focus=circular_economy" in text
    for absent in (t("sidebar.filters", LANG), t("download.title", LANG), t("tab.chart", LANG)):
        assert absent not in text


def test_a_desktop_prints_every_place_on_at_most_two_pages(browser, server: Server,
                                                           dataset) -> None:
    """From a wide window with the sidebar open, the whole list (20 places) prints on at most
    two A4 pages, the headline on the first, and no sidebar, tab or control."""
    everything = set(dataset.cities["id"])
    page = open_printed(browser, server, "lang=en", everything, width=VIEWPORT["width"])
    try:
        # Streamlit opens the sidebar on a wide window (and closes it on a narrow one).
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
        visible = page.locator(CONTROLS).evaluate_all(
            "els => els.filter(el => el.checkVisibility()).map(el => el.outerHTML.slice(0, 80))")
        assert visible == []
        data = page.pdf(format="A4")
        (ARTIFACTS / "print-all.pdf").write_bytes(data)
        texts = pdftext.text(data).split("\f")
        assert 1 <= len(texts) <= 2
        assert View.of(dataset, Filters(), "en").headline in texts[0]
        names = set(dataset.cities["name_en"])
        assert names <= set("\n".join(texts).splitlines())
        for absent in (t("sidebar.filters", "en"), t("download.title", "en"), t("tab.chart", "en")):
            assert absent not in "".join(texts)
        # After printing, the map has its screen size back (web/print.js resized it for paper).
        page.emulate_media(media="screen")
        frame = page.locator(MAP_FRAME)
        assert frame.evaluate("f => f.contentDocument.querySelector('.leaflet-container')"
                              ".getBoundingClientRect().height") == frame.bounding_box()["height"]
    finally:
        page.context.close()


def test_the_table_tab_prints_the_list_not_the_grid(browser, server: Server, shown) -> None:
    """With the table open, print shows the same list; the canvas grid and its hint go."""
    page = open_printed(browser, server, QUERY, {city for city, _ in shown})
    try:
        page.emulate_media(media="screen")
        page.get_by_role("tab", name=t("tab.table", LANG), exact=True).click()
        expect(page.get_by_test_id("stDataFrame")).to_be_visible()
        wait_until_idle(page)
        page.emulate_media(media="print")
        expect(page.get_by_test_id("stDataFrame")).to_be_hidden()
        expect(page.get_by_text(t("table.hint", LANG))).to_be_hidden()
        expect(page.locator(".innomap-print-list tbody td:first-child")).to_have_text(
            [name for _, name in shown])
        expect(page.locator(".innomap-print-citation")).to_be_visible()
    finally:
        page.context.close()
