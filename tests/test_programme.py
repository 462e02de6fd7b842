"""The programme's facts: the file's contract, the shipped facts, and the About tab's text."""

from __future__ import annotations

import copy
import html
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
    # A fact's period and the dated note of what has changed since (the 2026 reorganisation).
    (lambda d: ely(d).__setitem__("until", "31.12.2025"),
     'facts[13] (oulu_esf).until: expected the last day the fact describes, an ISO date like '
     '"2025-12-31", got "31.12.2025"'),
    (lambda d: ely(d).pop("until"),
     "facts[13] (oulu_esf).until: expected the last day the fact describes (a fact with a note "
     "gives its period), got nothing"),
    (lambda d: ely(d).__setitem__("note", "ELY ended"),
     'facts[13] (oulu_esf).note: expected an object {"date": ISO date, "text": {fi, sv, en}, '
     '"sources": [URLs]}, got "ELY ended"'),
    (lambda d: ely(d)["note"].__setitem__("date", "2026"),
     'facts[13] (oulu_esf).note.date: expected the day of the change, an ISO date like '
     '"2026-01-01", got "2026"'),
    (lambda d: ely(d)["note"].__setitem__("date", "2025-06-30"),
     'facts[13] (oulu_esf).note.date: expected a day after until (2025-12-31), got "2025-06-30"'),
    (lambda d: ely(d)["note"]["text"].pop("sv"),
     "facts[13] (oulu_esf).note.text.sv: expected a non-empty text (missing translation), "
     "got nothing"),
    (lambda d: ely(d)["note"].pop("sources"),
     "facts[13] (oulu_esf).note.sources: expected a value (field is required), got nothing"),
    (lambda d: ely(d)["note"].__setitem__("sources", []),
     "facts[13] (oulu_esf).note.sources: expected a non-empty list of source URLs, got []"),
    (lambda d: ely(d)["note"].__setitem__("successor", "Pohjois-Suomen elinvoimakeskus"),
     "facts[13] (oulu_esf).note.successor: expected only known fields (date, text, sources), "
     "got an unknown field"),
]


