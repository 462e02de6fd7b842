"""Real-browser tests: the dashboard under `streamlit run`, driven in Debian's Chromium.

Run alone with `pytest -m browser`; they need Playwright (Python) and the `chromium` package.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from innomap.export import BOM, COLUMNS
from innomap.mapview import FINLAND_BOUNDS, MAX_ZOOM, MIN_ZOOM
from tests.support.browser import (
    ARTIFACTS,
    MAP_FRAME,
    ROOT,
    VIEWPORT,
    Page,
    Server,
    Traffic,
    choose_option,
    expect,
    export_cli,
    headline,
    screenshot,
    wait_for_markers,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

CITIES = json.loads((ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]
THEMES = json.loads((ROOT / "data" / "themes.json").read_text(encoding="utf-8"))
TOTAL = len(CITIES)


def city_ids(focus: str | None = None) -> set[str]:
    """Return the ids of the shipped cities, or of those with a focus area."""
    return {f["properties"]["id"] for f in CITIES
            if focus is None or focus in f["properties"]["themes"]}


def focus_label(focus: str) -> str:
    """Return a focus area's English label from the shipped themes file."""
    return next(f["label"]["en"] for f in THEMES["focus_areas"] if f["id"] == focus)


def priorities(city: str) -> str:
    """Return a city's English priorities text from the shipped data."""
    return next(f["properties"]["priorities"]["en"] for f in CITIES
                if f["properties"]["id"] == city)


def open_app(page: Page, app: Server, query: str = "lang=en",
             cities: set[str] | None = None) -> None:
    """Open the dashboard and wait until the map shows the expected cities (default all)."""
    page.goto(app.url(query))
    wait_for_markers(page, city_ids() if cities is None else cities)


def choose_focus(page: Page, focus: str) -> None:
    """Filter by one focus area through the sidebar and wait for the map to follow."""
    choose_option(page, "focus", focus_label(focus))
    wait_for_markers(page, city_ids(focus))


def test_start_view_shows_every_city_offline(page: Page, traffic: Traffic,
                                             server: Server) -> None:
    """The start view maps all cities using only the app's own server, without errors."""
    open_app(page, server)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box and box["height"] > 0, f"map iframe has no height: {box}"
    expect(headline(page)).to_have_text(re.compile(rf"^{TOTAL} of {TOTAL}\b"))
    wait_until_idle(page)
    foreign = traffic.foreign(server.origin)
    assert not foreign, "requests to other hosts:\n" + "\n".join(foreign)
    assert not traffic.console_errors, "console errors:\n" + "\n".join(traffic.console_errors)
    assert not traffic.page_errors, "page errors:\n" + "\n".join(traffic.page_errors)
    # Into test-artifacts/ only: the README's screenshot is scripts/screenshot.py's to take.
    screenshot(page, ARTIFACTS / "start.png")


# Runs in the map's frame: a second Leaflet map with the app map's own options, in a frame
# that is still 0 px wide (as a new iframe is on a language switch), framed as setup() frames.
_FIT_IN_NO_ROOM = """bounds => {
    const box = document.createElement("div");
    box.style.cssText = "width: 0; height: 600px";
    document.body.appendChild(box);
    const other = L.map(box, Object.assign({}, map_div.options, {center: [65, 26], zoom: 5}));
    try {
        other.fitBounds(bounds, {maxZoom: other.getMaxZoom(),
            paddingTopLeft: [12, 12], paddingBottomRight: [12, 120], animate: false});
        return [other.getMinZoom(), other.getMaxZoom(), other.getZoom()];
    } finally {
        other.remove();
        box.remove();
    }
}"""


def test_a_map_framed_with_no_room_keeps_a_finite_zoom(page: Page, traffic: Traffic,
                                                      server: Server) -> None:
    """The map's zoom limits hold in Leaflet: a frame with no width zooms in to the limit.

    Without them Leaflet's maximum was infinite, and framing the cities in a new, still
    0 px wide iframe threw "Invalid LatLng object: (NaN, NaN)" (a stressed language switch).
    """
    open_app(page, server)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame.evaluate(_FIT_IN_NO_ROOM, FINLAND_BOUNDS) == [MIN_ZOOM, MAX_ZOOM, MAX_ZOOM]
    assert not traffic.page_errors, "page errors:\n" + "\n".join(traffic.page_errors)


