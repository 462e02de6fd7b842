"""Catalogues: complete in every language, no unused keys, and locale rules."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from innomap.export import COLUMNS
from innomap.filters import KINDS, MATCH_MODES
from innomap.i18n import (
    STREAMLIT_TEXTS,
    catalogue,
    format_number,
    pick_lang,
    requested_lang,
    sort_key,
    t,
)
from innomap.mapelements import MAP_TEXTS
from innomap.mapsizes import SIZES
from innomap.mapview import POPUP_FIELDS, POPUP_NOTES
from innomap.programme import TOPICS
from innomap.schema import LANGS, MACRO_REGIONS, ROLES
from innomap.ui.app import TABS

ROOT = Path(__file__).resolve().parents[1]
CODE = [ROOT / "dashboard.py", *sorted((ROOT / "src" / "innomap").rglob("*.py"))]
# Keys built at run time from a prefix and a known set of values.
DYNAMIC = {"col.": COLUMNS, "role.": ROLES, "region.": MACRO_REGIONS, "lang.": LANGS,
           "sidebar.match_": MATCH_MODES, "tab.": TABS, "describe.": MATCH_MODES, "popup.": (*POPUP_FIELDS, *POPUP_NOTES),
           "network.": ("lead", "member"), "about.topic.": TOPICS,
           "map.": MAP_TEXTS, "streamlit_text.": STREAMLIT_TEXTS, "image.size.": tuple(SIZES),
           # Each filter kind's label, and its help or placeholder where it has one.
           "sidebar.": (*(k.name for k in KINDS), *(f"{k.name}_help" for k in KINDS if k.helped),
                        *(f"{k.name}_hint" for k in KINDS if k.widget == "text"))}


def used_keys() -> set[str]:
    """Return every catalogue key the code names, literally or via a known prefix."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in CODE)
    keys = set(re.findall(r"""["']([a-z_]+\.[a-z_.]+)["']""", text))
    for prefix, values in DYNAMIC.items():
        assert re.search(r"""f?["']""" + re.escape(prefix) + r"""(\{|["']\s*\+)""", text), prefix
        keys |= {prefix + value for value in values}
    return keys


def test_every_language_has_the_same_keys():
    assert set(catalogue("sv")) == set(catalogue("fi")) == set(catalogue("en"))


def test_no_key_is_unused_and_none_is_missing():
    keys = set(catalogue("fi"))
    used = {k for k in used_keys() if k.split(".")[0] in {k2.split(".")[0] for k2 in keys}}
    assert sorted(keys - used) == [], "unused catalogue keys"
    assert sorted(used - keys) == [], "keys the code uses but no catalogue has"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_agree_across_languages(lang):
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, text in catalogue("fi").items():
        assert fields(catalogue(lang)[key]) == fields(text), key


def test_t_fills_placeholders():
    assert t("main.headline", "en", shown=6, total=20) == "6 of 20 municipalities"
    assert t("main.headline", "sv", shown=6, total=20) == "6 av 20 kommuner"


@pytest.mark.parametrize(("requested", "browser", "lang"), [
    ("sv", "en-GB", "sv"), (None, "sv-FI", "sv"), (None, "en-US", "en"), (None, "de-DE", "fi"),
    (None, "en_GB", "en"), (None, "SV", "sv"), (None, "english", "fi"),
    ("xx", None, "fi"), (None, None, "fi"), ("", "", "fi"),
    # The URL's value is exact, like every URL value (state._view_in flags the rest):
    ("svenska", None, "fi"), ("svenska", "sv-SE", "sv"), ("EN", "fi-FI", "fi"), ("sv ", None, "fi"),
])
def test_pick_lang(requested, browser, lang):
    assert pick_lang(requested, browser) == lang


@pytest.mark.parametrize(("value", "lang"), [
    ("fi", "fi"), ("sv", "sv"), ("en", "en"), ("svenska", None), ("EN", None), ("sv-FI", None),
    (" en", None), ("", None), (None, None),
])
def test_a_requested_language_is_a_code_exactly(value, lang):
    assert requested_lang(value) == lang


def test_nordic_sort_puts_a_ring_and_umlauts_last():
    names = ["Östersund", "Åbo", "Ähtäri", "Zürich", "Vasa", "Esbo", "Ekenäs", "Uleåborg"]
    assert sorted(names, key=sort_key) == ["Ekenäs", "Esbo", "Uleåborg", "Vasa", "Zürich", "Åbo",
                                           "Ähtäri", "Östersund"]


@pytest.mark.parametrize(("lang", "text"), [("fi", "1\u00a0234,5"), ("sv", "1\u00a0234,5"),
                                            ("en", "1,234.5")])
def test_format_number(lang, text):
    assert format_number(1234.5, lang, decimals=1) == text
