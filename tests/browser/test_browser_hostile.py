"""Real-browser tests: hostile input. Nothing breaks, nothing runs, nothing leaks.

The dashboard runs on tests/fixtures/hostile.geojson (see tests/support/hostile.py), where every text
field carries an HTML, JavaScript, Markdown or spreadsheet-formula payload that sets
`window.__pwned` or opens an alert if it ever executes. The page must show those texts
literally, run none of them, fetch nothing from elsewhere and export them formula-safe.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import pytest

from innomap.i18n import t
from tests.support.browser import (
    ARTIFACTS,
    MAP_FRAME,
    ROOT,
    UI_TIMEOUT_MS,
    Page,
    PlaywrightTimeout,
    Server,
    Traffic,
    click_marker,
    details_panel,
    expect,
    map_frame,
    popup,
    similar_names,
    start_server,
    url_param,
    wait_for_markers,
)
from tests.support.hostile import PAYLOADS

if TYPE_CHECKING:  # types only: `browser` guards the runtime import of Playwright
    from playwright.sync_api import Frame

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "hostile.geojson"
HOSTILE = json.loads(FIXTURE.read_text(encoding="utf-8"))
CITIES = {f["properties"]["id"]: f for f in HOSTILE["features"]}
LANG = "en"
# OWASP's CSV-injection triggers: a spreadsheet runs a cell starting with one as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The hosts the payloads point at: no request may go there, no link may lead there.
PAYLOAD_HOSTS = sorted({host for text in PAYLOADS for host in re.findall(r"//([^/?\"]+)", text)})
# Elements a payload would have created had any text been parsed as HTML or Markdown.
INJECTED_MARKUP = """hosts => [...document.querySelectorAll("*")].filter(el =>
    [...el.attributes].some(a => /^on/i.test(a.name) || a.name === "data-x"
        || a.name === "autofocus"
        || (/^(src|href|xlink:href|action|formaction)$/i.test(a.name)
            && (/^\\s*javascript:/i.test(a.value) || hosts.some(h => a.value.includes(h)))))
).map(el => "in «" + (el.closest("p, li, h1, h2, h3, h4, button, td") || el.parentElement)
    .textContent.slice(0, 60) + "…»: " + el.outerHTML.slice(0, 200))"""
# True once a tooltip shows exactly the text, as text: one wrapper at most, no parsed markup.
TOOLTIP_SHOWS = """text => [...document.querySelectorAll(".leaflet-tooltip")].some(tip =>
    tip.textContent === text && tip.querySelectorAll("*").length <= 1)"""
# What shows that a tab has rendered (test ids inside the open tab's panel); the About tab
# shows the data's provenance, which the test waits for as text.
TAB_CONTENT = {"tab.table": "stDataFrame", "tab.chart": "stVegaLiteChart",
               "tab.matrix": "stDataFrame"}
ERROR_ALERTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


# ---------------------------------------------------------------- expectations from the data


def raw(city: str, field: str) -> str:
    """Return a city's raw text for a field in the test language, straight from the fixture."""
    return CITIES[city]["properties"][field][LANG]


def shown_as_text(text: str) -> str:
    """Return how HTML renders plain text: runs of whitespace (tab, CR, newline) collapse."""
    return " ".join(text.split())


def csv_cell(text: str) -> str:
    """Return how the CSV must hold a text: prefixed with ' when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# ---------------------------------------------------------------- server and page helpers


def open_app(page: Page, app: Server, query: str = f"lang={LANG}") -> None:
    """Open the dashboard on the hostile data and wait until every city is on the map."""
    page.goto(app.url(query))
    wait_for_markers(page, set(CITIES))


def map_document(page: Page) -> Frame:
    """Return the map iframe's Frame, to run checks inside its document."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame is not None, "the map iframe has no document"
    return frame


def hover_marker(page: Page, city: str) -> None:
    """Move the real mouse onto a city's marker, raised above any overlapping neighbour."""
    marker = map_frame(page).locator(f"path.innomap-city--{city}")
    # Leaflet's bringToFront is just this re-append; without it a neighbour may get the hover.
    marker.evaluate("el => el.parentNode.appendChild(el)")
    marker.hover()


def choose_city(page: Page, city: str) -> None:
    """Select a city in the details panel's selectbox by the unique suffix of its name."""
    suffix = re.search(r"#\d+-name\.\w+$", raw(city, "name")).group()
    # The selectbox filters as one types; the suffix names exactly one option. fill() replaces
    # any text left in the box (a name with a CR can stay there after it was chosen).
    page.locator(".st-key-city").get_by_role("combobox").fill(suffix)
    page.get_by_role("option", name=re.compile(re.escape(suffix) + "$")).click()