def test_focus_filter_narrows_the_markers(page: Page, server: Server) -> None:
    """Choosing a focus area in the sidebar leaves exactly its cities on the map."""
    open_app(page, server)
    choose_focus(page, "circular_economy")
    shown = len(city_ids("circular_economy"))
    expect(headline(page)).to_have_text(re.compile(rf"^{shown} of {TOTAL}\b"))
    expect(headline(page)).to_contain_text(focus_label("circular_economy"))
    wait_until_idle(page)
    screenshot(page, ARTIFACTS / "filtered.png")


def test_marker_click_opens_popup_with_priorities(page: Page, server: Server) -> None:
    """Clicking a city's marker opens its popup with the city's priorities."""
    open_app(page, server)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.innomap-city--turku").click()
    # The newest popup: the click's rerun reopens turku's while the first one fades out.
    popup = frame.locator(".leaflet-popup").last.locator(
        'div.innomap-popup[data-city="turku"] p.innomap-priorities')
    expect(popup).to_be_visible()
    expect(popup).to_contain_text(priorities("turku"))


def test_markers_show_before_the_texts_arrive(page: Page, server: Server) -> None:
    """Markers need no texts: they show while the texts file is held back, and a popup opened
    meanwhile says so, then fills in when the file arrives."""
    held = []
    page.context.route("**/app/static/innomap/places-*.json", lambda route: held.append(route))
    open_app(page, server)
    assert held, "the map never asked for its texts file"
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.innomap-city--turku").click()
    # The popup, and the tooltip the click's hover opened.
    expect(frame.locator(".leaflet-popup div.innomap-loading")).to_have_text("Loading…")
    for route in held:
        route.continue_()
    # The newest popup: the click's rerun reopens turku's while the first one fades out.
    popup = frame.locator(".leaflet-popup").last.locator(
        'div.innomap-popup[data-city="turku"] p.innomap-priorities')
    expect(popup).to_contain_text(priorities("turku"))
    expect(frame.locator("div.innomap-loading")).to_have_count(0)


def test_a_popup_says_when_the_texts_cannot_be_loaded(page: Page, server: Server) -> None:
    """Markers show without their texts file; a popup then says the texts failed to load."""
    page.context.route("**/app/static/innomap/places-*.json", lambda route: route.abort())
    open_app(page, server)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.innomap-city--turku").click()
    expect(frame.locator(".leaflet-popup div.innomap-loading")).to_have_text(
        "The texts could not be loaded. Reload the page.")


def test_marker_click_on_a_partly_scrolled_map_keeps_the_page_still(page: Page,
                                                                  server: Server) -> None:
    """With the map's top scrolled out of view, a marker opens on the first click.

    Leaflet focuses the map on mousedown, and a plain focus() scrolls the page to show the
    whole map, so the mouseup landed elsewhere and the click was lost.
    """
    open_app(page, server)
    main = page.get_by_test_id("stMain")
    top = page.locator(MAP_FRAME).bounding_box()["y"]
    main.evaluate("(el, by) => { el.scrollTop += by; }", top + 100)
    scrolled = main.evaluate("el => el.scrollTop")
    box = page.frame_locator(MAP_FRAME).locator("path.innomap-city--turku").bounding_box()
    assert box and 0 < box["y"] < VIEWPORT["height"] - box["height"], f"Turku not in view: {box}"
    # The real mouse, without Playwright's scroll-into-view: what a user's click does.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.frame_locator(MAP_FRAME).locator('div.innomap-popup[data-city="turku"]')
    expect(popup).to_be_visible()
    assert main.evaluate("el => el.scrollTop") == scrolled


# For each city: open its popup as a click does, let the map settle, and report whether the
# popup overlaps the legend's box and whether the legend stepped aside; then close it. The
# automatic framing keeps cities clear of the legend, so every other city is first moved under
# the legend's middle (its popup then reaches up over the legend) and the rest to the map's
# middle (their popups stay clear of it).
_POPUPS_AND_LEGEND = """() => {
    const map = window.map_div, legend = document.querySelector(".innomap-legend");
    const covers = node => { const a = node.getBoundingClientRect(),
        b = legend.getBoundingClientRect();
        return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top; };
    const behind = () => legend.classList.contains("innomap-legend--behind");
    const seen = [];
    let n = 0;
    for (const layer of Object.values(map._layers)) {
        if (!layer.feature || !layer.getPopup || !layer.getPopup()) continue;
        const box = map.getContainer().getBoundingClientRect(), b0 = legend.getBoundingClientRect();
        // Every third city under the legend's middle, every third at the map's centre, every
        // third just below the legend's top edge (its popup above, clear of the legend).
        const points = [L.point((b0.left + b0.right) / 2 - box.left, (b0.top + b0.bottom) / 2 - box.top),
                        L.point(box.width / 2, box.height / 2),
                        L.point((b0.left + b0.right) / 2 - box.left, b0.top - box.top + 6)];
        map.panBy(map.latLngToContainerPoint(layer.getLatLng()).subtract(points[n++ % 3]),
                  {animate: false});
        // Leaflet opens and lays out a popup synchronously, and "popupopen" places the legend.
        layer.openPopup();
        const covered = covers(layer.getPopup().getElement()) || covers(layer.getElement());
        seen.push([layer.feature.properties.id, covered, behind()]);
        layer.closePopup();
    }
    return [seen, behind()];
}"""


