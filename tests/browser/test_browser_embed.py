"""Real-browser tests: the embed code (issue 22 §5) shows the view on another site's page.

The dashboard runs under `streamlit run`; the embedding page is a plain HTML file served by a
static HTTP server on 127.0.0.2, another loopback address: another origin and, for the browser,
another site (an IP address is its own site), as a municipality's web page would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from innomap.filters import Filters
from innomap.i18n import t
from innomap.view import View
from tests.support.browser import (
    MAP_FRAME,
    Page,
    Server,
    Traffic,
    embedded_app,
    expect,
    static_site,
    wait_for_embedded_markers,
    wait_for_markers,
    write_embedding_page,
)
from tests.support.markup import parsed

pytestmark = pytest.mark.browser

CODE = ".st-key-embed [data-testid=stCode]"
# Everything that could end the src or title attribute, open a tag or an entity, start a
# script URL or break the line, in the one free-text filter (the search).
HOSTILE_Q = ('"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> '
             "& &amp; 'x' javascript:window.__pwned=1//\n</iframe><b>bold</b>")
# The host page's elements, in document order, and any trace of a payload in it.
HOST_DOCUMENT = """() => ({
    elements: [...document.body.querySelectorAll("*")].map(el => el.tagName.toLowerCase()),
    scripts: document.scripts.length,
    pwned: typeof window.__pwned,
})"""


@dataclass
class Site:
    """A static HTTP server for embedding pages, on another site (harness.static_site)."""

    folder: Path
    origin: str

    def publish(self, name: str, snippet: str) -> str:
        """Write a plain page holding the snippet; return its address."""
        write_embedding_page(self.folder, name, snippet)
        return f"{self.origin}/{name}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Serve a folder of embedding pages on 127.0.0.2 for the module's tests."""
    folder = tmp_path_factory.mktemp("site")
    with static_site(folder) as origin:
        yield Site(folder, origin)


def embed_code_shown(page: Page) -> str:
    """Return the embed code as the sidebar shows it (what its copy button copies)."""
    code = page.locator(CODE)
    expect(code).to_contain_text("<iframe ")
    return code.inner_text().strip()


def test_the_embed_code_shows_the_views_cities_on_another_site(
        page: Page, traffic: Traffic, server: Server, site: Site, dataset) -> None:
    """One theme in Finnish: the code names the view, and the frame on the other site shows
    the theme's places (not all 20), in Finnish, marked embedded, and answers a change."""
    view = View.of(dataset, Filters(focus=("circular_economy",)), "fi")
    shown = set(view.rows["id"])
    assert 0 < len(shown) < len(dataset.cities)
    page.goto(server.url("lang=fi&focus=circular_economy"))
    wait_for_markers(page, shown)
    title = f"Kartta: Innovoivat kaupungit ja yhteisöt – {len(shown)}/20 kuntaa · Kiertotalous"
    snippet = embed_code_shown(page)
    assert snippet == (
        f'<iframe src="{server.origin}/?focus=circular_economy&amp;lang=fi&amp;embed=true" '
        f'title="{title}" width="100%" height="800" style="border: 0" loading="lazy">'
        "</iframe>")
    expect(page.locator(".st-key-embed")).to_contain_text(
        t("embed.hint", "fi", origin=server.origin))

    page.goto(site.publish("teema.html", snippet))
    frame = page.locator("iframe")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute("title", title)
    wait_for_embedded_markers(page, server.origin, shown, {"focus": ["circular_economy"],
                                                    "lang": ["fi"], "embed": ["true"]})
    inside = page.frame_locator("iframe")
    expect(inside.locator("h2.innomap-headline")).to_have_text(title.split(" – ", 1)[1])
    expect(inside.locator("html")).to_have_attribute("lang", "fi")
    # embed=true: Streamlit knows it is embedded (and leaves out the page's padding).
    expect(inside.get_by_test_id("stApp")).to_have_class(re.compile(r"\bstreamlit-embedded\b"))
    # 800 px hold the headline, the tabs and the whole map, which the page sizes to the frame.
    outer, inner = frame.bounding_box(), inside.locator(MAP_FRAME).bounding_box()
    assert outer["height"] == 800
    assert outer["y"] < inner["y"] and inner["y"] + inner["height"] <= outer["y"] + 800, (
        outer, inner)
    # The frame is the app, live: a language chosen in it applies (the pin holds, filters stay).
    inside.locator(".st-key-lang").get_by_role("radio", name="English", exact=True).click()
    wait_for_embedded_markers(page, server.origin, shown, {"focus": ["circular_economy"],
                                                           "lang": ["en"], "embed": ["true"]})
    expect(inside.locator("h2.innomap-headline")).to_have_text(
        f"{len(shown)} of 20 municipalities · Circular economy")
    assert not traffic.page_errors, traffic.page_errors
    # The app's responses (the host page has no favicon: its 404 is no concern here).
    assert not [bad for bad in traffic.bad_responses if server.origin in bad], (
        traffic.bad_responses)


def test_hostile_search_text_stays_inside_the_embed_codes_attributes(
        page: Page, traffic: Traffic, dialogs: list[str], server: Server, site: Site) -> None:
    """Quotes, <, >, &, javascript: and a newline in the search: the code is one iframe with
    exactly its attributes, the host page gets no other element, and nothing runs."""
    page.goto(server.url(urlencode({"lang": "en", "q": HOSTILE_Q})))
    headline = f"0 of 20 municipalities · “{' '.join(HOSTILE_Q.split())}”"
    expect(page.locator("h2.innomap-headline")).to_have_text(headline)
    snippet = embed_code_shown(page)
    src = f"{server.origin}/?{urlencode({'q': HOSTILE_Q, 'lang': 'en'})}&embed=true"
    title = f"Map: Innovative Cities and Communities – {headline}"
    assert parsed(snippet) == [
        ("start", "iframe", [("src", src), ("title", title), ("width", "100%"),
                             ("height", "800"), ("style", "border: 0"), ("loading", "lazy")]),
        ("end", "iframe")]

    page.goto(site.publish("haku.html", snippet))
    frame = page.locator("iframe")
    expect(frame).to_have_count(1)
    # The frame holds the app, searching for the text as typed: it came through intact.
    expect(page.frame_locator("iframe").locator("h2.innomap-headline")).to_have_text(headline)
    assert frame.evaluate("el => [el.getAttribute('src'), el.getAttribute('title')]") == [
        src, title]
    assert page.evaluate(HOST_DOCUMENT) == {"elements": ["h1", "iframe"], "scripts": 0,
                                            "pwned": "undefined"}
    assert embedded_app(page, server.origin).evaluate("typeof window.__pwned") == "undefined"
    assert not dialogs, dialogs
    assert not traffic.page_errors, traffic.page_errors