def ely(data):
    """Return the Oulu ESF+ fact of a parsed file: it names an ELY Centre, so it has a period."""
    found = fact(data, 13)
    assert found["id"] == "oulu_esf"
    return found


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
    assert len(dataset.programme) == 18
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
                            "Englanninkielisen sivun mukaan summa on noin 140 miljoonaa "
                            "euroa."),  # R2-14
    ("funding_total", "sv", "Enligt Innostädernas finskspråkiga sida om finansiering uppgår "
                            "finansieringen för perioden 2021–2027 till sammanlagt cirka 150 "
                            "miljoner euro. Den engelskspråkiga sidan anger cirka 140 miljoner "
                            "euro för samma period."),
    ("funding_total", "en", "According to the InnoCities funding page in Finnish, funding for "
                            "2021–2027 totals about EUR 150 million. The English page gives "
                            "about EUR 140 million for the same period."),
    # R2-16: the shares read as shares.
    ("structural_funds_total", "fi", "Koko Uudistuva ja osaava Suomi 2021–2027 -ohjelmassa on "
                                     "julkista rahoitusta 3,159 miljardia euroa, josta EU:n "
                                     "osuus on 1,935 miljardia euroa ja kansallinen osuus 1,224 "
                                     "miljardia euroa."),
    ("structural_funds_total", "sv", "I hela programmet Ett förnybart och kompetent Finland "
                                     "2021–2027 finns 3,159 miljarder euro i offentlig "
                                     "finansiering, varav 1,935 miljarder euro från EU och 1,224 "
                                     "miljarder euro i nationell finansiering."),
    ("structural_funds_total", "en", "The whole Innovation and Skills in Finland 2021–2027 "
                                     "programme has EUR 3.159 billion of public funding, of "
                                     "which EUR 1.935 billion is from the EU and EUR 1.224 "
                                     "billion from national sources."),
    ("urban_areas", "en", "The programme covers 16 city regions: 19 cities and one municipality "
                          "(Sotkamo)."),  # R2-27
    ("cities_named", "fi", "Hallitus nimesi 20.5.2020 kaupungit, joiden kanssa "
                           "ekosysteemisopimukset solmittaisiin."),  # R2-13
    ("funding_by_year", "sv", "Finansieringen uppgick till 21,6 miljoner euro för 2022, nästan "
                              "13 miljoner euro för 2023 och cirka 11,5 miljoner euro för "
                              "2024."),  # R2-15
    ("jyvaskyla_update", "fi", "Jyväskylän kaupunginhallitus käsitteli 3.2.2025 kaupungin "
                               "sopimuksen päivitystä vuosille 2025–2027. Ei ole tiedossa, onko "
                               "muutkin sopimukset päivitetty."),  # R2-24
    ("jyvaskyla_update", "en", "On 3 February 2025 Jyväskylä's city board considered an update "
                               "of the city's agreement for 2025–2027. Whether the other "
                               "agreements were updated likewise is not known."),
    ("inka", "sv", "INKA (Innovatiiviset kaupungit, innovativa städer) var ett separat nationellt "
                   "program 2014–2017 med fem teman: bioekonomi (Joensuu), hållbar energi (Vasa), "
                   "framtidens hälsa (Uleåborg), smart stad och industri i förnyelse (Tammerfors) "
                   "samt cybersäkerhet (Jyväskylä)."),  # R2-25
    ("inka", "en", "INKA (Innovatiiviset kaupungit, innovative cities) was a separate national "
                   "programme in 2014–2017 with five themes: bioeconomy (Joensuu), sustainable "
                   "energy (Vaasa), future health (Oulu), smart city and renewing industry "
                   "(Tampere), and cybersecurity (Jyväskylä)."),
    ("managing_authority", "en", "The managing authority is the Ministry of Economic Affairs and "
                                 "Employment. The ministry coordinates the programme nationally "
                                 "together with the Council of Tampere Region, whose four-person "
                                 "coordination team runs the network."),  # R2-26
    ("lead_theme_projects", "en", "Six lead-theme projects (networks) began in 2023, each with "
                                  "at least three InnoCities and each lasting about two years. "
                                  "A new round of calls has been announced for 2026."),  # R2-12
    # R2-2 and the 2026 reorganisation: the ELY facts in the past, with their period.
    ("oulu_esf", "fi", "Oulun sopimuksen ESR+-hankkeita rahoitti Pohjois-Pohjanmaan ELY-keskus, "
                       "ei maakunnan liitto."),
    ("oulu_esf", "en", "In Oulu, the agreement's ESF+ projects were funded by the North "
                       "Ostrobothnia ELY Centre, not by a regional council."),
    # R2-11: the theme, not "the networks".
    ("networks_theme_coordinator", "fi", "Valtakunnallista Innovaatio- ja osaamisverkostot "
                                         "-teemaa koordinoi Etelä-Savon ELY-keskus."),
    ("networks_theme_coordinator", "sv", "Det riksomfattande temat Innovations- och "
                                         "kompetensnätverk samordnades av NTM-centralen i Södra "
                                         "Savolax."),
    ("networks_theme_coordinator", "en", "The national Innovation and Skills Networks theme was "
                                         "coordinated by the South Savo ELY Centre."),
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


REORGANISATION_PAGES = (
    "https://tem.fi/-/elinvoimakeskusten-ylijohtajat-nimitetty",
    "https://tem.fi/Elinvoimakeskusten-toimeenpanohanke",
    "https://www.sttinfo.fi/tiedote/71721670/vuodenvaihde-toi-mukanaan-uuden-aluehallinnon-"
    "keski-suomen-elinvoimakeskus-on-aloittanut-toimintansa?lang=fi",
)
ELY_WORDS = ("ELY", "NTM-central", "aluehallintovirasto", "Regionförvaltningsverk",
             "Regional State Administrative Agency")


