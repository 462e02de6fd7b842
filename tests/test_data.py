"""The shipped data against the programme text it was built from."""

from __future__ import annotations

import hashlib
import json
import re
import runpy
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from innomap.shipped import DATA_DIR, REGIONS

SOURCE = DATA_DIR / "source" / "kestava-kaupunkikehittaminen.fi.txt"
# SHA-256 of the programme page's text as retrieved (metadata.source.retrieved): the copy is
# that text unedited, so the checks below read what the page said, in CI too.
SOURCE_SHA256 = "0b5b27e2dc5c721a5d241945b32f9592458d527566ac723dde29d2a2321c7cac"
SECTIONS = {"Etelä-Suomi": "south", "Länsi-Suomi": "west", "Itä-Suomi": "east",
            "Pohjois-Suomi": "north"}
# The source misspells this council's name; the data uses the official spelling.
SPELLING_FIXES = {"Keskisuomen liitto": "Keski-Suomen liitto"}


def parse_source(text: str) -> list[dict]:
    """Return the source's agreements: section, member names, partner, priorities, body."""
    lines = [line.strip() for line in text.splitlines()]
    agreements, section = [], None
    for index, line in enumerate(lines):
        if line in SECTIONS:
            section = SECTIONS[line]
        elif line.startswith("Välittävä viranomainen:") and section:
            members, priorities = lines[index - 2], lines[index - 1]
            partner = re.search(r"\(yhteistyökumppani: (.+)\)", members)
            names = re.sub(r"\s*\(.*\)", "", members).split(", ")
            body = line.split(":", 1)[1].strip()
            agreements.append({"section": section, "names": names,
                               "partner": partner.group(1) if partner else None,
                               "priorities": priorities, "body": SPELLING_FIXES.get(body, body)})
    return agreements


