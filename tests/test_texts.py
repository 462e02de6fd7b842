"""Pinned texts: each correction from the language reviews, as users read it, so that none
drifts back. Item ids (G1, I5, …) are the first review's (shared/reviews/language-review.md);
R2-1 … R2-30 are the findings of the second (shared/reviews/language-review-2.md)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from innomap.cli import main
from innomap.filters import Filters, labels
from innomap.i18n import catalogue, format_date, t
from innomap.mapview import city_payload
from innomap.view import View
from tests.support.payload import named

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
    ("I7", "sidebar.q_hint", "Kunnan nimi tai sana painopisteistä",
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
    # I15, and R2-9: the column stands beside the shared networks, so it names what it counts.
    ("I15 R2-9", "details.shared_count", "yhteisiä aihealueita, kpl",
     "antal gemensamma fokusområden", "shared focus areas (number)"),
    ("I16", "chart.count", "Kuntien määrä", "Antal kommuner", "Number of municipalities"),
    ("I16", "chart.focus", "Aihealue", "Fokusområde", "Focus area"),
    ("I17 R2-28", "app.subtitle",
     "Ekosysteemisopimusten kaupungit, niiden paikalliset innovaatiotoiminnan strategiset "
     "painopisteet ja rahoittavat maakuntien liitot – {programme} (EAKR, kestävä "
     "kaupunkikehittäminen).",
     "Städerna med ekosystemavtal, deras lokala strategiska tyngdpunkter för "
     "innovationsverksamhet och de finansierande landskapsförbunden – {programme} (Eruf, "
     "hållbar stadsutveckling).",
     "The cities with ecosystem agreements, their local strategic priorities for innovation "
     "and the regional councils that fund their projects – {programme} (ERDF, sustainable "
     "urban development)."),  # R2-28: the councils fund projects, not cities
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
    # Photonics has no confirmed lead and draws no lines; ended networks are marked; R2-3:
    # members are confirmed (not "published"); R2-12: the programme's term, vetovastuuhanke.
    ("6b R2-3 R2-12", "sidebar.network_help",
     "Innokaupunkien vetovastuuhankkeiden verkostot, joiden jäsenkaupungit on vahvistettu; "
     "päättyneet on merkitty. Jos verkoston vetäjäkaupunki on vahvistettu, kartta yhdistää sen "
     "viivalla jokaiseen jäseneen.",
     "Programmets temanätverk (projekt med ledningsansvar) vars medlemsstäder är bekräftade; "
     "avslutade nätverk är markerade. Där nätverkets ledande stad är bekräftad drar kartan en "
     "linje från den till varje medlem.",
     "The programme's lead-theme networks whose member cities are confirmed; ended ones are "
     "marked. Where a network's lead city is confirmed, the map draws a line from it to every "
     "member."),
    ("T1", "sidebar.focus", "Aihealueet", "Fokusområden", "Focus areas"),
    ("T1", "tab.matrix", "Kunnat × aihealueet", "Kommuner × fokusområden",
     "Municipalities × focus areas"),
    ("T1", "details.shared_areas", "yhteiset aihealueet", "gemensamma fokusområden",
     "shared focus areas"),
    # The second review (R2-…).
    ("R2-3", "about.network_unconfirmed", "jäsenkaupunkeja ei ole vahvistettu",
     "medlemsstäderna är inte bekräftade", "member cities not confirmed"),
    ("R2-4", "map.heading", "Kartta: ekosysteemikaupungit ja yhteistyökunnat",
     "Karta: ekosystemstäderna och samarbetskommunerna", "Map: the InnoCities municipalities"),
    ("R2-8", "details.similar",
     "Muiden sopimusten kunnat, joilla on yhteisiä verkostoja tai aihealueita",
     "Kommuner i andra avtal med gemensamma nätverk eller fokusområden",
     "Municipalities in other agreements that share networks or focus areas"),
    ("R2-12", "about.topic.networks", "Vetovastuuhankkeet",
     "Temanätverk (projekt med ledningsansvar)", "Lead-theme networks"),
    ("R2-12", "network.lead", "vetäjä", "ledande stad", "lead"),
    ("R2-21", "details.sources", "Lähteet", "Källor", "Sources"),
    ("R2-21", "about.source", "lähde", "källa", "source"),
    ("R2-21", "about.sources", "lähteet", "källor", "sources"),
    ("R2-23", "download.csv", "CSV datatyökaluille", "CSV för dataverktyg",
     "CSV for data tools"),
]


@pytest.mark.parametrize(("item", "key", "fi", "sv", "en"), CATALOGUE,
                         ids=[f"{c[0]} {c[1]}" for c in CATALOGUE])
def test_catalogue_text(item, key, fi, sv, en):
    assert [catalogue(lang)[key] for lang in ("fi", "sv", "en")] == [fi, sv, en]


@pytest.mark.parametrize(("lang", "snippet"), [
    # I11, R2-2 (Oulu's ESF+ projects, with the ELY Centre's period), R2-10 (sv reads as a
    # sentence), R2-29 (who funds what; what the steering group steers).
    ("fi", "EU, valtio ja kaupungit rahoittavat sopimusten toteuttamista yhdessä."),
    ("fi", "kunkin sopimuksen hankkeita rahoittaa sille välittäväksi viranomaiseksi nimetty "
           "maakunnan liitto (pääkaupunkiseudun, Lahden ja Turun sopimuksissa Uudenmaan liitto; "
           "Oulun sopimuksen ESR+-hankkeita rahoitti kuitenkin 31.12.2025 asti "
           "Pohjois-Pohjanmaan ELY-keskus – ELY-keskukset lakkasivat 1.1.2026, ks. Hallinto)."),
    ("fi", "koordinoi Innovoivat kaupungit ja yhteisöt -kokonaisuuden sekä valtakunnallisen "
           "Innovaatio- ja osaamisverkostot -teeman toimeenpanoa."),
    ("sv", "EU, staten och städerna finansierar genomförandet av avtalen tillsammans."),
    ("sv", "projekten inom varje avtal finansieras av det landskapsförbund som är avtalets "
           "förmedlande myndighet (för huvudstadsregionens, Lahtis och Åbos avtal är det Nylands "
           "förbund; ESF+-projekten inom Uleåborgs avtal finansierades dock till och med "
           "31.12.2025 av NTM-centralen i Norra Österbotten – NTM-centralerna upphörde 1.1.2026, "
           "se Förvaltning)."),
    ("sv", "En nationell styrgrupp följer, styr och samordnar genomförandet av helheten "
           "Innovativa städer och samhällen och av det riksomfattande temat Innovations- och "
           "kompetensnätverk."),
    ("en", "In Innovative Cities and Communities (InnoCities), the state"),
    ("en", "other RDI actors"),
    ("en", "8% of the programme's ERDF funds"),
    ("en", "The EU, the state and the cities jointly fund the implementation of the "
           "agreements."),
    ("en", "each agreement's projects are funded by the regional council named as its "
           "intermediate body (the Helsinki-Uusimaa Regional Council for the capital region, "
           "Lahti and Turku; in Oulu, however, ESF+ projects were funded until 31 December 2025 "
           "by the North Ostrobothnia ELY Centre – the ELY Centres ended on 1 January 2026, see "
           "Governance)."),
    ("en", "The Council of Tampere Region (Pirkanmaan liitto) coordinates"),
    ("en", "monitors, steers and coordinates the implementation of Innovative Cities and "
           "Communities and of the national Innovation and Skills Networks theme."),
], ids=lambda v: v[:30])
def test_about_text_corrections(lang, snippet):
    """I3, I4, I11, I12, I13; R2-2, R2-10, R2-29."""
    assert snippet in catalogue(lang)["about.body"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_about_body_points_to_the_governance_facts_by_their_heading(lang):
    """R2-2: the funding bullet sends the reader to the heading under which the ELY Centre's
    fact carries its period, the reorganisation note and their pages."""
    assert f"{catalogue(lang)['about.topic.governance']})" in catalogue(lang)["about.body"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_about_body_names_no_ely_centre_without_its_period(lang):
    """R2-11 and the 2026 reorganisation: the theme's coordinator is a dated programme fact now
    (networks_theme_coordinator), not an undated sentence of the body; the one ELY Centre the
    body names (Oulu's) carries its end date."""
    body = catalogue(lang)["about.body"]
    assert "Savo" not in body
    ely = {"fi": r"[\w-]+ ELY-keskus\b", "sv": r"NTM-centralen i", "en": r"\w+ ELY Centre\b"}[lang]
    assert re.findall(ely, body) == [{"fi": "Pohjois-Pohjanmaan ELY-keskus",
                                      "sv": "NTM-centralen i",
                                      "en": "Ostrobothnia ELY Centre"}[lang]]
    assert {"fi": "31.12.2025 asti", "sv": "till och med 31.12.2025",
            "en": "until 31 December 2025"}[lang] in body


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
    data = city_payload(View(dataset, lang, dataset.cities))
    place = next(p for p in named(data) if p["id"] == city)
    assert data["catalogue"]["texts"][place["agreement"]] == line


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


@pytest.mark.parametrize(("lang", "origin"), [
    ("fi", "Suomenkieliset painopisteet ovat lähteestä sanatarkasti. Jyväskylän, Porin, Seinäjoen "
           "ja Tampereen ruotsinkieliset painopisteet ovat sanatarkasti ohjelman "
           "ruotsinkieliseltä Länsi-Suomen sivulta. Muut ruotsinkieliset ja kaikki "
           "englanninkieliset painopisteet ovat innomapin käännöksiä, joissa on käytetty apuna "
           "ohjelman omia sivuja."),
    ("sv", "De finska tyngdpunkterna är citerade ordagrant ur källan. Jyväskyläs, Björneborgs, "
           "Seinäjokis och Tammerfors svenska tyngdpunkter är citerade ordagrant ur programmets "
           "svenska sida för Västra Finland. Övriga svenska och alla engelska tyngdpunkter är "
           "innomaps översättningar, gjorda med programmets egna sidor som stöd."),
    ("en", "The Finnish priorities are quoted verbatim from the source. The Swedish priorities "
           "of Jyväskylä, Pori, Seinäjoki and Tampere are quoted verbatim from the programme's "
           "Swedish page for Western Finland. The other Swedish and all English priorities are "
           "innomap's translations, made with the programme's own pages at hand."),
])
def test_about_data_credits_the_programmes_own_swedish_lines(lang, origin):
    """R2-1: four Swedish lines are the ministry's text (data/README.md, Sources), not ours."""
    assert origin in catalogue(lang)["about.data"]


@pytest.mark.parametrize(("lang", "text"), [
    ("fi", "(Innovoivat kaupungit ja yhteisöt -toiminnan kaupungit ja kunnat kartalla)"),
    ("sv", "(städerna och kommunerna i Innovativa städer och samhällen på kartan)"),
    ("en", "(the InnoCities programme's cities and municipalities on a map)"),
])
def test_statement_intro_names_the_programme_in_the_language(lang, text):
    """R2-4."""
    assert text in catalogue(lang)["statement.intro"]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_short_name_in_finnish_or_swedish_texts(lang):
    """R2-4: InnoCities is the English short form; the map frame's accessible name
    (map.heading) is read out by screen readers."""
    assert not [k for k, v in catalogue(lang).items() if "InnoCities" in v]


@pytest.mark.parametrize(("lang", "key", "snippet"), [
    # R2-17: the municipality goes into the page's address (URL), not to a street address.
    ("fi", "statement.method_manual",
     "avaa sen ponnahdusikkunan ja tiedot ja lisää kunnan sivun osoitteeseen (URL);"),
    ("sv", "statement.method_manual",
     "öppnar dess popupruta och uppgifter och lägger till kommunen i sidans adress (URL);"),
    ("sv", "statement.method_manual", "via språkvalet, avgränsningarna, flikarna"),
    ("en", "statement.method_manual",
     "opens its popup and details and adds the municipality to the page address (URL);"),
    # R2-18: no painter's canvas.
    ("fi", "statement.issue_canvas",
     "kartan merkit piirretään yhdeksi kuvaksi (canvas-elementtiin), eikä niihin pääse "
     "näppäimistöllä."),
    ("sv", "statement.issue_canvas",
     "ritas kartans markörer som en enda bild (canvas-element) och kan inte nås med "
     "tangentbordet."),
    # R2-22: Finnish and Swedish quotation marks; issue 21 §4: the one English text left.
    ("fi", "statement.issue_controls", "kartan kehyksen tekninen nimi ”streamlit_folium.st_folium”"),
    ("sv", "statement.issue_controls", "kartramens tekniska namn ”streamlit_folium.st_folium”"),
    ("en", "statement.issue_controls",
     "the map frame's technical name \"streamlit_folium.st_folium\""),
    # R2-20 and the 2026 reorganisation: the proposal is a proposal, and the AVIs are gone.
    ("fi", "statement.authority",
     "Hallituksen esitys HE 71/2024 esitti valvonnan siirtämistä Etelä-Suomen "
     "aluehallintovirastolta Liikenne- ja viestintävirasto Traficomille 1.1.2025 alkaen. "
     "Aluehallintovirastot lakkasivat 1.1.2026."),
    ("sv", "statement.authority",
     "Regeringens proposition RP 71/2024 föreslog att tillsynen skulle flyttas från "
     "Regionförvaltningsverket i Södra Finland till Transport- och kommunikationsverket Traficom "
     "från och med den 1 januari 2025. Regionförvaltningsverken upphörde den 1 januari 2026."),
    ("en", "statement.authority",
     "Government proposal HE 71/2024 proposed moving the supervision from the Regional State "
     "Administrative Agency for Southern Finland to the Finnish Transport and Communications "
     "Agency Traficom as of 1 January 2025. The regional state administrative agencies ended on "
     "1 January 2026."),
])
def test_statement_corrections(lang, key, snippet):
    assert snippet in catalogue(lang)[key]


def test_no_straight_quotes_in_finnish_or_swedish_statement():
    """R2-22: ”…” as describe.quote has it."""
    for lang in ("fi", "sv"):
        assert not [k for k, v in catalogue(lang).items()
                    if k.startswith("statement.") and '"' in v]


@pytest.mark.parametrize(("lang", "publisher", "attribution"), [
    ("fi", "työ- ja elinkeinoministeriö, rakennerahastot.fi",
     "innomap; painopisteet ja välittävät viranomaiset: ”Kestävä kaupunkikehittäminen”, työ- ja "
     "elinkeinoministeriö / rakennerahastot.fi; Jyväskylän, Porin, Seinäjoen ja Tampereen "
     "ruotsinkieliset painopisteet: ”Hållbar stadsutveckling i Västra Finland”, "
     "rakennerahastot.fi; pääkaupunkiseudun neljäs painopiste: Etelä-Suomen sivu ”Kestävä "
     "kaupunkikehittäminen”, rakennerahastot.fi; kuntien ja maakuntien koodit ja nimet: "
     "Tilastokeskuksen luokitukset (CC BY 4.0)"),
    ("sv", "arbets- och näringsministeriet, rakennerahastot.fi",
     "innomap; tyngdpunkter och förmedlande myndigheter: ”Kestävä kaupunkikehittäminen”, "
     "arbets- och näringsministeriet / rakennerahastot.fi; Jyväskyläs, Björneborgs, Seinäjokis "
     "och Tammerfors svenska tyngdpunkter: ”Hållbar stadsutveckling i Västra Finland”, "
     "rakennerahastot.fi; huvudstadsregionens fjärde tyngdpunkt: sidan ”Kestävä "
     "kaupunkikehittäminen” för Södra Finland, rakennerahastot.fi; kommun- och landskapskoder "
     "och namn: Statistikcentralens klassifikationer (CC BY 4.0)"),
    ("en", "Ministry of Economic Affairs and Employment, rakennerahastot.fi",
     "innomap; priorities and intermediate bodies from “Kestävä kaupunkikehittäminen”, Ministry "
     "of Economic Affairs and Employment / rakennerahastot.fi; the Swedish priorities of "
     "Jyväskylä, Pori, Seinäjoki and Tampere from “Hållbar stadsutveckling i Västra Finland”, "
     "rakennerahastot.fi; the capital region's fourth priority from the Southern Finland page "
     "“Kestävä kaupunkikehittäminen”, rakennerahastot.fi; municipality and region codes and "
     "names: Statistics Finland classifications (CC BY 4.0)"),
])
def test_publisher_and_attribution_in_each_language(dataset, lang, publisher, attribution):
    """R2-5: a Swedish or English reader gets the ministry's name in the language, and the
    credit line of each export is in its language and credits all three quoted pages."""
    meta = dataset.metadata
    assert meta["source"]["publisher"][lang] == publisher
    assert meta["attribution"][lang] == attribution


def _flat(path: str) -> str:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    return " ".join((root / path).read_text(encoding="utf-8").split())


@pytest.mark.parametrize(("path", "present", "absent"), [
    # R2-6: the README's own section says a comma CSV opens in one column in Nordic Excel.
    ("README.md", "download the list as an Excel file, as GeoJSON for GIS, or as CSV for data "
                  "tools.", "opens cleanly in Excel"),
    # R2-1: the four Swedish lines are the programme's own.
    ("README.md", "The Swedish priorities of Jyväskylä, Pori, Seinäjoki and Tampere are quoted "
                  "verbatim from the programme's Swedish page for Western Finland; the other "
                  "Swedish and all English priorities are our translations",
     "Swedish and English are our translations"),
    # R2-3: confirmed, not published.
    ("README.md", "lead-theme networks (those whose members are confirmed)",
     "members are published"),
    ("data/README.md", 'marked "member cities not confirmed"', "members not published"),
    # R2-19: the partner finder as it works.
    ("README.md", "a list of municipalities in other agreements that share networks or focus "
                  "areas with it, shared networks first, then shared focus areas",
     "similar priorities, ranked by shared focus areas"),
    # R2-30: the focus areas are innomap's; the licence covers every file of the compilation.
    ("data/README.md", "the programme's 3 broad themes and innomap's 18 focus areas", None),
    ("data/README.md", "This compilation (`cities.geojson`, `themes.json`, `networks.json`, "
                       "`programme.json`, this README): **CC BY 4.0**", None),
])
def test_readme_corrections(path, present, absent):
    text = _flat(path)
    assert present in text
    assert absent is None or absent not in text


def test_data_readme_lists_what_review_2_declined():
    """Every awkward item and nit is applied or declined with a reason in data/README.md."""
    text = _flat("data/README.md")
    assert "Review 2: declined or changed, with the reason:" in text
    for item in ("R2-2", "R2-7", "R2-11", "R2-12", "R2-20", "R2-21"):
        assert f"**{item}" in text, item
