"""Filters: a table of cases over the shipped data, plus words and URL round trips."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from innomap.filters import Filters, from_params, view_params, view_url
from innomap.view import View

ALL = ("helsinki espoo vantaa lahti lappeenranta imatra turku jyvaskyla pori seinajoki tampere "
       "vaasa joensuu kuopio mikkeli kajaani sotkamo kokkola oulu rovaniemi").split()

CASES = [
    (Filters(), ALL),
    (Filters(focus=("circular_economy",)), ["lahti", "pori", "joensuu", "mikkeli", "kokkola",
                                            "oulu"]),
    (Filters(focus=("water", "food_systems")), ["seinajoki", "kuopio", "mikkeli"]),
    (Filters(focus=("circular_economy", "water"), match="all"), ["mikkeli"]),
    (Filters(focus=("water", "food_systems"), match="all"), []),
    (Filters(focus=("photonics_measurement",)), ["joensuu", "kajaani", "sotkamo"]),
    (Filters(focus=("photonics_measurement",), partners=False), ["joensuu", "kajaani"]),
    (Filters(region=("north",)), ["kajaani", "sotkamo", "kokkola", "oulu", "rovaniemi"]),
    (Filters(region=("east", "north"), focus=("circular_economy",)),
     ["joensuu", "mikkeli", "kokkola", "oulu"]),
    (Filters(body=("uudenmaan-liitto",)), ["helsinki", "espoo", "vantaa", "lahti", "turku"]),
    (Filters(body=("keski-suomen-liitto",)), ["jyvaskyla"]),
    (Filters(q="ÅBO"), ["turku", "oulu"]),  # Åbo, and Uleåborg contains "åbo"
    (Filters(q="Tammerfors"), ["tampere"]),
    # Substring search: Joensuu writes "kiertotalouden", so only the stem finds all six.
    (Filters(q="  kiertotalous "), ["lahti", "pori", "mikkeli", "kokkola", "oulu"]),
    (Filters(q="KIERTOTALOU"), ["lahti", "pori", "joensuu", "mikkeli", "kokkola", "oulu"]),
    (Filters(q="OuluHealth"), ["oulu"]),
    (Filters(q="sähköistäminen"), ["lappeenranta", "imatra"]),
    (Filters(q="no such thing"), []),
    (Filters(theme=("wellbeing_health",), region=("west",)), ["jyvaskyla", "tampere"]),
    (Filters(focus=("energy_electrification",), region=("south",), partners=False),
     ["lappeenranta"]),
]


@pytest.mark.parametrize(("filters", "expected"), CASES, ids=[repr(c[0]) for c in CASES])
def test_apply(dataset, broad_of, filters, expected):
    assert list(filters.apply(dataset.cities, broad_of)["id"]) == expected


def test_broad_theme_all_needs_every_theme(dataset, broad_of):
    both = Filters(theme=("digital", "wellbeing_health"), match="all").apply(dataset.cities,
                                                                            broad_of)
    for themes in both["themes"]:
        assert {"digital", "wellbeing_health"} <= set().union(*(broad_of[f] for f in themes))
    assert 0 < len(both) < len(dataset.cities)


LABELS = {"focus": {"water": "Water sector", "food_systems": "Food systems"},
          "region": {"west": "Western Finland"}, "_glue": {"any": "or", "all": "and"},
          "_partners": {"off": "without partner towns"}}


@pytest.mark.parametrize(("filters", "words"), [
    (Filters(), ""),
    (Filters(focus=("water", "food_systems")), "Water sector or Food systems"),
    (Filters(focus=("water", "food_systems"), match="all"), "Water sector and Food systems"),
    (Filters(focus=("water",), region=("west",), q="vesi", partners=False),
     "Water sector · Western Finland · “vesi” · without partner towns"),
])
def test_describe(filters, words):
    assert filters.describe(LABELS) == words


CHOICES = {"focus": ("water", "circular_economy"), "theme": ("digital",),
           "body": ("uudenmaan-liitto",)}

ROUND_TRIPS = [
    Filters(),
    Filters(focus=("water", "circular_economy")),
    Filters(theme=("digital",), match="all"),
    Filters(region=("north", "east")),
    Filters(body=("uudenmaan-liitto",)),
    Filters(q="Åbo & <b>"),
    Filters(partners=False),
    Filters(focus=("water",), theme=("digital",), region=("west",), body=("uudenmaan-liitto",),
            q="x", partners=False, match="all"),
]


@pytest.mark.parametrize("filters", ROUND_TRIPS, ids=repr)
def test_url_round_trip(filters):
    assert from_params(filters.to_params(), CHOICES) == (filters, [])


@pytest.mark.parametrize(("params", "filters", "notices"), [
    ({"focus": ["water", "teleport"]}, Filters(focus=("water",)), ["focus=teleport"]),
    ({"focus": "water,circular_economy"}, Filters(focus=("water", "circular_economy")), []),
    ({"focus": ["water", "water"]}, Filters(focus=("water",)), []),
    ({"region": ["middle"]}, Filters(), ["region=middle"]),
    ({"partners": "maybe"}, Filters(), ["partners=maybe"]),
    ({"match": ["any", "all"]}, Filters(match="all"), []),
    ({"q": "x" * 500}, Filters(), ["q=" + "x" * 37 + "..."]),
    ({"unrelated": "1"}, Filters(), []),
])
def test_bad_url_values_are_dropped_with_a_notice(params, filters, notices):
    assert from_params(params, CHOICES) == (filters, notices)


@pytest.mark.parametrize(("filters", "slug"), [
    (Filters(), "all"),
    (Filters(focus=("circular_economy",)), "circular-economy"),
    (Filters(focus=("water", "food_systems"), match="all"), "all-of_water_food-systems"),
    (Filters(region=("north",), q="Åbo/../x", partners=False), "north_abo-x_no-partners"),
])
def test_slug_is_file_name_safe(filters, slug):
    assert filters.slug() == slug


@pytest.mark.parametrize(("filters", "shown", "lang", "text"), [
    (Filters(), 20, "fi", "20/20 kuntaa"),
    (Filters(focus=("circular_economy",)), 6, "fi", "6/20 kuntaa · Kiertotalous"),
    (Filters(focus=("water", "food_systems"), match="all", partners=False), 0, "sv",
     "0 av 20 kommuner · Vattenbranschen och Livsmedelssystem · utan samarbetskommuner"),
    (Filters(region=("east",), body=("pohjois-savon-liitto",), q="vesi"), 1, "en",
     "1 of 20 municipalities · Eastern Finland · Regional Council of Pohjois-Savo · “vesi”"),
])
def test_headline_gives_the_count_and_the_filters_in_words(dataset, filters, shown, lang, text):
    view = View.of(dataset, filters, lang)
    assert (len(view.rows), view.headline) == (shown, text)


@pytest.mark.parametrize(("base", "url"), [
    (None, "?focus=water&focus=circular_economy&q=%C3%85bo+%26+x&lang=sv"),
    ("", "?focus=water&focus=circular_economy&q=%C3%85bo+%26+x&lang=sv"),
    ("http://127.0.0.1:8501/",
     "http://127.0.0.1:8501/?focus=water&focus=circular_economy&q=%C3%85bo+%26+x&lang=sv"),
    ("https://example.fi/innomap?lang=fi&city=oulu#top",
     "https://example.fi/innomap/?focus=water&focus=circular_economy&q=%C3%85bo+%26+x&lang=sv"),
])
def test_view_url_reopens_the_filters_and_language(base, url):
    filters = Filters(focus=("water", "circular_economy"), q="Åbo & x")
    assert view_url(base, view_params(filters, "sv")) == url
    params = parse_qs(urlsplit(url).query)
    assert from_params(params, CHOICES) == (filters, [])
    assert params["lang"] == ["sv"]