def test_every_fact_naming_a_body_that_ended_gives_its_period_and_the_dated_note(dataset):
    """The ELY Centres and the AVIs ended on 1.1.2026 (programme-facts.md, "Changes in state
    administration"): a fact that names one describes the time up to 31.12.2025, and carries the
    change as a note citing the pages that state it."""
    naming = [f for f in dataset.programme
              if any(word in text for text in f.text.values() for word in ELY_WORDS)]
    assert [f.id for f in naming] == ["oulu_esf", "networks_theme_coordinator"]
    for item in naming:
        assert item.until == "2025-12-31"
        assert item.note is not None and item.note.date == "2026-01-01"
        assert item.note.sources == REORGANISATION_PAGES


def test_no_successor_centre_is_named(dataset):
    """Which elinvoimakeskus took over each task is unconfirmed, so none is named."""
    regions = ("Uudenmaan", "Lounais-Suomen", "Kaakkois-Suomen", "Sisä-Suomen", "Keski-Suomen",
               "Itä-Suomen", "Etelä-Pohjanmaan", "Pohjanmaan", "Pohjois-Suomen", "Lapin")
    texts = [text for f in dataset.programme for text in f.text.values()]
    texts += [text for f in dataset.programme if f.note for text in f.note.text.values()]
    for text in texts:
        assert not any(f"{region} elinvoimakeskus" in text for region in regions), text


@pytest.mark.parametrize(("lang", "period", "note"), [
    ("fi", "Oulun sopimuksen ESR+-hankkeita rahoitti Pohjois-Pohjanmaan ELY-keskus, ei maakunnan "
           "liitto. Tilanne 31.12.2025 asti. (lähde: rakennerahastot.fi/en/northern-finland/oulu)",
     "Muutos 1.1.2026: ELY-keskukset lakkasivat. Kymmenen alueellista elinvoimakeskusta otti "
     "hoitaakseen useimmat ELY-keskusten tehtävät, myös EU:n alue- ja rakennepolitiikan ohjelman "
     "toimeenpanon. Mikä elinvoimakeskus jatkaa tätä tehtävää, ei ole vahvistettu. (lähteet: "
     "tem.fi/-/elinvoimakeskusten-ylijohtajat-nimitetty, tem.fi/Elinvoimakeskusten-"
     "toimeenpanohanke, sttinfo.fi/tiedote/71721670/"),
    ("sv", "ESF+-projekten inom Uleåborgs avtal finansierades av NTM-centralen i Norra "
           "Österbotten, inte av ett landskapsförbund. Läget till och med 31.12.2025. (källa: "
           "rakennerahastot.fi/en/northern-finland/oulu)",
     "Ändring 1.1.2026: NTM-centralerna upphörde. Tio regionala centraler (på finska "
     "elinvoimakeskukset) tog över de flesta av NTM-centralernas uppgifter, också genomförandet "
     "av programmet för EU:s region- och strukturpolitik. Vilken central som har tagit över den "
     "här uppgiften är inte bekräftat. (källor: tem.fi/-/elinvoimakeskusten-ylijohtajat-"
     "nimitetty, "),
    ("en", "In Oulu, the agreement's ESF+ projects were funded by the North Ostrobothnia ELY "
           "Centre, not by a regional council. Situation until 31 December 2025. (source: "
           "rakennerahastot.fi/en/northern-finland/oulu)",
     "Change on 1 January 2026: The ELY Centres ended. Ten regional Vitality Centres "
     "(elinvoimakeskukset) took over most of the ELY Centres' tasks, including the "
     "implementation of the EU regional and structural policy programme. Which centre took over "
     "this task is not confirmed. (sources: tem.fi/-/elinvoimakeskusten-ylijohtajat-nimitetty, "),
])
def test_about_shows_the_period_and_the_dated_note_with_its_pages(dataset, lang, period, note):
    out = about_html(View.of(dataset, lang=lang))
    text = html.unescape(plain(out))
    assert period in text and note in text
    assert text.count(note[:25]) == 2  # Oulu's ESF+ funder and the theme's coordinator
    for url in REORGANISATION_PAGES:
        assert f'<a href="{html.escape(url, quote=True)}" target="_blank"' in out


def test_a_fact_without_a_period_shows_none(dataset):
    out = plain(about_html(View.of(dataset, lang="en")))
    assert out.count("Situation until") == 2 and out.count("Change on") == 2
