"""Display tables and charts: Nordic order, languages, and Markdown-safe text."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from innomap.filters import Filters
from innomap.view import View
from innomap.views import (
    city_details,
    city_table,
    code_span,
    details_html,
    focus_chart,
    focus_counts,
    focus_matrix,
    print_list_html,
    similar_table,
    text_html,
)


def test_table_is_in_nordic_order_with_translated_headers(dataset):
    table = city_table(View(dataset, "sv", dataset.cities))
    names = list(table["kommun"])
    assert names[:3] == ["Björneborg", "Esbo", "Helsingfors"]
    assert names[-2:] == ["Villmanstrand", "Åbo"]
    assert list(table.columns) == ["kommun", "roll", "storområde", "landskap",
                                   "förmedlande myndighet", "fokusområden", "tyngdpunkter"]
    assert table.index[names.index("Åbo")] == "turku"


def test_matrix_marks_exactly_each_citys_focus_areas(dataset, broad_of):
    rows = Filters(region=("east",)).apply(dataset.cities, broad_of)
    matrix = focus_matrix(View(dataset, "en", rows))
    assert list(matrix.index) == ["Joensuu", "Kuopio", "Mikkeli"]
    assert matrix.loc["Mikkeli"].to_dict() == {
        "Circular economy": "✓", "Bioeconomy": "", "Water sector": "", "Photonics and measurement "
        "technology": "", "Health and wellbeing sector": "", "Health technology and life sciences": ""
    } | {"Water sector": "✓"}


def test_focus_counts_add_up_to_the_themes_of_the_shown_cities(dataset, broad_of):
    rows = Filters(region=("north", "south")).apply(dataset.cities, broad_of)
    counts = focus_counts(View(dataset, "fi", rows))
    assert counts["count"].sum() == sum(len(t) for t in rows["themes"])
    circular = counts.loc[counts["focus"] == "Kiertotalous"]
    assert dict(zip(circular["region"], circular["count"], strict=True)) == {
        "Etelä-Suomi": 1, "Pohjois-Suomi": 2}


def test_focus_chart_is_a_bar_chart_coloured_by_region(dataset):
    chart = focus_chart(focus_counts(View(dataset, "en", dataset.cities)), "en").to_dict()
    assert chart["mark"]["type"] == "bar"
    assert chart["encoding"]["color"]["scale"]["domain"] == [
        "Southern Finland", "Western Finland", "Eastern Finland", "Northern Finland"]


def test_the_charts_data_speaks_the_language(dataset):
    """Issue 21 §4: the chart's "Show data" shows its columns' names as headers."""
    chart = focus_chart(focus_counts(View(dataset, "fi", dataset.cities)), "fi")
    assert list(chart.data.columns) == ["Aihealue", "Suuralue", "Kuntien määrä"]
    assert chart.to_dict()["encoding"]["x"]["field"] == "Kuntien määrä"


def test_details_of_a_partner_town(dataset):
    details = city_details(View.of(dataset, lang="sv"), "sotkamo")
    assert details.names == {"fi": "Sotkamo", "sv": "Sotkamo", "en": "Sotkamo"}
    assert details.lead_city == "Kajana"
    assert details.agreement_members == ["Kajana"]
    assert details.similar[0] == ("joensuu", "Joensuu", [], ["Fotonik och mätteknik"])


def test_details_of_a_city_sharing_its_agreement(dataset):
    details = city_details(View.of(dataset, lang="en"), "vantaa")
    assert details.agreement_members == ["Helsinki", "Espoo"]
    assert details.partner_towns == [] and details.lead_city == ""
    assert [name for _, name, _, _ in details.similar[:2]] == ["Oulu", "Tampere"]


@pytest.mark.parametrize(("city", "lang", "line"), [
    ("espoo", "fi", "<b>Lisäksi:</b> Uudet avaukset ja ekosysteeminen kehittäminen ("),
    ("helsinki", "sv", "<b>Dessutom:</b> Nya initiativ och ekosystembaserad utveckling ("),
    ("vantaa", "en", "<b>Also:</b> New initiatives and ecosystem development ("),
])
def test_details_show_a_priority_from_another_page_after_the_priorities_with_its_page(
        dataset, city, lang, line):
    out = details_html(city_details(View.of(dataset, lang=lang), city), lang)
    page = "https://rakennerahastot.fi/etela-suomi/kehittamisen-painopisteet/kestava-kaupunkikehittaminen"
    assert f'{line}<a href="{page}" target="_blank"' in out
    assert out.index("innomap-priorities") < out.index(line) < out.index("innomap-chips")


def test_details_without_a_further_priority_show_none(dataset):
    out = details_html(city_details(View.of(dataset, lang="fi"), "turku"), "fi")
    assert "Lisäksi" not in out and out.count("innomap-priorities") == 1


@pytest.mark.parametrize(("text", "span"), [
    ("plain", "` plain `"),
    ("http://127.0.0.1:9/x.png", "` http://127.0.0.1:9/x.png `"),
    ("a `tick` and ``two``", "``` a `tick` and ``two`` ```"),
    ("line\nbreak", "` line break `"),
])
def test_code_span_keeps_any_text_literal(text, span):
    assert code_span(text) == span


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "[x](javascript:y)",
                                  "http://attacker.example/", '" onmouseover="x', "a & b"])
def test_text_html_escapes_everything(text):
    out = text_html(text, "p", "k")
    assert out.startswith('<p class="k">') and out.endswith("</p>")
    inner = out[len('<p class="k">'):-len("</p>")]
    assert "<" not in inner and ">" not in inner and '"' not in inner
    assert html.unescape(inner) == text


def test_details_html_shows_hostile_text_as_text(dataset):
    details = city_details(View.of(dataset, lang="en"), "turku")
    hostile = replace(details, priorities="<img src=x onerror=alert(1)> http://x.example",
                      names={**details.names, "en": "</h3><script>x</script>"},
                      additional="<b onclick=x>more</b>",
                      additional_source='https://x.example/"><script>y</script>')
    out = details_html(hostile, "en")
    assert "<img" not in out and "<script>" not in out and "<b onclick" not in out
    assert "&lt;b onclick=x&gt;more&lt;/b&gt;" in out
    assert 'href="https://x.example/&quot;&gt;&lt;script&gt;y&lt;/script&gt;"' in out
    assert "&lt;img src=x onerror=alert(1)&gt; http://x.example" in out
    assert "<h3>&lt;/h3&gt;&lt;script&gt;x&lt;/script&gt;</h3>" in out


def test_similar_table_lists_ranked_cities_with_shared_areas(dataset):
    table = similar_table(city_details(View.of(dataset, lang="sv"), "turku"), "sv")
    assert list(table.columns) == ["kommun", "gemensamma nätverk",
                                   "antal gemensamma fokusområden", "gemensamma fokusområden"]
    assert list(table.index[:2]) == ["jyvaskyla", "kokkola"]
    assert table.iloc[0].tolist() == ["Jyväskylä", "Kompetensnätverket för batterikemi (innomaps översättning)", 1,
                                      "Industri och industriell förnyelse"]
    assert table.loc["tampere"].tolist() == ["Tammerfors", "", 2,
                                             "Industri och industriell förnyelse; "
                                             "Hälsoteknik och life science"]


def test_details_list_networks_with_roles_and_sources_as_links(dataset):
    details = city_details(View.of(dataset, lang="fi"), "jyvaskyla")
    assert details.networks == ["Akkukemian osaamisverkosto (jäsen)",
                                "Sport Suomi -ekosysteemi (innomapin suomennos; vetäjä, päättynyt 12/2024)"]
    out = details_html(details, "fi")
    assert ("<dt>Verkostot</dt><dd>Akkukemian osaamisverkosto (jäsen); "
            "Sport Suomi -ekosysteemi (innomapin suomennos; vetäjä, päättynyt 12/2024)</dd>") in out
    assert ('<dt>Lähteet</dt><dd><a href="https://rakennerahastot.fi/kestava-kaupunkikehittaminen"'
            ' target="_blank" rel="noopener noreferrer">'
            "rakennerahastot.fi/kestava-kaupunkikehittaminen</a>") in out
    assert "<dt>Verkostot</dt>" not in details_html(city_details(View.of(dataset, lang="fi"), "helsinki"), "fi")


def test_print_list_is_the_shown_places_in_nordic_order_escaped(dataset, broad_of):
    rows = Filters(region=("east",)).apply(dataset.cities, broad_of)
    out = print_list_html(View(dataset, "sv", rows))
    names = [html.unescape(n) for n in re.findall(r"<tr><td>(.*?)</td>", out)]
    assert names == list(city_table(View(dataset, "sv", rows))["kommun"])
    assert "<th>kommun</th><th>roll</th><th>landskap</th><th>storområde</th>" in out
    hostile = rows.assign(name_sv="<script>x</script>")
    assert "<script>" not in print_list_html(View(dataset, "sv", hostile))


def test_print_list_stops_at_its_limit_and_says_how_many_more(dataset):
    out = print_list_html(View(dataset, "en", dataset.cities), limit=3)
    assert out.count("<tr><td>") == 3
    assert "… and 17 more" in out
