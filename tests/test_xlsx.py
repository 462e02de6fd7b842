"""The Excel download: exact cells and types, no formula whatever the data, and a real client
(LibreOffice) reading every row."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from innomap.cities import load_dataset
from innomap.export import export_table, to_xlsx
from innomap.filters import Filters
from innomap.schema import LANGS
from innomap.shipped import THEMES
from innomap.view import View
from innomap.xlsx import (
    MAX_CELL_CHARS,
    CellError,
    Link,
    Sheet,
    TextTooLong,
    write_workbook,
)
from tests.support.hostile import FIXTURE
from tests.support.workbook import (
    cells,
    formula_cells,
    libreoffice_cells,
    shared_strings,
    soffice_path,
    values,
)

VIEW_PAGE = "https://innomap.example.fi/"
VIEW = VIEW_PAGE + "?focus=ai_data_computing&lang=sv"
SV_LIST = [
    ["id", "kommun", "roll", "avtal", "ansvarig stad", "storområde", "landskap",
     "förmedlande myndighet", "fokusområden", "nätverk", "tyngdpunkter",
     "övriga tyngdpunkter", "latitud", "longitud"],
    ["kajaani", "Kajana", "Ekosystemstad", "Kajana (Sotkamo)", None, "Norra Finland",
     "Kajanaland", "Kajanalands förbund",
     "Digitalisering; Artificiell intelligens, datacenter och högprestandaberäkning; "
     "Fotonik och mätteknik", None,
     "Mätteknik samt högprestandaberäkning, artificiell intelligens och datacenter", None,
     64.225, 27.73],
    ["sotkamo", "Sotkamo", "Samarbetskommun", "Kajana (Sotkamo)", "Kajana", "Norra Finland",
     "Kajanaland", "Kajanalands förbund",
     "Digitalisering; Artificiell intelligens, datacenter och högprestandaberäkning; "
     "Fotonik och mätteknik", None,
     "Mätteknik samt högprestandaberäkning, artificiell intelligens och datacenter", None,
     64.131, 28.39],
]
# Empty cells (no lead city, no network) read back as type "n" with the value None.
SV_TYPES = [["s"] * 14, ["s"] * 4 + ["n"] + ["s"] * 4 + ["n", "s", "n", "n", "n"],
            ["s"] * 9 + ["n", "s", "n", "n", "n"]]


def sv_about(version: str) -> list[list[object]]:
    """Return the Swedish About sheet expected for the AI list, as openpyxl reads it."""
    return [
        ["Innovativa städer och samhällen – ekosystemstäder"],
        [],
        ["Avgränsningar",
         "2 av 20 kommuner · Artificiell intelligens, datacenter och högprestandaberäkning"],
        ["Adress till den här vyn", VIEW],
        ["Källa", "Kestävä kaupunkikehittäminen"],
        # R2-5: the publisher and the credit line in Swedish.
        ["Utgivare", "arbets- och näringsministeriet, rakennerahastot.fi"],
        ["Källans adress", "https://rakennerahastot.fi/kestava-kaupunkikehittaminen"],
        ["Hämtad", dt.datetime(2026, 11, 27)],
        ["Dataversion", version],
        ["Licens", "CC BY 4.0"],
        ["Licensens adress", "https://creativecommons.org/licenses/by/4.0/"],
        ["Källhänvisning", "innomap; tyngdpunkter och förmedlande myndigheter: ”Kestävä "
         "kaupunkikehittäminen”, arbets- och näringsministeriet / rakennerahastot.fi; "
         "Jyväskyläs, Björneborgs, Seinäjokis och Tammerfors svenska tyngdpunkter: ”Hållbar "
         "stadsutveckling i Västra Finland”, rakennerahastot.fi; huvudstadsregionens fjärde "
         "tyngdpunkt: sidan ”Kestävä kaupunkikehittäminen” för Södra Finland, "
         "rakennerahastot.fi; kommun- och landskapskoder och namn: Statistikcentralens "
         "klassifikationer (CC BY 4.0)"],
    ]


@pytest.fixture(scope="module")
def ai_sv(dataset, broad_of) -> bytes:
    """Return the Swedish workbook of the AI focus area (Kajaani and its partner Sotkamo)."""
    filters = Filters(focus=("ai_data_computing",))
    return to_xlsx(View.of(dataset, filters, "sv", VIEW_PAGE))


def test_swedish_workbook_cell_for_cell(ai_sv, dataset):
    book = cells(ai_sv)
    assert list(book) == ["Kommuner", "Om"]
    assert values(ai_sv, 0) == SV_LIST
    assert [[kind for _, kind in row] for row in book["Kommuner"]] == SV_TYPES
    assert values(ai_sv, 1) == sv_about(dataset.version)


def test_header_frozen_with_an_autofilter_sensible_widths_and_links(ai_sv):
    book = openpyxl.load_workbook(io.BytesIO(ai_sv))
    listing, about = book["Kommuner"], book["Om"]
    assert listing.freeze_panes == "A2"
    assert listing.auto_filter.ref == "A1:N3"
    assert all(cell.font.b for cell in listing[1])
    widths = {letter: listing.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMN"}
    assert all(8 <= width <= 51 for width in widths.values()), widths
    assert widths["I"] > widths["A"]  # the focus areas get room, the ids less
    links = {row[0].value: row[1].hyperlink.target for row in about.iter_rows(min_row=3)
             if row[1].hyperlink}
    assert links == {"Adress till den här vyn": VIEW,
                     "Källans adress": "https://rakennerahastot.fi/kestava-kaupunkikehittaminen",
                     "Licensens adress": "https://creativecommons.org/licenses/by/4.0/"}
    assert about["B8"].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("lang", LANGS)
def test_headers_and_rows_are_the_csv_table_in_every_language(dataset, lang):
    table = export_table(View(dataset, lang, dataset.cities))
    data = to_xlsx(View(dataset, lang, dataset.cities))
    assert values(data, 0) == [[None if v == "" else v for v in row] for row in table]


@pytest.fixture(scope="module")
def hostile():
    """Return the hostile dataset: an attack in every text field."""
    return load_dataset(FIXTURE, THEMES)


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_text_is_never_a_formula_and_arrives_intact(hostile, lang):
    data = to_xlsx(View(hostile, lang, hostile.cities))
    assert formula_cells(data) == []
    table = export_table(View(hostile, lang, hostile.cities))
    kinds = {kind for sheet in cells(data).values() for row in sheet for _, kind in row}
    assert kinds <= {"s", "n", "d"}, kinds
    # Every text is stored exactly (control characters as OOXML escapes that Excel decodes).
    strings = set(shared_strings(data))
    texts = {v for row in table for v in row if isinstance(v, str) and v}
    assert texts <= strings, sorted(texts - strings)[:3]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    for row, expected in zip(sheet.iter_rows(), table, strict=True):
        for cell, value in zip(row, expected, strict=True):
            if isinstance(value, float):
                assert (cell.value, cell.data_type) == (value, "n")
            elif value:
                assert cell.data_type == "s"
                # Excel keeps such text text even when a user edits the cell.
                assert cell.quotePrefix == value.startswith(("=", "+", "-", "@")), value


def test_a_text_longer_than_a_cell_is_refused_not_cut(dataset):
    long = "ä" * (MAX_CELL_CHARS + 1)
    with pytest.raises(CellError, match=r"S!B2: 32,768 characters .* at most 32,767"):
        write_workbook([Sheet("S", [["a", "b"], ["x", long]])])
    exact = write_workbook([Sheet("S", [["a"], ["ä" * MAX_CELL_CHARS]])])
    assert values(exact) == [["a"], ["ä" * MAX_CELL_CHARS]]


LONG = "x" * (MAX_CELL_CHARS + 1)
TOO_LONG_PLACES = [
    # (sheet, where a too-long text is named: cell, row, column)
    (Sheet("S", [["id", "name", "notes"], ["hki", "Helsinki", LONG]], row_names=1),
     ("S!C2", "Helsinki", "notes")),
    (Sheet("S", [["id", "name"], ["hki", LONG]], row_names=1), ("S!B2", "", "name")),
    (Sheet("S", [["id", "notes"], ["hki", LONG]]), ("S!B2", "hki", "notes")),
    (Sheet("About", [["Title"], [], ["Attribution", LONG]], table=False),
     ("About!B3", "", "Attribution")),
]


@pytest.mark.parametrize(("sheet", "place"), TOO_LONG_PLACES)
def test_a_text_too_long_is_named_by_its_row_and_column(sheet, place):
    with pytest.raises(TextTooLong) as caught:
        write_workbook([sheet])
    err = caught.value
    assert ((err.cell, err.row, err.column), err.chars) == (place, MAX_CELL_CHARS + 1)


def test_only_web_addresses_become_links():
    data = write_workbook([Sheet("S", [[
        Link("https://example.fi/?q=%C3%85bo&x=1"), Link("javascript:alert(1)"),
        Link("?focus=water&lang=fi"), Link("http://"), Link("https://a.fi/x y"),
        Link("https://a.fi/" + "x" * 2100), "https://plain.example.fi/",
    ]])])
    row = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0][1]
    assert [cell.hyperlink.target if cell.hyperlink else None for cell in row] == [
        "https://example.fi/?q=%C3%85bo&x=1", None, None, None, None, None, None]
    assert [cell.data_type for cell in row] == ["s"] * 7


def test_links_past_excels_limit_per_sheet_stay_text(monkeypatch):
    monkeypatch.setattr("innomap.xlsx.MAX_LINKS", 2)
    data = write_workbook([Sheet("S", [[Link(f"https://e.fi/{i}") for i in range(3)]]),
                           Sheet("T", [[Link("https://e.fi/t")]])])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert [bool(cell.hyperlink) for cell in book["S"][1]] == [True, True, False]
    assert book["S"]["C1"].value == "https://e.fi/2"
    assert book["T"]["A1"].hyperlink.target == "https://e.fi/t"


def test_values_of_other_types_are_refused():
    with pytest.raises(CellError, match=r"S!A1: expected text, a number or a date, got list"):
        write_workbook([Sheet("S", [[["a"]]])])


def test_libreoffice_reads_every_row_and_name(dataset, tmp_path):
    """A real client: LibreOffice Calc opens the workbook and finds each row, ä and ö intact,
    text as text and coordinates as numbers."""
    table = export_table(View(dataset, "fi", dataset.cities))
    data = to_xlsx(View(dataset, "fi", dataset.cities))
    read = libreoffice_cells(data, tmp_path)
    assert read == [[None if v == "" else v for v in row] for row in table]
    names = [row[1] for row in read[1:]]
    assert {"Jyväskylä", "Seinäjoki", "Hämeenlinna"} & set(names) == {"Jyväskylä", "Seinäjoki"}
    assert len(names) == 20


def test_libreoffice_reads_hostile_text_as_text(hostile, tmp_path):
    table = export_table(View(hostile, "en", hostile.cities))
    data = to_xlsx(View(hostile, "en", hostile.cities))
    assert libreoffice_cells(data, tmp_path) == [[None if v == "" else v for v in row]
                                                 for row in table]


def test_without_libreoffice_the_test_is_skipped_but_fails_on_ci(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libreoffice-calc-nogui"):
        soffice_path()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: the tests that need it must run"):
        soffice_path()
