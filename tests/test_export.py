"""CSV export: exact bytes for small cases, and no cell that a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest

from innomap.cities import load_dataset
from innomap.export import csv_filename, neutralise, to_csv
from innomap.filters import Filters
from innomap.shipped import THEMES

EXPECTED_SV = (
    "\ufeff"
    "id,kommun,roll,avtal,ansvarig stad,storområde,landskap,förmedlande myndighet,fokusområden,"
    "nätverk,tyngdpunkter,latitud,longitud\r\n"
    "kajaani,Kajana,Ekosystemstad,Kajana (Sotkamo),,Norra Finland,Kajanaland,Kajanalands förbund,"
    '"Digitalisering; Artificiell intelligens, datacenter och högprestandaberäkning; '
    'Fotonik och mätteknik",,'
    '"Mätteknik samt högprestandaberäkning, artificiell intelligens och datacenter",64.225,27.73\r\n'
    "sotkamo,Sotkamo,Samarbetskommun,Kajana (Sotkamo),Kajana,Norra Finland,Kajanaland,"
    "Kajanalands förbund,"
    '"Digitalisering; Artificiell intelligens, datacenter och högprestandaberäkning; '
    'Fotonik och mätteknik",,'
    '"Mätteknik samt högprestandaberäkning, artificiell intelligens och datacenter",64.131,28.39\r\n'
)

EXPECTED_FI = (
    "\ufeff"
    "tunniste,kunta,rooli,sopimus,vastuukaupunki,suuralue,maakunta,välittävä viranomainen,"
    "aihealueet,verkostot,painopisteet,leveysaste,pituusaste\r\n"
    "kuopio,Kuopio,Ekosysteemikaupunki,Kuopio,,Itä-Suomi,Pohjois-Savo,Pohjois-Savon liitto,"
    "Vesiala; Terveys- ja hyvinvointiala; Terveysteknologia ja life science -ala,"
    "Akkukemian osaamisverkosto (jäsen); Sport Suomi -ekosysteemi (jäsen),"
    "Terveys ja hyvinvointiteknologia sekä vesiosaaminen,62.8925,27.6783\r\n"
    "mikkeli,Mikkeli,Ekosysteemikaupunki,Mikkeli,,Itä-Suomi,Etelä-Savo,Etelä-Savon liitto,"
    "Kiertotalous; Vesiala,,Yhdyskuntavesien kiertotalous,61.6886,27.2723\r\n"
)


def test_swedish_export_with_a_partner_town_byte_for_byte(dataset, broad_of):
    rows = Filters(focus=("ai_data_computing",)).apply(dataset.cities, broad_of)
    assert to_csv(rows, dataset, "sv") == EXPECTED_SV.encode("utf-8")


def test_finnish_export_byte_for_byte(dataset, broad_of):
    rows = Filters(focus=("water",)).apply(dataset.cities, broad_of)
    assert to_csv(rows, dataset, "fi") == EXPECTED_FI.encode("utf-8")


def test_no_match_gives_a_header_only_file(dataset, broad_of):
    rows = Filters(q="no such thing").apply(dataset.cities, broad_of)
    assert to_csv(rows, dataset, "fi") == EXPECTED_FI.split("\r\n")[0].encode("utf-8") + b"\r\n"


def test_whole_list_has_one_row_per_municipality(dataset):
    parsed = list(csv.reader(io.StringIO(to_csv(dataset.cities, dataset, "en").decode("utf-8-sig"))))
    assert [row[0] for row in parsed[1:]] == list(dataset.cities["id"])
    assert all(len(row) == 13 for row in parsed)


@pytest.mark.parametrize(("cell", "safe"), [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+358 29 506", "'+358 29 506"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("Tampere = SIX", "Tampere = SIX"),
    ("", ""),
    (61.5, 61.5),
    (-3, -3),
])
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_hostile_text_is_neutralised_in_every_column_and_numbers_stay_numbers(write_cities):
    def poison(data):
        props = data["features"][0]["properties"]
        props["name"]["en"] = "=cmd|' /C calc'!A0"
        props["priorities"]["en"] = "+1+1"
        props["intermediate_body"]["en"] = "@SUM(1,2)"
        props["maakunta"]["name"]["en"] = "-2+3"

    hostile = load_dataset(write_cities(poison), THEMES)
    text = to_csv(hostile.cities.iloc[:1], hostile, "en").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["municipality"] == "'=cmd|' /C calc'!A0"
    assert row["priorities"] == "'+1+1"
    assert row["intermediate body"] == "'@SUM(1,2)"
    assert row["region"] == "'-2+3"
    assert float(row["latitude"]) == hostile.cities.iloc[0]["lat"]


def test_file_name_reflects_filters_and_language():
    assert csv_filename(Filters(focus=("water",)).slug(), "sv") == "innomap_sv_water.csv"
    assert csv_filename(Filters().slug(), "fi") == "innomap_fi_all.csv"
