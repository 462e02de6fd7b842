"""Real-browser tests: Finnish, Swedish and English; shareable views; city details.

They drive the dashboard under `streamlit run` in Debian's Chromium, like test_browser.py,
and take every expected value from the data files.
"""

from __future__ import annotations

import json

import pytest

from innomap.cities import load_dataset
from innomap.i18n import format_number, sort_key, t
from innomap.partners import rank_partners
from innomap.schema import LANGS
from innomap.shipped import CITIES as CITIES_FILE
from innomap.shipped import THEMES as THEMES_FILE
from tests.support.browser import (
    MAP_FRAME,
    MARKER_PREFIX,
    ROOT,
    UI_TIMEOUT_MS,
    Locator,
    Page,
    PlaywrightTimeout,
    Server,
    Traffic,
    choose_option,
    click_marker,
    details_panel,
    expect,
    map_frame,
    popup,
    similar_names,
    url_param,
    wait_for_markers,
)

pytestmark = pytest.mark.browser

CITIES = {f["properties"]["id"]: f["properties"] for f in json.loads(
    (ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]}
THEMES = json.loads((ROOT / "data" / "themes.json").read_text(encoding="utf-8"))
# The city and focus area the walk-through uses (Turku / Åbo, industrial renewal).
CITY = "turku"
FOCUS = "industrial_renewal"


# ---------------------------------------------------------------- expectations from the data


def city_ids(focus: str | None = None) -> set[str]:
    """Return the ids of the shipped cities, or of those with a focus area."""
    return {c for c, props in CITIES.items() if focus is None or focus in props["themes"]}


def name(city: str, lang: str) -> str:
    """Return a city's name in a language from the shipped data."""
    return CITIES[city]["name"][lang]


def priorities(city: str, lang: str) -> str:
    """Return a city's priorities text in a language from the shipped data."""
    return CITIES[city]["priorities"][lang]


def focus_label(focus: str, lang: str) -> str:
    """Return a focus area's label in a language from the shipped themes file."""
    return next(f["label"][lang] for f in THEMES["focus_areas"] if f["id"] == focus)


def count_headline(shown: int, lang: str) -> str:
    """Return the headline's 'N of M municipalities' part in a language."""
    total = format_number(len(CITIES), lang)
    return t("main.headline", lang, shown=format_number(shown, lang), total=total)


def similar_ids(city: str, lang: str) -> list[str]:
    """Return the other cities ranked by shared focus areas, as the details panel lists them."""
    dataset = load_dataset(CITIES_FILE, THEMES_FILE)
    return [match.city for match in rank_partners(dataset, city, lang)]


def first_in_table(lang: str) -> str:
    """Return the city on the table's first row: the table is sorted by name in the language."""
    return min(CITIES, key=lambda city: sort_key(name(city, lang)))


# ---------------------------------------------------------------- page helpers


def main_headline(page: Page) -> Locator:
    """Return the headline: the main area's h2 (the details panel's headings are h3)."""
    return page.get_by_test_id("stMain").get_by_role("heading", level=2).first


# Runs in the map iframe from its first script: every 10 ms, note where the watched marker is
# drawn on a map with a size, and count the samples taken since it first showed. A user aims
# at a marker where it first shows. A timer, not requestAnimationFrame: Chromium does not
# always run animation frames in the component's iframe (a wait polled by them hung there).
_WATCH_MARKER = """(() => {
    if (window === window.top) { return; }
    const seen = window.innomapSeen = [];
    window.innomapSamples = 0;
    setInterval(() => {
        const el = document.querySelector("path.%s");
        const box = el && el.getBoundingClientRect();
        if (box && box.width > 0 && innerWidth > 0 && innerHeight > 0) {
            const at = [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
            const last = seen[seen.length - 1];
            if (!last || last[0] !== at[0] || last[1] !== at[1]) { seen.push(at); }
        }
        if (seen.length) { window.innomapSamples++; }
    }, 10);
})();"""
# The track is read once the watcher has sampled the shown marker this many times (0.5 s at
# least) and the names are on the map: the texts, the last thing to arrive, have been laid out.
SETTLE_SAMPLES = 50
_SETTLED = """n => window.innomapSamples >= n &&
    document.querySelectorAll(".innomap-label:not([hidden])").length > 0"""
_WATCHER = """() => JSON.stringify({watcher: typeof window.innomapSamples,
    samples: window.innomapSamples, seen: window.innomapSeen, url: location.href})"""


def click_where_first_shown(page: Page, city: str) -> None:
    """Click the city's marker at the spot it first showed on (recorded by _WATCH_MARKER)."""
    first = map_frame(page).locator("body").evaluate("() => window.innomapSeen[0]")
    marker = map_frame(page).locator(f"path.{MARKER_PREFIX}{city}")
    marker.evaluate("el => el.parentNode.appendChild(el)")  # above its neighbours
    frame = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(frame["x"] + first[0], frame["y"] + first[1])


def focus_tags(page: Page) -> Locator:
    """Return the chosen options shown in the sidebar's focus-area box."""
    return page.locator(".st-key-focus [data-tag]")


def expect_city_selected(page: Page, city: str, lang: str) -> None:
    """Wait until the details panel, the URL and the map's open popup all show the city."""
    panel = details_panel(page)
    expect(panel.get_by_role("heading", level=3)).to_have_text(name(city, lang))
    expect(panel).to_contain_text(priorities(city, lang))
    expect(page).to_have_url(url_param("city", city))
    expect(popup(page, city)).to_be_visible()


# True once the page holds one map (a rerun briefly keeps the old one) whose legend is in the
# wanted language: the base map is built per language, so a switch replaces the map.
_MAP_IN_LANGUAGE = """([frameSelector, legend]) => {
    const frames = document.querySelectorAll(frameSelector);
    const doc = frames.length === 1 && frames[0].contentDocument;
    const box = doc && doc.querySelector(".innomap-legend");
    return Boolean(box) && box.textContent.includes(legend);
}"""


def switch_language(page: Page, lang: str) -> None:
    """Choose a language in the sidebar and wait until the URL and the map have followed."""
    # Streamlit's segmented control is a radiogroup of buttons with role "radio".
    page.locator(".st-key-lang").get_by_role("radio", name=t(f"lang.{lang}", lang),
                                             exact=True).click()
    expect(page).to_have_url(url_param("lang", lang))
    # A marker clicked on the outgoing map is lost with it, so wait for the new one.
    page.wait_for_function(_MAP_IN_LANGUAGE, arg=[MAP_FRAME, t("map.legend", lang)],
                           timeout=UI_TIMEOUT_MS)


def assert_no_errors(traffic: Traffic) -> None:
    """Fail on any console error or uncaught exception the page reported."""
    assert not traffic.console_errors, "console errors:\n" + "\n".join(traffic.console_errors)
    assert not traffic.page_errors, "page errors:\n" + "\n".join(traffic.page_errors)


def open_app(page: Page, app: Server, query: str, cities: set[str] | None = None) -> None:
    """Open the dashboard and wait until the map shows the expected cities (default all)."""
    page.goto(app.url(query))
    wait_for_markers(page, city_ids() if cities is None else cities)


def click_first_row(page: Page, key: str) -> None:
    """Click the row-selection cell of the first data row of the selectable table with a key.

    The grid is drawn on canvases; its header is the shorter canvas on top of the body one,
    so the first row starts right under that canvas.
    """
    grid = page.locator(f'.st-key-{key} [data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    header_bottom = grid.evaluate("""grid => {
        const top = grid.getBoundingClientRect().top;
        return Math.min(...[...grid.querySelectorAll("canvas")].map(
            canvas => canvas.getBoundingClientRect().bottom - top));
    }""")
    # 10 px into the row and 16 px from the left edge: inside the checkbox column.
    grid.click(position={"x": 16, "y": header_bottom + 10})


# ---------------------------------------------------------------- tests


def test_language_switch_translates_headline_url_and_popups(page: Page, traffic: Traffic,
                                                            server: Server) -> None:
    """Choosing 'svenska' in the sidebar turns the headline, the URL and the popups Swedish."""
    open_app(page, server, "lang=en")
    expect(main_headline(page)).to_have_text(count_headline(len(CITIES), "en"))
    switch_language(page, "sv")
    expect(main_headline(page)).to_have_text(count_headline(len(CITIES), "sv"))
    wait_for_markers(page, city_ids())
    click_marker(page, CITY)
    expect(popup(page, CITY).locator("h2")).to_have_text(name(CITY, "sv"))
    expect(popup(page, CITY).locator("p.innomap-priorities")).to_contain_text(
        priorities(CITY, "sv"))
    assert_no_errors(traffic)


def test_language_switch_keeps_the_filters(page: Page, traffic: Traffic, server: Server) -> None:
    """The chosen filters survive a language switch, in the sidebar and through the next change."""
    open_app(page, server, f"lang=en&focus={FOCUS}", cities=city_ids(FOCUS))
    switch_language(page, "sv")
    # Any other widget change reruns with what the sidebar widgets hold: hide partner towns.
    page.locator(".st-key-partners").get_by_text(t("sidebar.partners", "sv")).click()
    # The URL is written last in a run: once it has partners=0, that rerun is over.
    expect(page).to_have_url(url_param("partners", "0"))
    assert url_param("focus", FOCUS).search(page.url), f"focus filter dropped: {page.url}"
    expect(focus_tags(page)).to_have_text([focus_label(FOCUS, "sv")])
    any_of = t("sidebar.match_any", "sv")
    expect(page.locator(".st-key-match").get_by_role("radio", name=any_of)).to_be_checked()
    assert_no_errors(traffic)


@pytest.mark.parametrize("lang", LANGS)
def test_shared_link_then_marker_click_shows_city_details(page: Page, traffic: Traffic,
                                                          server: Server, lang: str) -> None:
    """A shared filtered link opens as sent; a marker click fills the details panel."""
    assert CITY in city_ids(FOCUS), "the walk-through city must have the focus area"
    open_app(page, server, f"lang={lang}&focus={FOCUS}", cities=city_ids(FOCUS))
    expect(focus_tags(page)).to_have_text([focus_label(FOCUS, lang)])
    click_marker(page, CITY)
    expect_city_selected(page, CITY, lang)
    ranked = [name(city, lang) for city in similar_ids(CITY, lang)]
    expect(similar_names(page).first).to_have_text(ranked[0])
    shown = similar_names(page).all_text_contents()
    assert shown == ranked[:len(shown)], f"similar cities {shown}, ranked {ranked}"
    assert_no_errors(traffic)


def test_a_marker_clicked_where_it_first_showed_selects_the_city(page: Page, traffic: Traffic,
                                                                 server: Server) -> None:
    """A shown marker holds still: a click on the spot it first appeared on selects the city.

    The framing used to glide the map into place after the markers were drawn (and again when
    the iframe got its width), so a click aimed at a marker as it appeared hit the bare map.
    """
    page.context.add_init_script(_WATCH_MARKER % f"{MARKER_PREFIX}{CITY}")
    open_app(page, server, "lang=en")
    # The markers can be in the page before the watcher's first sample: read the track once
    # the page has settled with the marker shown.
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    try:
        frame.wait_for_function(_SETTLED, arg=SETTLE_SAMPLES, polling=100, timeout=UI_TIMEOUT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"the map never settled with the marker shown: {frame.evaluate(_WATCHER)}")
    moves = map_frame(page).locator("body").evaluate("() => window.innomapSeen")
    assert len(moves) == 1, f"the marker moved after it showed (iframe px): {moves}"
    click_where_first_shown(page, CITY)
    expect_city_selected(page, CITY, "en")
    assert_no_errors(traffic)


def test_choosing_a_similar_city_selects_it(page: Page, traffic: Traffic,
                                            server: Server) -> None:
    """Clicking the top similar city moves the details, the URL and the open popup to it."""
    open_app(page, server, f"lang=en&city={CITY}")
    expect_city_selected(page, CITY, "en")
    other = similar_ids(CITY, "en")[0]
    click_first_row(page, "similar")
    expect_city_selected(page, other, "en")
    assert_no_errors(traffic)


def test_back_and_forward_restore_the_view(page: Page, traffic: Traffic,
                                           server: Server) -> None:
    """The browser's back button undoes a filter chosen in the UI; forward redoes it."""
    open_app(page, server, "lang=en")
    choose_option(page, "focus", focus_label(FOCUS, "en"))
    wait_for_markers(page, city_ids(FOCUS))
    expect(page).to_have_url(url_param("focus", FOCUS))
    page.go_back()
    wait_for_markers(page, city_ids())
    expect(focus_tags(page)).to_have_count(0)
    expect(page).not_to_have_url(url_param("focus", FOCUS))
    page.go_forward()
    wait_for_markers(page, city_ids(FOCUS))
    expect(focus_tags(page)).to_have_text([focus_label(FOCUS, "en")])
    assert_no_errors(traffic)


@pytest.mark.parametrize("lang", LANGS)
def test_table_row_click_selects_the_city(page: Page, traffic: Traffic, server: Server,
                                          lang: str) -> None:
    """Clicking the table's first row shows that city on the map (the table is sorted by name)."""
    open_app(page, server, f"lang={lang}")
    page.get_by_role("tab", name=t("tab.table", lang), exact=True).click()
    click_first_row(page, "table")
    expect(page.get_by_role("tab", name=t("tab.map", lang), exact=True)).to_have_attribute(
        "aria-selected", "true")
    expect_city_selected(page, first_in_table(lang), lang)
    assert_no_errors(traffic)
