"""Exports: exact CSV and GeoJSON bytes for small cases, no cell that a spreadsheet would run,
GDAL reading the GeoJSON back, and one table behind every format."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pyogrio
import pytest

import innomap.export
from innomap.cities import load_dataset
from innomap.export import (
    CODES,
    FORMATS,
    csv_filename,
    export_bytes,
    export_filename,
    export_table,
    neutralise,
    to_csv,
    to_geojson,
)
from innomap.filters import Filters
from innomap.schema import LANGS
from innomap.shipped import THEMES
from innomap.view import View
from innomap.xlsx import Link

EXPECTED_SV = (
    "\ufeff"
    "id,kommun,roll,avtal,ansvarig stad,storområde,landskap,förmedlande myndighet,fokusområden,"
    "nätverk,tyngdpunkter,övriga tyngdpunkter,latitud,longitud\r\n"
    "kajaani,Kajana,Ekosystemstad,Kajana (Sotkamo),,Norra Finland,Kajanaland,Kajanalands förbund,"
    '"Digitalisering; Artificiell intelligens, datacenter och högprestandaberäkning; '
    'Fotonik och mätteknik",,'
    '"Mätteknik samt högprestandaberäkning, artificiell intelligens och datacenter",,64.225,27.73\r\n'
    "sotkamo,Sotkamo,Samarbetskommun,Kajana (Sotkamo),Kajana,Norra Finland,Kajanaland,"
    "Kajanalands förbund,"
    '"Digitalisering; Artificiell intelligens, datacenter och högprestandaberäkning; '
    'Fotonik och mätteknik",,'
    '"Mätteknik samt högprestandaberäkning, artificiell intelligens och datacenter",,64.131,28.39\r\n'
)

EXPECTED_FI = (
    "\ufeff"
    "tunniste,kunta,rooli,sopimus,vastuukaupunki,suuralue,maakunta,välittävä viranomainen,"
    "aihealueet,verkostot,painopisteet,muut painopisteet,leveysaste,pituusaste\r\n"
    "kuopio,Kuopio,Ekosysteemikaupunki,Kuopio,,Itä-Suomi,Pohjois-Savo,Pohjois-Savon liitto,"
    "Vesiala; Terveys- ja hyvinvointiala; Terveysteknologia ja life science -ala,"
    '"Akkukemian osaamisverkosto (jäsen); Sport Suomi -ekosysteemi (innomapin suomennos; jäsen, päättynyt 12/2024)",'
    "Terveys ja hyvinvointiteknologia sekä vesiosaaminen,,62.8925,27.6783\r\n"
    "mikkeli,Mikkeli,Ekosysteemikaupunki,Mikkeli,,Itä-Suomi,Etelä-Savo,Etelä-Savon liitto,"
    "Kiertotalous; Vesiala,,Yhdyskuntavesien kiertotalous,,61.6886,27.2723\r\n"
)

# The capital region's fourth priority comes from another page than the programme text: its own
# column, with that page; search finds it too.
EXPECTED_EN_CAPITAL = (
    "\ufeff"
    "id,municipality,role,agreement,lead city,major region,region,intermediate body,"
    "focus areas,networks,priorities,other priorities,latitude,longitude\r\n"
    + "".join(
        f'{city},{name},Ecosystem city,"Helsinki, Espoo, Vantaa",,Southern Finland,Uusimaa,'
        "Helsinki-Uusimaa Regional Council,Smart cities and the built environment; "
        "Digitalisation; Learning and skills; Health and wellbeing sector; Health technology "
        'and life sciences,,"Smart and sustainable urban solutions, wellbeing and health '
        "technology, and new learning environments and digital solutions for skills "
        'development",New initiatives and ecosystem development '
        "(https://rakennerahastot.fi/etela-suomi/kehittamisen-painopisteet/"
        f"kestava-kaupunkikehittaminen),{lat},{lon}\r\n"
        for city, name, lat, lon in (("helsinki", "Helsinki", "60.1679", "24.9525"),
                                     ("espoo", "Espoo", "60.2053", "24.656"),
                                     ("vantaa", "Vantaa", "60.293", "25.038")))
)


def test_english_export_of_the_capital_region_with_its_fourth_priority(dataset, broad_of):
    rows = Filters(q="ekosysteeminen").apply(dataset.cities, broad_of)
    assert to_csv(View(dataset, "en", rows)) == EXPECTED_EN_CAPITAL.encode("utf-8")


def test_swedish_export_with_a_partner_town_byte_for_byte(dataset, broad_of):
    rows = Filters(focus=("ai_data_computing",)).apply(dataset.cities, broad_of)
    assert to_csv(View(dataset, "sv", rows)) == EXPECTED_SV.encode("utf-8")


def test_finnish_export_byte_for_byte(dataset, broad_of):
    rows = Filters(focus=("water",)).apply(dataset.cities, broad_of)
    assert to_csv(View(dataset, "fi", rows)) == EXPECTED_FI.encode("utf-8")


def test_no_match_gives_a_header_only_file(dataset, broad_of):
    rows = Filters(q="no such thing").apply(dataset.cities, broad_of)
    assert to_csv(View(dataset, "fi", rows)) == EXPECTED_FI.split("\r\n")[0].encode("utf-8") + b"\r\n"


def test_whole_list_has_one_row_per_municipality(dataset):
    parsed = list(csv.reader(io.StringIO(to_csv(View(dataset, "en", dataset.cities)).decode("utf-8-sig"))))
    assert [row[0] for row in parsed[1:]] == list(dataset.cities["id"])
    assert all(len(row) == 14 for row in parsed)


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
    text = to_csv(View(hostile, "en", hostile.cities.iloc[:1])).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["municipality"] == "'=cmd|' /C calc'!A0"
    assert row["priorities"] == "'+1+1"
    assert row["intermediate body"] == "'@SUM(1,2)"
    assert row["region"] == "'-2+3"
    assert float(row["latitude"]) == hostile.cities.iloc[0]["lat"]


def test_file_name_reflects_filters_and_language():
    assert csv_filename(Filters(focus=("water",)).slug(), "sv") == "innomap_sv_water.csv"
    assert csv_filename(Filters().slug(), "fi") == "innomap_fi_all.csv"


EXPECTED_GEOJSON_SV = (
    '{"type": "FeatureCollection", "metadata": {"title": "Innovativa städer och samhällen – '
    'ekosystemstäder", "filters": "2 av 20 kommuner · Artificiell intelligens, datacenter '
    'och högprestandaberäkning", "source": {"title": "Kestävä kaupunkikehittäminen", '
    '"publisher": "arbets- och näringsministeriet, rakennerahastot.fi", "url": '
    '"https://rakennerahastot.fi/kestava-kaupunkikehittaminen", "retrieved": "2026-11-27"}, '
    '"licence": {"name": "CC BY 4.0", "url": '
    '"https://creativecommons.org/licenses/by/4.0/"}, "attribution": "innomap; tyngdpunkter '
    'och förmedlande myndigheter: ”Kestävä kaupunkikehittäminen”, arbets- och '
    'näringsministeriet / rakennerahastot.fi; Jyväskyläs, Björneborgs, Seinäjokis och '
    'Tammerfors svenska tyngdpunkter: ”Hållbar stadsutveckling i Västra Finland”, '
    'rakennerahastot.fi; huvudstadsregionens fjärde tyngdpunkt: sidan ”Kestävä '
    'kaupunkikehittäminen” för Södra Finland, rakennerahastot.fi; kommun- och '
    'landskapskoder och namn: Statistikcentralens klassifikationer (CC BY 4.0)", '
    '"data_version": "@VERSION@"}, '
    '"features": [\n{"type": "Feature", "id": "kajaani", "geometry": {"type": "Point", '
    '"coordinates": [27.73, 64.225]}, "properties": {"id": "kajaani", "kommun": "Kajana", '
    '"roll": "Ekosystemstad", "avtal": "Kajana (Sotkamo)", "ansvarig stad": "", '
    '"storområde": "Norra Finland", "landskap": "Kajanaland", "förmedlande myndighet": '
    '"Kajanalands förbund", "fokusområden": "Digitalisering; Artificiell intelligens, '
    'datacenter och högprestandaberäkning; Fotonik och mätteknik", "nätverk": "", '
    '"tyngdpunkter": "Mätteknik samt högprestandaberäkning, artificiell intelligens och '
    'datacenter", "övriga tyngdpunkter": "", "latitud": 64.225, "longitud": 27.73, "city_id": "kajaani", '
    '"municipality_code": "205", "maakunta_code": "18", "role_id": "ecosystem_city", '
    '"macro_region_id": "north", "agreement_id": "kajaani", "lead_city_id": null, "body_id": '
    '"kainuun-liitto", "focus_area_ids": "digitalisation; ai_data_computing; '
    'photonics_measurement"}},\n{"type": "Feature", "id": "sotkamo", "geometry": {"type": '
    '"Point", "coordinates": [28.39, 64.131]}, "properties": {"id": "sotkamo", "kommun": '
    '"Sotkamo", "roll": "Samarbetskommun", "avtal": "Kajana (Sotkamo)", "ansvarig stad": '
    '"Kajana", "storområde": "Norra Finland", "landskap": "Kajanaland", "förmedlande '
    'myndighet": "Kajanalands förbund", "fokusområden": "Digitalisering; Artificiell '
    'intelligens, datacenter och högprestandaberäkning; Fotonik och mätteknik", "nätverk": '
    '"", "tyngdpunkter": "Mätteknik samt högprestandaberäkning, artificiell intelligens och '
    'datacenter", "övriga tyngdpunkter": "", "latitud": 64.131, "longitud": 28.39, "city_id": "sotkamo", '
    '"municipality_code": "765", "maakunta_code": "18", "role_id": "partner_town", '
    '"macro_region_id": "north", "agreement_id": "kajaani", "lead_city_id": "kajaani", '
    '"body_id": "kainuun-liitto", "focus_area_ids": "digitalisation; ai_data_computing; '
    'photonics_measurement"}}\n]}\n'
)


def test_swedish_geojson_byte_for_byte(dataset, broad_of):
    filters = Filters(focus=("ai_data_computing",))
    rows = filters.apply(dataset.cities, broad_of)
    expected = EXPECTED_GEOJSON_SV.replace("@VERSION@", dataset.version)
    assert to_geojson(View(dataset, "sv", rows, filters)) == expected.encode("utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_gdal_reads_the_geojson_as_the_same_places(dataset, broad_of, tmp_path, lang):
    filters = Filters(focus=("circular_economy",))
    rows = filters.apply(dataset.cities, broad_of)
    path = tmp_path / export_filename(filters.slug(), lang, "geojson")
    path.write_bytes(to_geojson(View(dataset, lang, rows, filters)))
    info = pyogrio.read_info(path)
    assert (info["driver"], info["crs"], info["geometry_type"]) == ("GeoJSON", "EPSG:4326",
                                                                     "Point")
    frame = pyogrio.read_dataframe(path)
    header = export_table(View(dataset, lang, rows))[0]
    assert list(frame[header[0]]) == list(frame["city_id"]) == list(rows["id"])
    assert list(frame[header[1]]) == list(rows[f"name_{lang}"])
    assert [(p.x, p.y) for p in frame.geometry] == list(zip(rows["lon"], rows["lat"],
                                                            strict=True))
    assert {*header, *CODES} <= set(frame.columns)
    assert frame["lead_city_id"].isna().all()
    assert str(frame[header[-1]].dtype) == "float64"


def test_an_empty_list_is_a_valid_empty_collection(dataset, broad_of):
    filters = Filters(q="no such thing")
    data = to_geojson(View.of(dataset, filters, "fi"))
    parsed = json.loads(data)
    assert parsed["features"] == [] and parsed["metadata"]["filters"].startswith("0/20")
    assert len(pyogrio.read_dataframe(io.BytesIO(data))) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_geojson_property_names_never_clash(dataset, lang):
    header = export_table(View(dataset, lang, dataset.cities.iloc[:0]))[0]
    assert len(set(header)) == len(header) and not set(header) & set(CODES)


def test_a_clash_of_property_names_is_refused(dataset, monkeypatch):
    table = export_table(View(dataset, "en", dataset.cities.iloc[:1]))
    monkeypatch.setattr(innomap.export, "export_table", lambda *_: [
        [*table[0], "city_id"], [*table[1], "x"]])
    with pytest.raises(ValueError, match=r"expected distinct names, got \['city_id'\]"):
        to_geojson(View(dataset, "en", dataset.cities.iloc[:1], Filters()))


def test_a_column_added_to_the_table_reaches_every_format(dataset, monkeypatch):
    """The formats share export_table: a new column (here a source link and a count) needs no
    change to any writer; a link becomes a hyperlink in the workbook."""
    original = innomap.export.export_table

    def with_sources(view):
        header, *lines = original(view)
        return [[*header, "source", "count"],
                *[[*line, Link(f"https://example.fi/{line[0]}"), 3] for line in lines]]

    monkeypatch.setattr(innomap.export, "export_table", with_sources)
    rows = dataset.cities.iloc[:2]
    parsed = list(csv.DictReader(io.StringIO(to_csv(View(dataset, "en", rows)).decode("utf-8-sig"))))
    assert [(r["source"], r["count"]) for r in parsed] == [
        ("https://example.fi/helsinki", "3"), ("https://example.fi/espoo", "3")]
    features = json.loads(to_geojson(View(dataset, "en", rows, Filters())))["features"]
    assert [(f["properties"]["source"], f["properties"]["count"]) for f in features] == [
        ("https://example.fi/helsinki", 3), ("https://example.fi/espoo", 3)]
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(
        "xlsx", View(dataset, "en", rows)))).worksheets[0]
    assert [c.value for c in sheet[1]][-2:] == ["source", "count"]
    assert sheet["O2"].hyperlink.target == "https://example.fi/helsinki"
    assert (sheet["P3"].value, sheet["P3"].data_type) == (3, "n")


def test_every_format_by_name(dataset, broad_of):
    filters = Filters(focus=("water",))
    rows = filters.apply(dataset.cities, broad_of)
    view = View(dataset, "fi", rows, filters)
    assert export_bytes("csv", view) == to_csv(view)
    assert export_bytes("geojson", view) == to_geojson(view)
    assert export_bytes("xlsx", view).startswith(b"PK")
    assert export_bytes("png", view).startswith(b"\x89PNG\r\n")
    assert export_bytes("svg", view).startswith(b'<?xml version="1.0" encoding="utf-8"')
    assert FORMATS == {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "geojson": "application/geo+json", "csv": "text/csv", "png": "image/png",
        "svg": "image/svg+xml"}
    with pytest.raises(ValueError, match="expected one of xlsx, geojson, csv, png, svg, got 'pdf'"):
        export_bytes("pdf", view)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_every_format_is_named_like_the_csv(fmt):
    slug = Filters(focus=("circular_economy",)).slug()
    assert export_filename(slug, "fi", fmt) == f"innomap_fi_circular-economy.{fmt}"