def wait_for_selection(page: Page, city: str) -> None:
    """Wait until the app has selected the city: the URL names it and its popup is open."""
    # The URL is written at the end of a run, so the details panel is complete by then.
    expect(page).to_have_url(url_param("city", city))
    expect(popup(page, city)).to_be_visible()


def literal_problems(page: Page, city: str) -> list[str]:
    """Return where the selected city's texts do not show literally (popup, details panel)."""
    name, priorities = raw(city, "name"), raw(city, "priorities")
    box = popup(page, city)
    problems = []
    if (heading := box.locator("h2").text_content()) != name:
        problems.append(f"{city}: popup heading {heading!r}, expected {name!r}")
    if priorities not in (text := box.locator("p.innomap-priorities").text_content()):
        problems.append(f"{city}: popup priorities {text!r}, expected {priorities!r}")
    panel, heading = details_panel(page), details_panel(page).get_by_role("heading", level=3)
    # Rendered text: Playwright compares with whitespace collapsed, as HTML shows it.
    try:
        expect(heading).to_have_text(name)
    except AssertionError:
        problems.append(f"{city}: details heading {heading.all_inner_texts()!r}, "
                        f"expected {name!r}")
    try:
        expect(panel).to_contain_text(priorities)
    except AssertionError:
        problems.append(f"{city}: details panel lacks priorities {priorities!r}")
    return problems + similar_name_problems(page) + markup_problems(page)


def similar_name_problems(page: Page) -> list[str]:
    """Return the similar-cities table's names that are not some city's raw name, exactly."""
    names = {raw(city, "name") for city in CITIES}
    return [f"similar-cities table shows {text!r}, not a raw name"
            for text in similar_names(page).all_text_contents() if text not in names]


def markup_problems(page: Page) -> list[str]:
    """Return elements or links in any of the page's documents that came from the data."""
    return [f"markup from the data in the {'page' if frame == page.main_frame else 'map'}: {html}"
            for frame in page.frames for html in frame.evaluate(INJECTED_MARKUP, PAYLOAD_HOSTS)]


def harm_done(page: Page, traffic: Traffic, dialogs: list[str], app: Server) -> list[str]:
    """Return every sign that a payload ran, left markup, fetched something or broke the page."""
    harm = [f"dialog opened: {dialog}" for dialog in dialogs]
    documents = page.frames
    if not any(frame != page.main_frame and frame.url.startswith(app.origin)
               for frame in documents):
        harm.append("no map iframe document to check")
    harm += [f"window.__pwned set in {frame.url}" for frame in documents
             if frame.evaluate("typeof window.__pwned") != "undefined"]
    harm += markup_problems(page)
    harm += [f"request to a payload's host: {url}" for url in traffic.requests
             if urlsplit(url).netloc in PAYLOAD_HOSTS]
    harm += [f"request to another host: {url}" for url in traffic.foreign(app.origin)]
    harm += [f"error shown: {text}" for text in page.locator(ERROR_ALERTS).all_inner_texts()]
    harm += [f"console error: {text}" for text in traffic.console_errors]
    return harm + [f"page error: {text}" for text in traffic.page_errors]


def assert_unharmed(page: Page, traffic: Traffic, dialogs: list[str], app: Server) -> None:
    """Fail, listing everything found, if the hostile data did any harm."""
    harm = list(dict.fromkeys(harm_done(page, traffic, dialogs, app)))
    assert not harm, "the hostile data did harm:\n" + "\n".join(harm)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Serve the dashboard on the hostile data for this module's tests."""
    app = start_server(ARTIFACTS / "streamlit-hostile.log", data=FIXTURE)
    yield app
    app.stop()


# ---------------------------------------------------------------- tests


def test_tooltips_show_raw_names(page: Page, traffic: Traffic, dialogs: list[str],
                                 server: Server) -> None:
    """Hovering each marker shows its raw name as plain text, tags and all."""
    open_app(page, server)
    frame = map_document(page)
    for city in CITIES:
        hover_marker(page, city)
        try:
            frame.wait_for_function(TOOLTIP_SHOWS, arg=raw(city, "name"), timeout=UI_TIMEOUT_MS)
        except PlaywrightTimeout:
            tips = frame.locator(".leaflet-tooltip").evaluate_all("els => els.map(e => e.outerHTML)")
            pytest.fail(f"{city}: no tooltip with {raw(city, 'name')!r}; shown: {tips}")
    assert_unharmed(page, traffic, dialogs, server)


