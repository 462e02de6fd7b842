"""Issue 21 §4: no English on a Finnish or Swedish page but what the accessibility statement
names (statement.REMAINING_ENGLISH), in the visible text and in every accessible name.

The scan (tests/js/pagescan.js) reads the page and the map frame in each state a reader meets:
the sidebar open and closed, a filter's list open and finding nothing, a value chosen, the
search box focused and typed into, a city chosen, every tab. A text is English when it is one
of Streamlit's texts innomap translates (i18n.STREAMLIT_TEXTS, exact: an upgrade that changes
one shows here by name) or when it has a word that only the English texts use, unless it is
marked as English (lang="en", as the About tab marks a network's published English name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from innomap.i18n import STREAMLIT_TEXTS, catalogue, t
from innomap.statement import REMAINING_ENGLISH
from innomap.ui.app import TABS
from tests.support.browser import (
    ARTIFACTS,
    MAP_FRAME,
    ROOT,
    Page,
    Server,
    choose_option,
    expect,
    start_server,
    wait_for_markers,
)

pytestmark = pytest.mark.browser

SCAN = (ROOT / "tests" / "js" / "pagescan.js").read_text(encoding="utf-8")
CITIES = {f["properties"]["id"] for f in json.loads(
    (ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]}
WORD = re.compile(r"[^\W\d_]{2,}")
PATH = re.compile(r"\S*/\S*")
# English words Streamlit and Vega use that innomap's English texts may not (a safety net for
# texts not yet in the table; the words of every Streamlit text in it are added below).
ENGLISH = {"the", "to", "for", "of", "and", "with", "no", "press", "enter", "apply", "submit",
           "clear", "value", "all", "open", "close", "help", "skip", "main", "content", "copy",
           "clipboard", "menu", "sidebar", "collapse", "expand", "dismiss", "search", "show",
           "hide", "columns", "fullscreen", "download", "as", "running", "stop", "select",
           "selected", "values", "options", "results", "remove", "titled", "axis", "scale",
           "legend", "visualization", "mark", "container", "chart", "table", "spec", "choose",
           "copied", "deploy", "print", "record", "screencast", "rerun", "settings", "theme",
           "light", "dark", "system", "about", "made", "copyright", "rights", "reserved",
           "scroll", "tabs", "left", "right", "type", "loading", "error", "connection"}


def words(text: str) -> set[str]:
    """Return a text's words, lower-cased; a path or an address (with a slash) is no words."""
    return {word.lower() for word in WORD.findall(PATH.sub(" ", text))}


def english_only() -> set[str]:
    """Return the words that mark a text as English: the English catalogue's and the list
    above, less every word the Finnish and Swedish texts and the data files use."""
    english = set(ENGLISH)
    for text in catalogue("en").values():
        english |= words(text)
    others: set[str] = set()
    for lang in ("fi", "sv"):
        for text in catalogue(lang).values():
            others |= words(text)
    for name in ("cities.geojson", "networks.json", "programme.json", "themes.json"):
        others |= data_words(json.loads((ROOT / "data" / name).read_text(encoding="utf-8")))
    return english - others - {w for text in REMAINING_ENGLISH for w in words(text)}


def data_words(value: object) -> set[str]:
    """Return the words of a data file's texts but its English ones (a member "en"): what a
    Finnish or Swedish page may show of it (never its keys)."""
    if isinstance(value, dict):
        return set().union(*(data_words(item) for key, item in value.items() if key != "en"),
                           set())
    if isinstance(value, list):
        return set().union(*(data_words(item) for item in value), set())
    return words(value) if isinstance(value, str) else set()


STREAMLIT = {catalogue("en")[f"streamlit_text.{name}"] for name in STREAMLIT_TEXTS}
ENGLISH_ONLY = english_only()


def is_streamlit_text(text: str) -> bool:
    """Return whether a text is one of Streamlit's English texts (a slot matches any label)."""
    return any(re.fullmatch(re.escape(known).replace(re.escape("{label}"), ".+"), text)
               for known in STREAMLIT)


def english(items: list[dict]) -> dict[str, set[str]]:
    """Return the English texts among scanned items, each with where it was seen."""
    found: dict[str, set[str]] = {}
    for item in items:
        text = item["text"]
        if item["lang"] == "en":
            continue  # English marked as English: a screen reader reads it so (WCAG 3.1.2)
        if is_streamlit_text(text) or words(text) & ENGLISH_ONLY or text in REMAINING_ENGLISH:
            found.setdefault(text, set()).add(f"{item['kind']} in {item['where']}")
    return found


