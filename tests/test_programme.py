"""The programme's facts: the file's contract, the shipped facts, and the About tab's text."""

from __future__ import annotations

import copy
import json
import re

import pytest

from innomap.about import about_html
from innomap.cities import load_dataset
from innomap.programme import load_programme
from innomap.schema import DataError
from innomap.shipped import DATA_DIR, THEMES
from innomap.view import View

FACTS = json.loads((DATA_DIR / "programme.json").read_text(encoding="utf-8"))


def write_facts(tmp_path, edit):
    """Write an edited copy of the shipped facts file; return its path."""
    data = copy.deepcopy(FACTS)
    edit(data)
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def fact(data, index):
    """Return fact `index` of a parsed file."""
    return data["facts"][index]


CASES = [
    (lambda d: fact(d, 3).pop("sources"),
     "facts[3] (agreements_signed).sources: expected a value (field is required)"),
    (lambda d: fact(d, 3)["dates"].__setitem__("signed", "9.2.2021"),
     'facts[3] (agreements_signed).dates.signed: expected an ISO date like "2021-02-09", '
     'got "9.2.2021"'),
    (lambda d: fact(d, 3)["text"].__setitem__("sv", "Undertecknades den {signed}."),
     "facts[3] (agreements_signed).text.sv: expected placeholders ['signed', 'until']"),
    (lambda d: fact(d, 6)["amounts"].__setitem__("total", -1),
     "facts[6] (funding_total).amounts.total: expected a positive number of euros, got -1"),
    (lambda d: fact(d, 0).__setitem__("topic", "gossip"), "facts[0] (programme_name).topic: "
                                                          "expected one of names, dates"),
    (lambda d: fact(d, 0).__setitem__("status", "probably"),
     'facts[0] (programme_name).status: expected one of "confirmed", "unconfirmed"'),
    (lambda d: fact(d, 1).__setitem__("id", "programme_name"),
     "facts[1] (programme_name).id: expected a unique id (already used by facts[0])"),
    (lambda d: fact(d, 0)["text"].pop("en"),
     "facts[0] (programme_name).text.en: expected a non-empty text"),
    (lambda d: fact(d, 0).__setitem__("sources", ["ftp://example.org/x"]),
     "facts[0] (programme_name).sources[0]: expected an http(s):// URL"),
]


@pytest.mark.parametrize(("edit", "message"), CASES, ids=[c[1][:60] for c in CASES])
def test_each_rule_reports_where_and_what(tmp_path, edit, message):
    with pytest.raises(DataError) as caught:
        load_programme(write_facts(tmp_path, edit))
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_at_once(tmp_path):
    def break_three(data):
        fact(data, 0)["topic"] = "gossip"
        fact(data, 4)["sources"] = []
        fact(data, 9)["amounts"]["eu"] = "lots"

    with pytest.raises(DataError) as caught:
        load_programme(write_facts(tmp_path, break_three))
    assert [p.where for p in caught.value.problems] == [
        "facts[0] (programme_name)", "facts[4] (jyvaskyla_update)",
        "facts[9] (structural_funds_total)"]


def test_every_shipped_fact_is_confirmed_and_cites_pages_not_the_notes(dataset):
    assert len(dataset.programme) == 17
    for item in dataset.programme:
        assert item.status == "confirmed"
        assert all(url.startswith(("https://", "http://")) for url in item.sources)
        assert not any("programme-facts" in url for url in item.sources)