def test_legend_steps_aside_for_a_popup_it_would_hide(page: Page, server: Server) -> None:
    """Leaflet draws controls above popups: the legend hides while a popup overlaps it."""
    open_app(page, server)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    seen, after = frame.evaluate(_POPUPS_AND_LEGEND)
    assert len(seen) == 20, seen
    covered = [(city, behind) for city, overlaps, behind in seen if overlaps]
    assert covered, f"no popup reaches the legend at this size, the test proves nothing: {seen}"
    assert all(behind for _, behind in covered), covered
    clear = [(city, behind) for city, overlaps, behind in seen if not overlaps]
    assert clear, f"every popup reached the legend, the test proves nothing: {seen}"
    assert not any(behind for _, behind in clear), clear
    assert not after, "the legend stays hidden after its popup closed"
    # The class is the stylesheet's hiding rule (opacity 0, animated; no pointer events).
    rule = frame.evaluate("""() => [...document.styleSheets].flatMap(sheet => {
        try { return [...sheet.cssRules]; } catch (e) { return []; } })
        .filter(r => r.selectorText === ".innomap-legend--behind").map(r => r.style.opacity)""")
    assert rule == ["0"], rule


def test_csv_download_matches_filter_and_cli(page: Page, server: Server) -> None:
    """The downloaded CSV holds the filtered cities, byte for byte what the CLI exports."""
    open_app(page, server)
    choose_focus(page, "circular_economy")
    with page.expect_download() as download_info:
        page.locator(".st-key-download button").click()
    download = download_info.value
    data = download.path().read_bytes()
    assert data.startswith(BOM.encode("utf-8")), f"no UTF-8 BOM: {data[:20]!r}"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    id_column = COLUMNS.index("id")
    assert {row[id_column] for row in rows[1:]} == city_ids("circular_economy")
    assert len(rows) - 1 == len(city_ids("circular_economy")), "duplicate rows"
    assert data == export_cli("--focus", "circular_economy", "--lang", "en", "-o", "-")
    name = download.suggested_filename
    assert name.endswith(".csv") and "circular" in name, name


def test_table_toolbar_offers_no_csv_download(page: Page, server: Server) -> None:
    """The table's own toolbar has no CSV download (it would skip formula escaping)."""
    open_app(page, server)
    page.get_by_role("tab", name="Table", exact=True).click()
    table = page.locator(".st-key-table")
    table.hover()
    # Another toolbar button being visible proves the toolbar is showing at all.
    expect(table.get_by_role("button", name="Search")).to_be_visible()
    expect(table.get_by_role("button", name="Download as CSV")).to_be_hidden()


def test_map_works_behind_url_prefix(page: Page, traffic: Traffic,
                                     prefixed_server: Server) -> None:
    """Behind --server.baseUrlPath the map loads fully, with no failed request."""
    open_app(page, prefixed_server)
    assert page.url.startswith(f"{prefixed_server.origin}/innomap/"), page.url
    own = [line for line in traffic.bad_responses if prefixed_server.origin in line]
    assert not own, "error responses:\n" + "\n".join(own)
    assert not traffic.failed, "failed requests:\n" + "\n".join(traffic.failed)
    foreign = traffic.foreign(prefixed_server.origin)
    assert not foreign, "requests to other hosts:\n" + "\n".join(foreign)


def test_shared_url_restores_focus(page: Page, server: Server) -> None:
    """A shared ?focus= URL opens with that filter applied and shown in the sidebar."""
    open_app(page, server, "lang=en&focus=water", cities=city_ids("water"))
    expect(page.locator(".st-key-focus [data-tag]")).to_have_text([focus_label("water")])