class Scan:
    """The English seen on one page over the states it is scanned in."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page, self.lang, self.found = page, lang, {}

    def __call__(self, state: str) -> None:
        """Scan the page as it is now, after its script run is over."""
        expect(self.page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning")
        expect(self.page.locator('[data-stale="true"]')).to_have_count(0)
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)
        items = self.page.evaluate(f"() => {{ const module = {{}};\n{SCAN}\n"
                                   "return module.exports(); }")
        for text, where in english(items).items():
            self.found.setdefault(text, set()).update(f"{state}: {w}" for w in where)

    def unexpected(self) -> dict[str, list[str]]:
        """Return the English not named in the statement, with where it was seen."""
        return {text: sorted(where)[:4] for text, where in self.found.items()
                if text not in REMAINING_ENGLISH}


def sidebar_button(page: Page, lang: str, name: str):
    """Return the sidebar's collapse or expand button by its name in the language."""
    return page.get_by_role("button", name=t(f"streamlit_text.{name}", lang), exact=True)


def scan_table_tools(page: Page, lang: str, scan: Scan) -> None:
    """Scan the table's toolbar in use: its search box, then the table full screen."""
    table = page.locator(".st-key-table_view").get_by_test_id("stDataFrame")
    table.hover()
    tool = page.get_by_test_id("stElementToolbar").get_by_role("button", exact=True, name=t(
        "streamlit_text.search", lang))
    tool.click()
    expect(table.get_by_role("textbox").or_(table.locator("input")).first).to_be_visible()
    scan("the table's search box")
    page.keyboard.press("Escape")
    table.hover()
    page.get_by_test_id("stElementToolbar").get_by_role("button", exact=True, name=t(
        "streamlit_text.fullscreen", lang)).click()
    close = page.get_by_role("button", exact=True, name=t("streamlit_text.close", lang))
    expect(close).to_be_visible()
    scan("the table full screen")
    close.click()
    expect(close).to_have_count(0)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_but_what_the_statement_names(page: Page, server: Server, lang: str) -> None:
    """Every state a reader meets, on the fi and sv pages: only REMAINING_ENGLISH is English,
    and each of its texts is really there (else the statement names a fixed one)."""
    scan = Scan(page, lang)
    page.goto(server.url(f"lang={lang}"))
    wait_for_markers(page, CITIES)
    # The map frame's name is in the language; Streamlit's title stays (REMAINING_ENGLISH).
    expect(page.locator(MAP_FRAME)).to_have_attribute("aria-label", t("map.heading", lang))
    # The map's scale in kilometres only (no "mi").
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-control-scale-line")).to_have_text(
        re.compile(r"^\d+ km$"))
    scan("sidebar open")
    # A filter's list open, then finding nothing.
    focus = page.locator(".st-key-focus").get_by_role("combobox")
    focus.click()
    expect(page.get_by_role("option").first).to_be_visible()
    scan("a filter's list open")
    focus.fill("zzzz")
    expect(page.get_by_test_id("stMultiSelectDropdown").get_by_role("option")).to_have_text(
        t("streamlit_text.no_results", lang))
    scan("a filter finding nothing")
    # Escape empties the box first, then closes the list.
    focus.fill("")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stMultiSelectDropdown")).to_have_count(0)
    # A value chosen (its tag and "clear all"), the search box typed into (its instruction).
    choose_option(page, "region", t("region.south", lang))
    scan("a value chosen")
    search = page.locator(".st-key-q input")
    search.click()
    page.keyboard.type("tur")
    expect(page.get_by_test_id("InputInstructions")).to_contain_text(
        t("streamlit_text.enter_to_apply", lang))
    scan("the search box typed into")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=tur\b"))
    # No app menu (.streamlit/config.toml): its entries were English that nothing translates.
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
    # The citation copied: the copy button's own tooltip.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator(".st-key-citation").get_by_test_id("stCode").hover()
    copy = page.locator(".st-key-citation").get_by_test_id("stCode").get_by_role("button")
    copy.click()
    expect(copy).to_have_attribute("aria-label", t("streamlit_text.copied", lang))
    scan("the citation copied")
    # A city chosen: the details, the picker's "clear value", the popup.
    page.goto(server.url(f"lang={lang}&city=turku"))
    wait_for_markers(page, CITIES)
    scan("a city chosen")
    for tab in TABS[1:]:
        page.get_by_role("tab", name=t(f"tab.{tab}", lang), exact=True).click()
        expect(page.locator(MAP_FRAME)).to_have_count(0)
        scan(f"the {tab} tab")
        if tab == "table":
            scan_table_tools(page, lang, scan)
        if tab == "chart":
            chart = page.get_by_test_id("stVegaLiteChart").first
            chart.hover()
            page.get_by_test_id("stElementToolbar").get_by_role("button", exact=True, name=t(
                "streamlit_text.show_data", lang)).click()
            # The grid writes its accessible table (its column headers) after drawing.
            expect(page.get_by_test_id("stDataFrame").locator("th")).to_have_count(4)
            scan("the chart's data shown")
    # The collapse button shows while the pointer is over the sidebar.
    page.get_by_test_id("stSidebar").hover()
    sidebar_button(page, lang, "collapse_sidebar").click()
    expect(sidebar_button(page, lang, "expand_sidebar")).to_be_visible()
    scan("sidebar closed")
    unexpected = scan.unexpected()
    # Named one by one: a new Streamlit text is the one to add to i18n.STREAMLIT_TEXTS.
    assert not unexpected, f"English on the {lang} page:\n" + "\n".join(
        f"{text!r}: {', '.join(where)}" for text, where in sorted(unexpected.items()))
    assert set(scan.found) >= set(REMAINING_ENGLISH), "the statement names a text not there"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_on_a_phone(browser, server: Server, lang: str) -> None:
    """At 390 x 844 the sidebar starts closed and the tab bar scrolls (its own buttons)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        page = context.new_page()
        scan = Scan(page, lang)
        page.goto(server.url(f"lang={lang}"))
        wait_for_markers(page, CITIES)
        scan("a phone, sidebar closed")
        page.get_by_role("button", exact=True, name=t("streamlit_text.expand_sidebar", lang)).click()
        expect(page.get_by_test_id("stSidebar")).to_be_in_viewport()
        scan("a phone, sidebar open")
        assert scan.unexpected() == {}, scan.unexpected()
    finally:
        context.close()


def test_a_language_change_retranslates_streamlits_texts(page: Page, server: Server) -> None:
    """A page switched from Finnish to Swedish and on to English re-translates what the first
    language changed: Streamlit's own texts are in each language in turn."""
    page.goto(server.url("lang=fi"))
    wait_for_markers(page, CITIES)
    skip = page.get_by_test_id("stSkipToContent")
    collapse = page.get_by_test_id("stSidebarCollapseButton").locator("button")
    for lang in ("fi", "sv", "en"):
        page.locator(".st-key-lang").get_by_role("radio", name=t(f"lang.{lang}", lang),
                                                 exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(skip).to_have_text(t("streamlit_text.skip", lang))
        expect(collapse).to_have_attribute("aria-label",
                                           t("streamlit_text.collapse_sidebar", lang))


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Serve the dashboard with a data file that has no good version: the data-error page."""
    bad = tmp_path_factory.mktemp("broken") / "cities.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    app = start_server(ARTIFACTS / "streamlit-browser-texts-broken.log", data=bad)
    yield app
    app.stop()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_data_error_page_has_no_english_but_its_marked_problems(
        page: Page, broken_server: Server, lang: str) -> None:
    """No map and no sidebar: the page script still puts Streamlit's texts in the language;
    the problems (innomap validate's English) are marked lang="en"."""
    scan = Scan(page, lang)
    page.goto(broken_server.url(f"lang={lang}"))
    expect(page.get_by_test_id("stAlertContentError")).to_be_visible()
    expect(page.locator('pre.innomap-problems[lang="en"]')).to_contain_text("expected valid JSON")
    expect(page.get_by_test_id("stSkipToContent")).to_have_text(t("streamlit_text.skip", lang))
    scan("the data-error page")
    page.get_by_test_id("stExpander").get_by_role("button").or_(
        page.get_by_test_id("stExpander").locator("summary")).first.click()
    expect(page.locator(".innomap-statement")).to_be_visible()
    scan("its accessibility statement open")
    assert scan.unexpected() == {}, scan.unexpected()


def test_the_page_script_loads_behind_a_url_prefix(page: Page, prefixed_server: Server) -> None:
    """Under server.baseUrlPath the script comes from the prefixed static path."""
    page.goto(prefixed_server.url("lang=sv"))
    expect(page.get_by_test_id("stSkipToContent")).to_have_text(t("streamlit_text.skip", "sv"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("script.innomap-page-texts")).to_have_attribute(
        "src", re.compile(r"^/innomap/app/static/innomap/pagetexts-[0-9a-f]{12}\.js$"))