@pytest.mark.parametrize(("fact_id", "lang", "sentence"), [
    ("agreements_signed", "fi", "Ekosysteemisopimukset allekirjoitettiin 9.2.2021, ja ne ovat "
                                "voimassa 31.12.2027 asti."),
    ("agreements_signed", "en", "The ecosystem agreements were signed on 9 February 2021 and "
                                "are valid until 31 December 2027."),
    ("cities_named", "sv", "Regeringen utsåg den 20.5.2020 de städer som skulle få ekosystemavtal."),
    ("funding_by_year", "fi", "Vuodelle 2022 rahoitusta oli 21,6 miljoonaa euroa, vuodelle 2023 "
                              "lähes 13 miljoonaa euroa ja vuodelle 2024 noin 11,5 miljoonaa "
                              "euroa."),
    # Only the Finnish and English funding pages are cited, so only they are named.
    ("funding_total", "fi", "Innokaupunkien suomenkielisen rahoitussivun mukaan rahoitusta on "
                            "kaudella 2021–2027 yhteensä noin 150 miljoonaa euroa. "
                            "Englanninkielinen sivu ilmoittaa samaksi summaksi noin 140 "
                            "miljoonaa euroa."),
    ("funding_total", "sv", "Enligt Innostädernas finskspråkiga sida om finansiering uppgår "
                            "finansieringen för perioden 2021–2027 till sammanlagt cirka 150 "
                            "miljoner euro. Den engelskspråkiga sidan anger cirka 140 miljoner "
                            "euro för samma period."),
    ("funding_total", "en", "According to the InnoCities funding page in Finnish, funding for "
                            "2021–2027 totals about EUR 150 million. The English page gives "
                            "about EUR 140 million for the same period."),
    ("structural_funds_total", "sv", "I hela programmet Ett förnybart och kompetent Finland "
                                     "2021–2027 finns 3,159 miljarder euro i offentlig "
                                     "finansiering: 1,935 miljarder euro från EU och 1,224 "
                                     "miljarder euro nationellt."),
    ("urban_areas", "en", "The programme covers 16 urban areas: 19 cities and one municipality "
                          "(Sotkamo)."),
])
def test_fact_sentences(dataset, fact_id, lang, sentence):
    assert next(f for f in dataset.programme if f.id == fact_id).sentence(lang) == sentence


def test_the_funding_total_cites_the_pages_it_names(dataset):
    """The text names the Finnish and English funding pages, which are its sources."""
    fact = next(f for f in dataset.programme if f.id == "funding_total")
    assert fact.sources == ("https://innokaupungit.fi/tietoa-meista/rahoitus/",
                            "https://innokaupungit.fi/en/aboutus/funding/")
    texts = " ".join(fact.text.values()).casefold()
    assert not any(word in texts for word in ("ruotsin", "svensk", "swedish"))


def plain(markup: str) -> str:
    """Return the text of some HTML."""
    return re.sub(r"<[^>]+>", "", markup)


def test_about_lists_facts_with_their_source_links_and_unconfirmed_networks(dataset):
    out = about_html(View.of(dataset, lang="en"))
    assert ('<a href="https://vnk.fi/fi/eu/pressmeddelanden/-/asset_publisher/1410877/'
            'innovaatiotoimintaa-vahvistavat-sopimukset-solmitaan-kaupunkien-kanssa" '
            'target="_blank" rel="noopener noreferrer">') in out
    text = plain(out)
    assert ("Battery chemistry expertise network · lead city: Kokkola · members: Kokkola, "
            "Vaasa, Pori, Turku, Lappeenranta, Jyväskylä, Kuopio · from 2023") in text
    assert "Sport Suomi ecosystem · lead city: Jyväskylä · members: Jyväskylä, Lahti, " \
           "Kuopio · 4/2023–12/2024" in text
    assert ("Photonics innovation ecosystem in cities · lead city not confirmed · members: "
            "Joensuu, Tampere, Oulu") in text
    for name in ("Digital health knowledge network", "SIXPoE"):
        assert re.search(re.escape(name) + r"[^·]*· member cities not confirmed", text), name


def test_an_unconfirmed_fact_is_marked_as_such(tmp_path, write_cities):
    cities = write_cities()
    write_facts(tmp_path, lambda d: fact(d, 5).__setitem__("status", "unconfirmed"))
    dataset = load_dataset(cities, THEMES)
    out = about_html(View.of(dataset, lang="fi"))
    assert ('<li><span class="innomap-unconfirmed">Vahvistamaton tieto:</span> Mukana on 16 '
            "kaupunkiseutua") in out


def test_hostile_fact_text_stays_text(tmp_path, write_cities):
    cities = write_cities()
    write_facts(tmp_path, lambda d: fact(d, 5)["text"].__setitem__(
        "en", "<img src=x onerror=alert(1)>"))
    out = about_html(View.of(load_dataset(cities, THEMES), lang="en"))
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