def test_popups_and_details_show_raw_text(page: Page, traffic: Traffic, dialogs: list[str],
                                          server: Server) -> None:
    """Every city, chosen on the map or in the details panel, shows its texts literally."""
    open_app(page, server)
    first, *others = CITIES
    click_marker(page, first)
    wait_for_selection(page, first)
    problems = literal_problems(page, first)
    for city in others:
        choose_city(page, city)
        wait_for_selection(page, city)
        problems += literal_problems(page, city)
    # One list, each problem once: a bad label shows up under many selected cities.
    problems = list(dict.fromkeys(problems + harm_done(page, traffic, dialogs, server)))
    assert not problems, "texts not shown literally, or harm done:\n" + "\n".join(problems)


def test_every_tab_renders_inertly(page: Page, traffic: Traffic, dialogs: list[str],
                                   server: Server) -> None:
    """Each tab renders on the hostile data; the provenance line shows its payloads as text."""
    open_app(page, server)
    problems = []
    for key, content in TAB_CONTENT.items():
        page.get_by_role("tab", name=t(key, LANG), exact=True).click()
        expect(page.get_by_role("tabpanel").get_by_test_id(content)).to_be_visible()
        # Only the open tab is in the page: check each while it is there.
        problems += markup_problems(page)
    page.get_by_role("tab", name=t("tab.about", LANG), exact=True).click()
    source = HOSTILE["metadata"]["source"]
    for text in (source["title"], source["publisher"][LANG]):
        # Playwright compares text with whitespace collapsed, as the page shows it.
        expect(page.get_by_role("tabpanel")).to_contain_text(text)
    problems += markup_problems(page)
    page.get_by_role("tab", name=t("tab.map", LANG), exact=True).click()
    wait_for_markers(page, set(CITIES))
    problems = list(dict.fromkeys(problems + harm_done(page, traffic, dialogs, server)))
    assert not problems, "harm done:\n" + "\n".join(problems)


def test_hostile_url_values_show_literally_in_the_notices(page: Page, traffic: Traffic,
                                                         dialogs: list[str],
                                                         server: Server) -> None:
    """Ignored URL values reach the Markdown notices only as code spans: shown as typed."""
    values = {"focus": "![i](http://127.0.0.1:9/x.png)",
              "city": "[x](javascript:window.__pwned=1) :red[r]"}
    open_app(page, server, f"lang={LANG}&{urlencode(values)}")
    notice = t("notice.ignored_param", LANG, param="")
    shown = [f"{name}={value}" for name, value in values.items()]
    notices = page.get_by_test_id("stAlertContentWarning")
    expect(notices).to_have_text([notice + text for text in shown])
    # Each value whole in its code element: a link, image or :red[] directive would split it.
    expect(notices.locator("code")).to_have_text(shown)
    assert_unharmed(page, traffic, dialogs, server)


def test_csv_download_is_formula_safe(page: Page, traffic: Traffic, dialogs: list[str],
                                      server: Server) -> None:
    """The CSV from the download button defuses formulas and keeps coordinates numeric."""
    open_app(page, server)
    with page.expect_download() as download_info:
        page.locator(".st-key-download button").click()
    # Bytes, not read_text(): universal newlines would turn a CR inside a cell into LF.
    text = download_info.value.path().read_bytes().decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    column = {key: header.index(t(f"col.{key}", LANG))
              for key in ("id", "name", "priorities", "lat", "lon")}
    assert sorted(row[column["id"]] for row in rows) == sorted(CITIES)
    for row in rows:
        city = row[column["id"]]
        lon, lat = CITIES[city]["geometry"]["coordinates"]
        assert float(row[column["lat"]]) == pytest.approx(lat)
        assert float(row[column["lon"]]) == pytest.approx(lon)
        texts = [cell for i, cell in enumerate(row) if i not in (column["lat"], column["lon"])]
        assert not [cell for cell in texts if cell.startswith(FORMULA_TRIGGERS)], (city, row)
        assert row[column["name"]] == csv_cell(raw(city, "name"))
        assert row[column["priorities"]] == csv_cell(raw(city, "priorities"))
    assert_unharmed(page, traffic, dialogs, server)
