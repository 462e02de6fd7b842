"""The embed code: one <iframe> with exactly its attributes, whatever the view's values hold."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from innomap.embedding import embed_code, embed_url, frame_origin
from innomap.filters import Filters, view_params, view_url
from tests.support.markup import parsed

BASE = "https://innomap.example.fi/innomap"
# What a search box or a crafted link can put into the view: every character that could end
# an attribute, open a tag or an entity, start a script URL, or break the line.
HOSTILE = ('"><script>window.__pwned=1</script>', "' onload='window.__pwned=1' x='",
           "&quot; &amp; &#34; &lt;b&gt;", "javascript:window.__pwned=1//",
           "line\nbreak\r\nand\ttab", "</iframe><iframe src=javascript:alert(1)>", "<!-- -->")


def test_the_code_for_a_theme_in_finnish_written_out():
    url = view_url(BASE, view_params(Filters(focus=("circular_economy",)), "fi"))
    title = "Kartta: Innovoivat kaupungit ja yhteisöt – 6/20 kuntaa · Kiertotalous"
    assert embed_code(url, title) == (
        '<iframe src="https://innomap.example.fi/innomap/?focus=circular_economy&amp;lang=fi'
        '&amp;embed=true" title="Kartta: Innovoivat kaupungit ja yhteisöt – 6/20 kuntaa · '
        'Kiertotalous" width="100%" height="800" style="border: 0" loading="lazy"></iframe>')


def test_a_hostile_search_stays_text_in_the_address_and_the_title_written_out():
    url = view_url(BASE, view_params(Filters(q='"><script>x</script>\n& \'javascript:'), "en"))
    title = 'Map: Innovative Cities – 0 of 20 municipalities · “"><script>x</script>\n& \'”'
    assert embed_code(url, title, height=640) == (
        '<iframe src="https://innomap.example.fi/innomap/?q=%22%3E%3Cscript%3Ex%3C%2Fscript'
        '%3E%0A%26+%27javascript%3A&amp;lang=en&amp;embed=true" title="Map: Innovative Cities '
        '– 0 of 20 municipalities · “&quot;&gt;&lt;script&gt;x&lt;/script&gt; &amp; '
        '&#x27;”" width="100%" height="640" style="border: 0" loading="lazy"></iframe>')


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_makes_one_iframe_with_exactly_its_attributes(value):
    url = view_url(BASE, view_params(Filters(q=value, focus=("water",)), "sv"))
    title = f"Karta: {value} – {value}"
    assert parsed(embed_code(url, title)) == [
        ("start", "iframe", [("src", f"{url}&embed=true"), ("title", " ".join(title.split())),
                             ("width", "100%"), ("height", "800"), ("style", "border: 0"),
                             ("loading", "lazy")]),
        ("end", "iframe")]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_frames_address_brings_the_value_back_intact(value):
    url = view_url(BASE, view_params(Filters(q=value), "fi"))
    ((_, _, attrs), _) = parsed(embed_code(url, "Kartta"))
    src = dict(attrs)["src"]
    assert src.startswith(f"{BASE}/?")
    assert parse_qs(urlsplit(src).query, keep_blank_values=True) == {
        "q": [value], "lang": ["fi"], "embed": ["true"]}


@pytest.mark.parametrize(("page", "embedded"), [
    ("http://127.0.0.1:8501/?lang=fi", "http://127.0.0.1:8501/?lang=fi&embed=true"),
    ("https://host/innomap/", "https://host/innomap/?embed=true"),
    ("https://host/?region=west#top", "https://host/?region=west&embed=true"),
])
def test_embed_url_adds_streamlits_parameter(page, embedded):
    assert embed_url(page) == embedded


def test_the_origin_to_allow_is_the_pages_scheme_and_host():
    assert frame_origin("https://innomap.example.fi:8443/innomap/?lang=sv") == (
        "https://innomap.example.fi:8443")


@pytest.mark.parametrize("page", ["?lang=fi", "/innomap/?lang=fi", "javascript:alert(1)//",
                                  "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                  "file:///etc/passwd", "http:///?lang=fi", ""])
def test_only_an_absolute_http_address_has_an_embed_code(page):
    with pytest.raises(ValueError, match="absolute http\\(s\\) address, got "):
        embed_code(page, "Map")