@pytest.fixture(scope="module")
def agreements() -> list[dict]:
    """Return the agreements parsed from the committed copy of the source text."""
    return parse_source(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_name(dataset) -> dict:
    """Index the shipped cities by Finnish name."""
    return {row.name_fi: row for row in dataset.cities.itertuples()}


def test_source_copy_is_the_retrieved_page_unedited(dataset):
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SOURCE_SHA256
    title = SOURCE.read_text(encoding="utf-8").splitlines()[0]
    assert title == dataset.metadata["source"]["title"]


def test_source_has_16_agreements_with_18_cities_and_2_partners(agreements):
    assert len(agreements) == 16
    assert sum(len(a["names"]) for a in agreements) == 18
    assert sorted(a["partner"] for a in agreements if a["partner"]) == ["Imatra", "Sotkamo"]


def test_every_municipality_in_the_source_is_in_the_data_and_nothing_else(agreements, by_name):
    named = {n for a in agreements for n in a["names"]}
    named |= {a["partner"] for a in agreements if a["partner"]}
    assert set(by_name) == named
    assert len(by_name) == 20


def test_each_city_carries_its_agreements_facts_verbatim(agreements, by_name):
    for agreement in agreements:
        members = agreement["names"] + ([agreement["partner"]] if agreement["partner"] else [])
        for name in members:
            row = by_name[name]
            assert row.priorities_fi == agreement["priorities"], name
            assert row.body_fi == agreement["body"], name
            assert row.macro_region == agreement["section"], name
        assert len({by_name[n].agreement for n in members}) == 1, members


def test_roles_and_lead_cities(agreements, by_name):
    for agreement in agreements:
        for name in agreement["names"]:
            assert (by_name[name].role, by_name[name].lead_city) == ("ecosystem_city", "")
        if agreement["partner"]:
            partner, lead = by_name[agreement["partner"]], by_name[agreement["names"][0]]
            assert (partner.role, partner.lead_city) == ("partner_town", lead.id)
            assert partner.themes == lead.themes
            assert partner.priorities_en == lead.priorities_en


def test_official_spelling_of_keski_suomen_liitto(by_name):
    assert by_name["Jyväskylä"].body_fi == "Keski-Suomen liitto"


@pytest.mark.parametrize(("fi", "sv"), [("Helsinki", "Helsingfors"), ("Turku", "Åbo"),
                                        ("Oulu", "Uleåborg"), ("Lappeenranta", "Villmanstrand"),
                                        ("Mikkeli", "S:t Michel"), ("Kuopio", "Kuopio")])
def test_swedish_names(by_name, fi, sv):
    assert by_name[fi].name_sv == sv


def test_focus_areas_follow_from_the_priority_words(dataset):
    """A city has a focus area exactly when one of the area's terms is in its Finnish text."""
    for row in dataset.cities.itertuples():
        derived = tuple(f.id for f in dataset.taxonomy.focus_areas if f.matches(row.priorities_fi))
        assert row.themes == derived, row.id


def test_every_focus_area_is_used(dataset):
    used = {f for themes in dataset.cities["themes"] for f in themes}
    assert used == set(dataset.taxonomy.focus_ids)
    assert 12 <= len(used) <= 20


def test_circular_economy_is_exactly_the_cities_naming_kiertotalous(dataset):
    naming = {r.id for r in dataset.cities.itertuples() if "kiertotalou" in r.priorities_fi.lower()}
    tagged = {r.id for r in dataset.cities.itertuples() if "circular_economy" in r.themes}
    assert tagged == naming
    assert len(naming) == 6


def regions_geojson() -> dict:
    """Return the regions base layer."""
    return json.loads(REGIONS.read_text(encoding="utf-8"))


def test_every_city_lies_inside_its_own_maakunta(dataset):
    regions = gpd.GeoDataFrame.from_features(regions_geojson()["features"], crs="EPSG:4326")
    joined = gpd.sjoin(dataset.cities[["id", "maakunta_code", "geometry"]],
                       regions[["code", "geometry"]], how="left", predicate="within")
    wrong = joined.loc[joined["code"] != joined["maakunta_code"], ["id", "maakunta_code", "code"]]
    assert wrong.empty, wrong.to_string()


def test_regions_layer_has_19_valid_regions_and_stays_small():
    data = regions_geojson()
    regions = gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")
    assert len(regions) == 19
    assert regions.is_valid.all()
    assert set(regions["macro_region"].dropna()) == {"south", "west", "east", "north"}
    assert (DATA_DIR / "regions.geojson").stat().st_size <= 200 * 1024


def test_every_city_names_its_source_pages_the_programme_page_first(dataset):
    for row in dataset.cities.itertuples():
        assert row.sources[0] == dataset.metadata["source"]["url"], row.id
    assert dataset.by_id["oulu"].sources == (
        "https://rakennerahastot.fi/kestava-kaupunkikehittaminen",
        "https://rakennerahastot.fi/en/northern-finland/oulu")


HELSINKI_FOURTH = {"text": {"fi": "Uudet avaukset ja ekosysteeminen kehittäminen",
                            "sv": "Nya initiativ och ekosystembaserad utveckling",
                            "en": "New initiatives and ecosystem development"},
                   "source": "https://rakennerahastot.fi/etela-suomi/kehittamisen-painopisteet/"
                             "kestava-kaupunkikehittaminen"}


def test_the_capital_regions_fourth_priority_is_cited_apart_from_the_verbatim_three(collection):
    """The programme text gives three priorities; the Southern Finland page names a fourth,
    kept in its own field with that page, so priorities.fi stays the source's line."""
    more = {f["properties"]["id"]: f["properties"].get("additional_priorities")
            for f in collection["features"]}
    assert {city for city, value in more.items() if value} == {"helsinki", "espoo", "vantaa"}
    assert more["helsinki"] == more["espoo"] == more["vantaa"] == HELSINKI_FOURTH


SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def test_the_readme_tables_are_generated_from_the_data():
    """data/README.md's focus-area and traceability tables are what the data says now."""
    result = subprocess.run([sys.executable, str(SCRIPTS / "data_tables.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("fresh", "stale"), [
    ("| Water sector | — | `vesi` | 2 |", "| Water sector | `low_carbon` | `vesi`, `vesien` | 2 |"),
    ("| Mikkeli | `water` | `vesi` | «Yhdyskuntavesien» |\n",
     "| Mikkeli | `water` | `vesi`, `vesien` | «Yhdyskuntavesien» |\n"),
    ("| Kajaani | `digitalisation` | `tekoäly`, `datakeskuk`, `suurteholaskenta` | «tekoäly», "
     "«datakeskukset», «suurteholaskenta» |\n", ""),
])
def test_a_stale_readme_table_is_rewritten(fresh, stale):
    """The generator restores what the data says (the drifts the review found)."""
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert fresh in readme
    regenerated = runpy.run_path(str(SCRIPTS / "data_tables.py"))["regenerated"]
    assert regenerated(readme.replace(fresh, stale, 1)) == readme


SV_WEST = "https://rakennerahastot.fi/sv/vastra-finland/hallbar-stadsutveckling"
# The programme's own Swedish lines (Strategiska tyngdpunkter) on its Västra Finland page.
PROGRAMME_SV = {
    "jyvaskyla": "Motion, hälsofrämjande och välfärd samt industri i förnyelse",
    "pori": "Teknikmetaller och cirkulär ekonomi samt automatisering och robotteknik",
    "seinajoki": "Hållbar förnyelse av livsmedelsekosystemet och smart förnyelse av industrin",
    "tampere": "Sustainable industry X (SIX), byggnader, energi och infrastruktur samt digitala "
               "hälsolösningar",
}


def test_the_programmes_swedish_lines_are_used_cited_and_credited(dataset):
    """Review R4: four Swedish lines are the programme's own; the README says which and
    credits the page, instead of calling every sv line innomap's translation."""
    for city, line in PROGRAMME_SV.items():
        assert dataset.by_id[city].priorities_sv == line, city
        assert SV_WEST in dataset.by_id[city].sources, city
    readme = " ".join((DATA_DIR / "README.md").read_text(encoding="utf-8").split())
    sources = readme[readme.index("## Sources"):readme.index("## Licences")]
    assert ("**Swedish priority lines of Jyväskylä, Pori, Seinäjoki and Tampere** "
            "(`priorities.sv`): the programme's own Swedish text") in sources
    assert SV_WEST in sources and "our own translations" not in readme
