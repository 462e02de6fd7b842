"""City names on the map (issue 13, item 3): readable at the first view in the chosen
language, never overlapping one another or another city's marker, tied to their markers by
leader lines where cities crowd, and never in the way of a click (web/labels.js places them,
web/labelpane.js puts them on the map)."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import pytest

from innomap.cities import Dataset
from innomap.filters import Filters
from innomap.schema import LANGS
from tests.support.browser import MAP_FRAME, Page, Server, expect, wait_for_markers, wait_until_idle

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CAPITAL = ("helsinki", "espoo", "vantaa")
# A label's box may touch its marker's disc (placed beside it) within this many pixels.
BESIDE_PX = 4

# Runs in the map frame: every name label (shown ones with their box), every marker's disc,
# every shown leader line's two ends, and the map's box, in the frame's pixels.
LAYOUT = """() => {
    const rect = el => { const r = el.getBoundingClientRect();
        return {x: r.left, y: r.top, w: r.width, h: r.height}; };
    const id = (el, prefix) => [...el.classList].find(c => c.startsWith(prefix))
        .slice(prefix.length);
    const labels = {}, markers = {}, leaders = {};
    document.querySelectorAll('.innomap-label').forEach(el => {
        labels[id(el, 'innomap-label--')] = {text: el.textContent, shown: !el.hidden,
                                             box: rect(el)}; });
    document.querySelectorAll('path.innomap-city').forEach(el => {
        const r = rect(el);
        markers[id(el, 'innomap-city--')] = {x: r.x + r.w / 2, y: r.y + r.h / 2, r: r.w / 2}; });
    document.querySelectorAll('.innomap-leader:not([hidden])').forEach(el => {
        leaders[id(el, 'innomap-leader--')] = rect(el); });
    const pane = document.querySelector('.leaflet-innomapLabels-pane');
    return {labels, markers, leaders, map: rect(document.querySelector('.leaflet-container')),
            pane: {pointer: getComputedStyle(pane).pointerEvents,
                   hidden: pane.getAttribute('aria-hidden')}};
}"""
# True once every marker has a label and the shown ones are placed (texts arrive later).
NAMED = """() => {
    const labels = document.querySelectorAll('.innomap-label');
    return labels.length === document.querySelectorAll('path.innomap-city').length &&
        labels.length > 0 && [...labels].some(l => !l.hidden);
}"""
# What the pointer finds at a point of the map frame.
HIT = """([x, y]) => { const el = document.elementFromPoint(x, y);
    return el ? (el.getAttribute('class') || el.tagName) : null; }"""


def map_frame(page: Page):
    """Return the map's frame (a Playwright Frame, to evaluate in)."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def open_map(page: Page, server: Server, wanted: set[str], query: str) -> dict:
    """Open the dashboard with a query, wait for the wanted markers and their names, and
    return the map's layout."""
    page.goto(server.url(query))
    wait_for_markers(page, wanted)
    wait_until_idle(page)
    frame = map_frame(page)
    frame.wait_for_function(NAMED)
    return frame.evaluate(LAYOUT)


def intersect(a: dict, b: dict) -> bool:
    """Return whether two boxes overlap (touching edges do not)."""
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def gap(disc: dict, box: dict) -> float:
    """Return the distance from a marker's disc to a box (negative: the box covers it)."""
    dx = max(box["x"] - disc["x"], 0, disc["x"] - box["x"] - box["w"])
    dy = max(box["y"] - disc["y"], 0, disc["y"] - box["y"] - box["h"])
    return math.hypot(dx, dy) - disc["r"]


def problems(layout: dict) -> list[str]:
    """Return every overlap of shown labels with each other or another city's marker, and
    every label outside the map."""
    shown = {city: label["box"] for city, label in layout["labels"].items() if label["shown"]}
    found = [f"{a} overlaps {b}" for a in shown for b in shown
             if a < b and intersect(shown[a], shown[b])]
    found += [f"{city}'s name covers {other}'s marker" for city, box in shown.items()
              for other, disc in layout["markers"].items()
              if other != city and gap(disc, box) < 0]
    area = layout["map"]
    found += [f"{city}'s name is outside the map: {box}" for city, box in shown.items()
              if box["x"] < area["x"] or box["y"] < area["y"] or
              box["x"] + box["w"] > area["x"] + area["w"] or
              box["y"] + box["h"] > area["y"] + area["h"]]
    return found


def tied(layout: dict, city: str) -> bool:
    """Return whether a city's label sits beside its marker, or a leader line runs from the
    marker's edge to the label."""
    disc, box = layout["markers"][city], layout["labels"][city]["box"]
    if gap(disc, box) <= BESIDE_PX:
        return True
    line = layout["leaders"].get(city)
    if line is None:
        return False
    # A line's box has its two ends at opposite corners: one diagonal or the other.
    left, right = line["x"], line["x"] + line["w"]
    top, bottom = line["y"], line["y"] + line["h"]
    for ends in (((left, top), (right, bottom)), ((left, bottom), (right, top))):
        for start, end in (ends, ends[::-1]):
            at_marker = abs(math.dist(start, (disc["x"], disc["y"])) - disc["r"]) <= 2
            point = {"x": end[0], "y": end[1], "r": 0}
            if at_marker and gap(point, box) <= 2:
                return True
    return False


