"""Pinned texts: each correction from the language review (shared/reviews/language-review.md),
as users read it, so that none drifts back. Item ids (G1, I5, …) are the review's."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innomap.cli import main
from innomap.filters import Filters, labels
from innomap.i18n import catalogue, format_date, t
from innomap.mapview import city_payload

CATALOGUE = [
    # (review item, key, fi, sv, en)
    ("I1", "popup.partner_of", "vastuukaupunki: {lead}", "ansvarig stad: {lead}",
     "lead city: {lead}"),
    ("I2", "error.data", "Aineistoa {path} ei voi käyttää. Virheitä: {count}.",
     "Datamaterialet {path} kan inte användas. Antal fel: {count}.",
     "The data file {path} cannot be used. Problems: {count}."),
    ("I3", "app.title", "Innovoivat kaupungit ja yhteisöt", "Innovativa städer och samhällen",
     "Innovative Cities and Communities"),
    ("I6", "sidebar.match", "Ehto", "Villkor", "Match"),
    ("I6", "sidebar.match_any", "jokin valituista", "något av de valda", "any chosen"),
    ("I6", "sidebar.match_all", "kaikki valitut", "alla valda", "all chosen"),
    ("I7", "sidebar.search_hint", "Kunnan nimi tai sana painopisteistä",
     "Namn eller ord i tyngdpunkterna", "Name or a word in the priorities"),
    ("I8", "map.tiles", "Taustakartta (OpenStreetMap, vaatii verkkoyhteyden)",
     "Bakgrundskarta (OpenStreetMap, kräver nätanslutning)",
     "Background map (OpenStreetMap, needs a network connection)"),
    ("I9 I10", "chart.caption",
     "Kuinka monen rajatun kunnan painopisteissä kukin aihealue on mukana, suuralueittain.",
     "Hur många av de avgränsade kommunerna som har varje fokusområde i sina tyngdpunkter, "
     "per storområde.",
     "How many of the municipalities shown have each focus area in their priorities, "
     "by major region."),
    ("I10", "matrix.caption",
     "Rajatut kunnat ja niiden aihealueet taulukkona (✓ = mainittu painopisteissä).",
     "De avgränsade kommunerna och deras fokusområden som tabell (✓ = nämns i tyngdpunkterna).",
     "The municipalities shown and their focus areas as a table (✓ = named in the priorities)."),
    # I14, with the networks that the partner finder now also weighs.
    ("I14", "details.similar_none",
     "Muiden sopimusten kunnilla ei ole yhteisiä verkostoja eikä aihealueita tämän kunnan "
     "kanssa.",
     "Inga kommuner i andra avtal har nätverk eller fokusområden gemensamma med den här "
     "kommunen.",
     "No municipality in another agreement shares a network or a focus area with this one."),
    ("I15", "details.shared_count", "yhteisiä, kpl", "antal gemensamma", "number shared"),
    ("I16", "chart.count", "Kuntien määrä", "Antal kommuner", "Number of municipalities"),
    ("I16", "chart.focus", "Aihealue", "Fokusområde", "Focus area"),
    ("I17", "app.subtitle",
     "Ekosysteemisopimusten kaupungit, niiden paikalliset innovaatiotoiminnan strategiset "
     "painopisteet ja rahoittavat maakuntien liitot – {programme} (EAKR, kestävä "
     "kaupunkikehittäminen).",
     "Städerna med ekosystemavtal, deras lokala strategiska tyngdpunkter för "
     "innovationsverksamhet och de finansierande landskapsförbunden – {programme} (Eruf, "
     "hållbar stadsutveckling).",
     "The cities with ecosystem agreements, their local strategic priorities for innovation "
     "and the regional councils that fund them – {programme} (ERDF, sustainable urban "
     "development)."),
    ("I18", "lang.fi", "Suomi", "Suomi", "Suomi"),
    ("I18", "lang.sv", "Svenska", "Svenska", "Svenska"),
    ("I19", "sidebar.filters", "Rajaukset", "Avgränsningar", "Filters"),
    ("I20", "role.partner_town", "Yhteistyökunta", "Samarbetskommun", "Partner municipality"),
    ("I20", "sidebar.partners", "Näytä yhteistyökunnat", "Visa samarbetskommuner",
     "Show partner municipalities"),
    ("I21", "sidebar.region", "Suuralue", "Storområde", "Major region"),
    ("I21", "map.legend", "Suuralue", "Storområde", "Major region"),
    ("I22", "popup.priorities", "Painopisteet", "Tyngdpunkter", "Priorities"),
    ("I22", "details.priorities", "Painopisteet", "Tyngdpunkter", "Priorities"),
    ("I26", "popup.own_agreement", "oma ekosysteemisopimus", "eget ekosystemavtal",
     "its own ecosystem agreement"),
    ("I27", "main.empty",
     "Rajauksia vastaavia kuntia ei ole. Väljennä rajauksia tai tyhjennä ne sivupalkista.",
     "Ingen kommun uppfyller avgränsningarna. Lätta på dem eller rensa dem i sidofältet.",
     "No municipality matches these filters. Loosen them, or clear them in the sidebar."),
    # Photonics has no confirmed lead and draws no lines; ended networks are marked.
    ("6b", "sidebar.network_help",
     "Innokaupunkien vetovastuuverkostot, joiden jäsenkaupungit on julkaistu; päättyneet on "
     "merkitty. Jos verkoston vetäjäkaupunki on vahvistettu, kartta yhdistää sen viivalla "
     "jokaiseen jäseneen.",
     "Programmets temanätverk vars medlemsstäder har publicerats; avslutade nätverk är "
     "markerade. Där nätverkets ledande stad är bekräftad drar kartan en linje från den till "
     "varje medlem.",
     "The programme's lead-theme networks whose member cities have been published; ended ones "
     "are marked. Where a network's lead city is confirmed, the map draws a line from it to "
     "every member."),
    ("T1", "sidebar.focus", "Aihealueet", "Fokusområden", "Focus areas"),
    ("T1", "tab.matrix", "Kunnat × aihealueet", "Kommuner × fokusområden",
     "Municipalities × focus areas"),
    ("T1", "details.shared_areas", "yhteiset aihealueet", "gemensamma fokusområden",
     "shared focus areas"),
]


@pytest.mark.parametrize(("item", "key", "fi", "sv", "en"), CATALOGUE,
                         ids=[f"{c[0]} {c[1]}" for c in CATALOGUE])
def test_catalogue_text(item, key, fi, sv, en):
    assert [catalogue(lang)[key] for lang in ("fi", "sv", "en")] == [fi, sv, en]


@pytest.mark.parametrize(("lang", "snippet"), [
    ("fi", "kunkin sopimuksen hankkeita rahoittaa sille välittäväksi viranomaiseksi nimetty "
           "maakunnan liitto (pääkaupunkiseudun, Lahden ja Turun sopimuksissa Uudenmaan liitto)"),
    ("fi", "koordinoi Innovoivat kaupungit ja yhteisöt -kokonaisuuden sekä valtakunnallisen "
           "Innovaatio- ja osaamisverkostot -teeman toimeenpanoa"),
    ("sv", "projekten inom varje avtal finansieras av det landskapsförbund som är avtalets "
           "förmedlande myndighet (för huvudstadsregionen, Lahtis och Åbo Nylands förbund)"),
    ("en", "In Innovative Cities and Communities (InnoCities), the state"),
    ("en", "other RDI actors"),
    ("en", "8% of the programme's ERDF funds"),
    ("en", "each agreement's projects are funded by the regional council named as its "
           "intermediate body (the Helsinki-Uusimaa Regional Council for the capital region, "
           "Lahti and Turku)"),
    ("en", "The Council of Tampere Region (Pirkanmaan liitto) coordinates"),
    ("en", "monitors, steers and coordinates the implementation of Innovative Cities and "
           "Communities and of the national Innovation and Skills Networks theme"),
], ids=lambda v: v[:30])
def test_about_text_corrections(lang, snippet):
    """I3, I4, I11, I12, I13."""
    assert snippet in catalogue(lang)["about.body"]


def test_no_old_english_programme_name_remains():
    """G2, I3: one English name everywhere."""
    for lang in ("fi", "sv", "en"):
        assert not [k for k, v in catalogue(lang).items() if "Innovating" in v]


def test_about_data_names_the_compilation_licence_and_a_finnish_date():
    """I23: whose licence, and dates as each language writes them."""
    assert t("about.data", "fi", source="S", publisher="P", url="U",
             retrieved=format_date("2026-11-27", "fi"), licence="CC BY 4.0").startswith(
        "Aineisto: S (P), U, haettu 27.11.2026. Koosteen lisenssi: CC BY 4.0.")
    assert "hämtad 27.11.2026. Sammanställningens licens:" in t(
        "about.data", "sv", source="", publisher="", url="",
        retrieved=format_date("2026-11-27", "sv"), licence="")
    assert "citerade ordagrant" in catalogue("sv")["about.data"]
    assert "retrieved 27 November 2026. Licence of this compilation:" in t(
        "about.data", "en", source="", publisher="", url="",
        retrieved=format_date("2026-11-27", "en"), licence="")


def test_data_file_corrections(dataset):
    """G1–G6 in cities.geojson."""
    by_id = dataset.by_id
    assert by_id["tampere"].body_en == "Council of Tampere Region"
    assert dataset.metadata["title"]["en"] == "Innovative Cities and Communities – ecosystem cities"
    assert by_id["turku"].priorities_en == "Industrial renewal and the life sciences sector"
    assert by_id["turku"].priorities_sv == "Industri i förnyelse och life science-branschen"
    assert by_id["mikkeli"].priorities_sv == "Cirkulär ekonomi inom vattentjänster"
    assert by_id["mikkeli"].priorities_en == "Circular economy of urban water and wastewater"
    assert by_id["jyvaskyla"].priorities_sv == ("Motion, hälsofrämjande och välfärd samt "
                                                "industri i förnyelse")
    assert by_id["pori"].priorities_sv == ("Teknikmetaller och cirkulär ekonomi samt "
                                           "automatisering och robotteknik")
    assert by_id["rovaniemi"].priorities_en == ("Arctic tourism, and future wellbeing services "
                                                "and managing long distances")


@pytest.mark.parametrize(("focus", "lang", "label"), [
    ("health_wellbeing", "fi", "Terveys- ja hyvinvointiala"),          # T2
    ("health_wellbeing", "sv", "Hälso- och välfärdssektorn"),
    ("health_wellbeing", "en", "Health and wellbeing sector"),
    ("health_technology", "fi", "Terveysteknologia ja life science -ala"),  # T4
    ("health_technology", "en", "Health technology and life sciences"),
    ("smart_cities_built_environment", "fi", "Älykkäät kaupungit ja rakennettu ympäristö"),  # T5
    ("sport_physical_activity", "en", "Physical activity and sport"),  # T6
])
def test_focus_area_labels(dataset, focus, lang, label):
    assert dataset.taxonomy.focus_label(focus, lang) == label


def test_broad_theme_links_only_where_the_text_supports_them(dataset, broad_of):
    """T3: arctic tourism and water belong to no broad theme; T8: AI and data centres are
    digitalisation, so Kajaani and Sotkamo come up under it."""
    assert broad_of["arctic_tourism"] == set() and broad_of["water"] == set()
    low_carbon = Filters(theme=("low_carbon",)).apply(dataset.cities, broad_of)
    assert "rovaniemi" not in set(low_carbon["id"])
    digital = Filters(focus=("digitalisation",)).apply(dataset.cities, {})
    assert {"kajaani", "sotkamo"} <= set(digital["id"])


@pytest.mark.parametrize(("filters", "lang", "words"), [
    # I5: major regions and bodies always read "or", whatever the any/all switch says.
    (Filters(region=("south", "east"), match="all"), "fi", "Etelä-Suomi tai Itä-Suomi"),
    (Filters(region=("south", "east"), match="all"), "sv", "Södra Finland eller Östra Finland"),
    (Filters(region=("south", "east"), match="all"), "en", "Southern Finland or Eastern Finland"),
    (Filters(body=("uudenmaan-liitto", "lapin-liitto"), match="all"), "fi",
     "Uudenmaan liitto tai Lapin liitto"),
    (Filters(focus=("water", "food_systems"), match="all"), "fi", "Vesiala ja Ruokajärjestelmät"),
    # I24: Finnish and Swedish quotation marks.
    (Filters(q="vesi"), "fi", "”vesi”"),
    (Filters(q="vatten"), "sv", "”vatten”"),
    (Filters(q="water"), "en", "“water”"),
    (Filters(partners=False), "en", "without partner municipalities"),
])
def test_headline_words(dataset, filters, lang, words):
    assert filters.describe(labels(dataset, lang)) == words


@pytest.mark.parametrize(("lang", "count", "text"), [
    ("fi", 1, "Aineistoa x ei voi käyttää. Virheitä: 1."),
    ("fi", 7, "Aineistoa x ei voi käyttää. Virheitä: 7."),
    ("en", 1, "The data file x cannot be used. Problems: 1."),
])
def test_problem_counts_read_right_at_one_and_many(lang, count, text):
    """I2."""
    assert t("error.data", lang, path="x", count=count) == text


def test_cli_counts_one_problem_in_the_singular(write_cities):
    path = write_cities(lambda d: d["features"][0]["properties"].__setitem__("role", "x"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert f"{path}: 1 problem\n" in result.output


@pytest.mark.parametrize(("city", "lang", "line"), [
    ("sotkamo", "fi", "vastuukaupunki: Kajaani"),   # I1
    ("imatra", "sv", "ansvarig stad: Villmanstrand"),
    ("imatra", "en", "lead city: Lappeenranta"),
    ("turku", "fi", "oma ekosysteemisopimus"),        # I26
])
def test_popup_agreement_line(dataset, city, lang, line):
    data = city_payload(dataset.cities, dataset, lang)
    place = next(p for p in data["places"] if p[0] == city)
    assert data["catalogue"]["texts"][place[8]] == line


@pytest.mark.parametrize(("agreement", "lang", "name"), [
    ("helsinki-espoo-vantaa", "sv", "Helsingfors, Esbo, Vanda"),  # I28
    ("lappeenranta", "sv", "Villmanstrand (Imatra)"),
    ("jyvaskyla", "fi", "Jyväskylä"),
])
def test_agreements_are_named_not_slugged(dataset, agreement, lang, name):
    assert dataset.agreement_name(agreement, lang) == name


def test_cli_partners_speaks_the_chosen_language():
    """I25."""
    result = CliRunner().invoke(main, ["partners", "Turku", "--lang", "fi", "--limit", "1"])
    assert result.output.splitlines()[0] == "Turku – samankaltaisia kuntia: 1"


@pytest.mark.parametrize(("iso", "lang", "text"), [
    ("2021-02-09", "fi", "9.2.2021"), ("2021-02-09", "sv", "9.2.2021"),
    ("2021-02-09", "en", "9 February 2021"), ("not a date", "fi", "not a date"),
])
def test_format_date(iso, lang, text):
    assert format_date(iso, lang) == text