def names(dataset: Dataset, lang: str) -> dict[str, str]:
    """Return each city's name in a language, from the data."""
    return dict(zip(dataset.cities["id"], dataset.cities[f"name_{lang}"], strict=True))


@pytest.mark.parametrize("lang", LANGS)
def test_every_city_is_named_in_the_language_without_overlap(page: Page, server: Server,
                                                             dataset: Dataset,
                                                             lang: str) -> None:
    """At the first view each marker has one shown label with its city's name; no label
    overlaps another or another city's marker, each lies inside the map, and the capital
    region's names are tied to their markers."""
    everyone = names(dataset, lang)
    layout = open_map(page, server, set(everyone), f"lang={lang}")
    assert {city: label["text"] for city, label in layout["labels"].items()} == everyone
    assert [city for city, label in layout["labels"].items() if not label["shown"]] == []
    assert problems(layout) == []
    assert [city for city in CAPITAL if not tied(layout, city)] == []
    # Three markers a few pixels apart: their names need leader lines to stay apart.
    assert set(layout["leaders"]) & set(CAPITAL), layout["leaders"]
    assert layout["pane"] == {"pointer": "none", "hidden": "true"}


def test_names_never_take_a_click(page: Page, server: Server, dataset: Dataset) -> None:
    """The pointer passes through every label and finds a marker at every marker's centre
    (at the first view Vantaa's disc covers Espoo's centre); once a zoom has drawn the
    capital's markers apart, each centre finds its own marker, and a real click on Espoo's
    marker opens its popup."""
    layout = open_map(page, server, set(dataset.by_id), "lang=en")
    frame = map_frame(page)
    for city, label in layout["labels"].items():
        box = label["box"]
        hit = frame.evaluate(HIT, [box["x"] + box["w"] / 2, box["y"] + box["h"] / 2])
        assert "innomap-label" not in (hit or ""), f"{city}'s name takes the pointer"
    for city, disc in layout["markers"].items():
        assert "innomap-city " in frame.evaluate(HIT, [disc["x"], disc["y"]]), city
    # Two levels closer on the capital, Helsinki, Espoo and Vantaa no longer overlap: the
    # names are placed again (moveend) and still leave every marker's centre to it.
    helsinki = dataset.by_id["helsinki"]
    frame.evaluate("""([lat, lon]) => map_div.setView([lat, lon], map_div.getZoom() + 2,
                                                      {animate: false})""",
                   [helsinki.lat, helsinki.lon])
    zoomed = frame.evaluate(LAYOUT)
    assert problems(zoomed) == []
    assert [city for city in CAPITAL if not zoomed["labels"][city]["shown"]] == []
    assert [city for city in CAPITAL if not tied(zoomed, city)] == []
    for city in CAPITAL:
        disc = zoomed["markers"][city]
        assert f"innomap-city--{city}" in frame.evaluate(HIT, [disc["x"], disc["y"]]), city
    espoo = page.frame_locator(MAP_FRAME).locator("path.innomap-city--espoo")
    espoo.click()
    expect(page.frame_locator(MAP_FRAME).locator(
        'div.innomap-popup[data-city="espoo"]')).to_be_visible()


def test_a_filter_names_only_the_shown_cities(page: Page, server: Server, dataset: Dataset,
                                              broad_of: dict[str, set[str]]) -> None:
    """A focus-area filter from the URL: only the cities shown have names, all of them."""
    chosen = Filters(focus=("water",))
    shown = set(chosen.apply(dataset.cities, broad_of)["id"])
    assert 0 < len(shown) < len(dataset.cities)
    query = urlencode({"lang": "en", **chosen.to_params()}, doseq=True)
    layout = open_map(page, server, shown, query)
    assert {city for city, label in layout["labels"].items() if label["shown"]} == shown
    assert set(layout["labels"]) == shown
    assert problems(layout) == []


def test_a_phone_shows_the_names_that_fit_without_overlap(browser, server: Server,
                                                          dataset: Dataset) -> None:
    """At 390 x 844 the names that fit show without overlap; every ecosystem city's does (a
    partner town's name is the one to give way)."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    try:
        layout = open_map(context.new_page(), server, set(dataset.by_id), "lang=en")
    finally:
        context.close()
    assert problems(layout) == []
    leads = set(dataset.cities.loc[dataset.cities["role"] == "ecosystem_city", "id"])
    assert {city for city in leads if not layout["labels"][city]["shown"]} == set()
