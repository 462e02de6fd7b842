"""The maintainers' round trip, tested as the editor works: export the editable workbook, edit
it (openpyxl, then a save through LibreOffice), import it, and read what changed."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from innomap.cellvalues import parse_cell
from innomap.cli import main
from innomap.contract import CITY_COLUMNS, Column
from innomap.shipped import DATA_DIR
from tests.support.workbook import libreoffice_resave

FILES = ("cities.geojson", "networks.json", "programme.json")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> bytes:
    """Return the editable workbook of the shipped data, with Finnish headers."""
    path = tmp_path_factory.mktemp("export") / "data.xlsx"
    result = CliRunner().invoke(main, ["export", "--format", "xlsx", "--editable", "-o",
                                       str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{path}: 20 municipalities, 6 networks, 18 facts\n"
    return path.read_bytes()


def _import(workbook: bytes, tmp_path: Path, *options: str,
            out: Path | None = None) -> tuple[Result, Path]:
    source, out = tmp_path / "edited.xlsx", out or tmp_path / "out"
    source.write_bytes(workbook)
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(out), *options])
    return result, out


def _edit(workbook: bytes, edits: dict[tuple[str, int, str], object]) -> bytes:
    """Set cells by (sheet, row, header) as an editor would, with openpyxl; return the file."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    for (sheet_name, row, heading), value in edits.items():
        sheet = book[sheet_name]
        headers = [cell.value for cell in sheet[1]]
        sheet.cell(row=row, column=headers.index(heading) + 1, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_unchanged_workbook_gives_back_byte_identical_files(exported, tmp_path):
    result, out = _import(exported, tmp_path)
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_workbook_in_another_language_gives_back_the_same_files(lang, tmp_path):
    path = tmp_path / "data.xlsx"
    result = CliRunner().invoke(main, ["export", "--format", "xlsx", "--editable", "--lang",
                                       lang, "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(path).sheetnames[1] == {"sv": "Kommuner",
                                                          "en": "Municipalities"}[lang]
    imported, out = _import(path.read_bytes(), tmp_path)
    assert imported.exit_code == 0, imported.output
    for name in FILES:
        assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_importing_over_the_same_files_leaves_them_as_they_were(exported, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for name in FILES:
        shutil.copyfile(DATA_DIR / name, folder / name)
    result, _ = _import(exported, tmp_path, "--lang", "en", out=folder)
    assert result.exit_code == 0, result.output
    assert result.output == "".join(f"Unchanged: {folder / name}\n" for name in FILES)


def test_an_edit_saved_by_libreoffice_comes_back_and_the_diff_names_it(exported, tmp_path):
    edited = _edit(exported, {
        ("Kunnat", 9, "Painopisteet (sv)"):
            "Motion, hälsofrämjande och välfärd, industri i förnyelse samt turism",
        ("Kunnat", 9, "Leveysaste"): 62.2505,
    })
    resaved = libreoffice_resave(edited, tmp_path)
    result, out = _import(resaved, tmp_path)
    assert result.exit_code == 0, result.output
    cities = json.loads((out / "cities.geojson").read_text(encoding="utf-8"))
    jyvaskyla = cities["features"][7]
    assert jyvaskyla["properties"]["priorities"]["sv"] == (
        "Motion, hälsofrämjande och välfärd, industri i förnyelse samt turism")
    assert jyvaskyla["geometry"]["coordinates"] == [25.7474, 62.2505]
    for name in ("networks.json", "programme.json"):
        assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes()
    diff = CliRunner().invoke(main, ["diff", str(DATA_DIR), str(out)])
    assert diff.exit_code == 1
    assert diff.output == (
        "Kunnat (cities.geojson)\n"
        "  Jyväskylä (jyvaskyla)\n"
        "    Sijainti siirtyi 1,0 km (62.2415, 25.7474 → 62.2505, 25.7474)\n"
        "    Painopisteet (sv)\n"
        "      − Motion, hälsofrämjande och välfärd samt industri i förnyelse\n"
        "      + Motion, hälsofrämjande och välfärd, industri i förnyelse samt turism\n"
    )


def test_a_workbook_with_five_mistakes_is_refused_with_every_cell_named(exported, tmp_path):
    broken = _edit(exported, {
        ("Kunnat", 9, "Painopisteet (sv)"): "   ",
        ("Kunnat", 7, "Vastuukaupunki"): "atlantis",
        ("Kunnat", 20, "Leveysaste"): "pohjoinen",
        ("Verkostot", 2, "Jäsenet"): "kokkola\nvaasa\nporvoo",
        ("Ohjelma", 5, "Päivämäärät"): "signed = 2021-02-30\nuntil = 2027-12-31",
    })
    result, out = _import(broken, tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"{tmp_path / 'edited.xlsx'}: 5 virhettä; mitään ei kirjoitettu.\n"
        "  - Kunnat, rivi 7, sarake Vastuukaupunki: atlantis ei ole minkään tämän työkirjan "
        "ekosysteemikaupungin tunniste (features[5] (imatra).lead_city)\n"
        "  - Kunnat, rivi 9, sarake Painopisteet (sv): teksti puuttuu "
        "(features[7] (jyvaskyla).priorities.sv)\n"
        "  - Kunnat, rivi 20, sarake Leveysaste: kirjoita luku, nyt pohjoinen\n"
        "  - Verkostot, rivi 2, sarake Jäsenet: porvoo ei ole minkään kunnan tunniste "
        "(networks[0] (battery_chemistry).members[2])\n"
        "  - Ohjelma, rivi 5, sarake Päivämäärät: kirjoita päivämäärä muodossa 2026-01-31, "
        "nyt 2021-02-30 (facts[3] (agreements_signed).dates.signed)\n"
    )
    assert not out.exists()


def test_the_problems_are_worded_in_the_chosen_language(exported, tmp_path):
    broken = _edit(exported, {("Kunnat", 9, "Painopisteet (sv)"): ""})
    result, _ = _import(broken, tmp_path, "--lang", "sv")
    assert result.exit_code == 1
    assert "  - Kunnat, rad 9, kolumn Painopisteet (sv): texten saknas " \
           "(features[7] (jyvaskyla).priorities.sv)\n" in result.output


def test_a_file_that_is_no_workbook_is_refused(tmp_path):
    result, out = _import(b"not a zip", tmp_path, "--lang", "en")
    assert result.exit_code == 1
    assert "the file cannot be read as an Excel workbook" in result.output
    assert not out.exists()


COLUMN = {c.path: c for c in CITY_COLUMNS}


@pytest.mark.parametrize(("column", "value", "parsed", "problem"), [
    # Codes that a spreadsheet stored as numbers get their leading zeros back.
    (COLUMN["municipality_code"], 91, "091", None),
    (COLUMN["maakunta.code"], 9.0, "09", None),
    # Trailing spaces and no-break spaces go; an empty or blank cell is no value.
    (COLUMN["priorities.fi"], "Kiertotalous \u00a0", "Kiertotalous", None),
    (COLUMN["priorities.fi"], "  ", None, None),
    (COLUMN["priorities.fi"], None, None, None),
    # Coordinates typed as text, with a decimal comma or point.
    (COLUMN["geometry.lat"], "62,2415", 62.2415, None),
    (COLUMN["geometry.lat"], 62.24151234, 62.241512, None),
    (COLUMN["geometry.lat"], "N62", "N62", "workbook.problem.number"),
    # Lists: one a line, ids also by commas.
    (COLUMN["themes"], "water, bioeconomy;\nenergy_electrification",
     ["water", "bioeconomy", "energy_electrification"], None),
    (COLUMN["sources"], "https://a.fi/x\n https://b.fi/y ", ["https://a.fi/x", "https://b.fi/y"],
     None),
    # Text that the spreadsheet turned into a date: recovered where a date or month belongs.
    (Column("until", "workbook.col.until", kind="date"), dt.datetime(2025, 12, 31),
     "2025-12-31", None),
    (Column("period.start", "workbook.col.period_start", kind="period"),
     dt.datetime(2023, 4, 1), "2023-04", None),
    (Column("period.start", "workbook.col.period_start", kind="period"), 2023, "2023", None),
    (COLUMN["name.fi"], dt.datetime(2026, 5, 1), "2026-05-01", "workbook.problem.date_in_text"),
    (Column("amounts", "workbook.col.amounts", kind="amounts"), "total = 150 000 000",
     {"total": 150000000.0}, None),
    (Column("amounts", "workbook.col.amounts", kind="amounts"), "total 150",
     "total 150", "workbook.problem.pairs"),
])
def test_cells_as_spreadsheets_save_them(column, value, parsed, problem):
    assert parse_cell(column, value) == (parsed, problem)


def test_editable_takes_no_filters(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "xlsx", "--editable",
                                       "--region", "west", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "--editable writes the whole data" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_the_workbook_holds_every_field_with_lists_and_instructions(exported):
    book = openpyxl.load_workbook(io.BytesIO(exported))
    assert book.sheetnames == ["Ohjeet", "Kunnat", "Verkostot", "Ohjelma", "Aineisto",
                               "Luettelot"]
    headers = [cell.value for cell in book["Kunnat"][1]]
    assert headers == [
        "Tunniste", "Nimi (fi)", "Nimi (sv)", "Nimi (en)", "Kuntanumero", "Rooli", "Sopimus",
        "Vastuukaupunki", "Suuralue", "Maakunnan koodi", "Maakunta (fi)", "Maakunta (sv)",
        "Maakunta (en)", "Välittävä viranomainen (fi)", "Välittävä viranomainen (sv)",
        "Välittävä viranomainen (en)", "Painopisteet (fi)", "Painopisteet (sv)",
        "Painopisteet (en)", "Muut painopisteet (fi)", "Muut painopisteet (sv)",
        "Muut painopisteet (en)", "Muiden painopisteiden lähde", "Aihealueet", "Lähteet",
        "Leveysaste", "Pituusaste"]
    validations = {str(v.sqref): v.formula1 for v in book["Kunnat"].data_validations.dataValidation}
    assert validations == {"F2:F1001": "'Luettelot'!$A$2:$A$1000",
                           "H2:H1001": "'Kunnat'!$A$2:$A$1000",
                           "I2:I1001": "'Luettelot'!$B$2:$B$1000"}
    lists = book["Luettelot"]
    assert [c.value for c in lists[1]] == ["roles", "regions", "statuses", "topics", "languages",
                                           "themes", "networks", "cities"]
    assert [c.value for c in lists["A"][1:3]] == ["ecosystem_city", "partner_town"]
    instructions = book["Ohjeet"]
    assert [c.value for c in instructions[1]] == ["Suomi", "Svenska", "English"]
    assert instructions["A2"].value.startswith("Tässä työkirjassa on innomapin koko aineisto")
    assert instructions["B2"].value.startswith("Den här arbetsboken innehåller")
    assert instructions["C2"].value.startswith("This workbook holds all of innomap's data")
    # Codes stay text (leading zero), coordinates are numbers.
    assert book["Kunnat"]["E2"].value == "091"
    assert book["Kunnat"]["Z2"].value == 60.1679


def _write_version(folder: Path, edit) -> Path:
    """Copy the shipped data files into folder, edit the parsed cities and networks, return it."""
    folder.mkdir()
    data = {name: json.loads((DATA_DIR / name).read_text(encoding="utf-8")) for name in FILES}
    edit(data)
    for name, value in data.items():
        (folder / name).write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return folder


def _changed(data):
    cities = data["cities.geojson"]
    cities["features"] = [f for f in cities["features"] if f["id"] != "sotkamo"]
    cities["features"][0]["properties"]["intermediate_body"]["en"] = "Helsinki-Uusimaa Council"
    network = data["networks.json"]["networks"][1]
    network["members"] = ["jyvaskyla", "lahti", "oulu"]
    data["programme.json"]["facts"][0]["status"] = "unconfirmed"


def test_diff_lists_the_changes_in_words_and_exits_1(tmp_path):
    new = _write_version(tmp_path / "new", _changed)
    result = CliRunner().invoke(main, ["diff", str(DATA_DIR), str(new), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output == (
        "Municipalities (cities.geojson)\n"
        "  Removed: Sotkamo (sotkamo)\n"
        "  Helsinki (helsinki)\n"
        "    Intermediate body (en)\n"
        "      − Helsinki-Uusimaa Regional Council\n"
        "      + Helsinki-Uusimaa Council\n"
        "Networks (networks.json)\n"
        "  Sport Suomi ecosystem (sport_suomi)\n"
        "    Members\n"
        "      removed Kuopio (kuopio)\n"
        "      added Oulu (oulu)\n"
        "Programme (programme.json)\n"
        "  programme_name\n"
        "    Status: confirmed → unconfirmed\n"
    )


def test_diff_writes_a_change_log_entry_in_three_languages(tmp_path):
    def move(data):
        data["cities.geojson"]["features"][18]["geometry"]["coordinates"] = [25.4651, 65.1]

    new = _write_version(tmp_path / "new", move)
    result = CliRunner().invoke(main, ["diff", str(DATA_DIR / "cities.geojson"),
                                       str(new / "cities.geojson"), "--markdown",
                                       "--day", "2026-12-07"])
    assert result.exit_code == 1
    assert result.output == (
        "## 2026-12-07\n\n"
        "### fi\n\n- Kunnat (cities.geojson)\n  - Oulu (oulu)\n"
        "    - Sijainti siirtyi 9,6 km (65.0134, 25.465 → 65.1, 25.4651)\n\n"
        "### sv\n\n- Kommuner (cities.geojson)\n  - Uleåborg (oulu)\n"
        "    - Läget flyttades 9,6 km (65.0134, 25.465 → 65.1, 25.4651)\n\n"
        "### en\n\n- Municipalities (cities.geojson)\n  - Oulu (oulu)\n"
        "    - Position moved 9.6 km (65.0134, 25.465 → 65.1, 25.4651)\n"
    )


def test_diff_without_changes_exits_0_and_an_unreadable_file_2(tmp_path):
    same = CliRunner().invoke(main, ["diff", str(DATA_DIR), str(DATA_DIR), "--lang", "sv"])
    assert (same.exit_code, same.output) == (0, "Inga ändringar.\n")
    broken = tmp_path / "cities.geojson"
    broken.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(DATA_DIR), str(broken), "--lang", "en"])
    assert result.exit_code == 2
    assert result.output.startswith(f"{broken}: cannot compare the file: file: expected "
                                    "valid JSON")


def test_the_about_tab_gives_the_data_versions_day_and_the_change_log(dataset):
    from innomap.about import version_html
    from innomap.filters import Filters
    from innomap.view import View

    view = View.of(dataset, Filters(), "sv", None)
    assert version_html(view) == (
        f'<p class="innomap-version">Datamängdens version {dataset.version}, 27.11.2026.</p>'
        '<div class="innomap-changes"><h4>Ändringar</h4><ul><li>27.11.2026<ul><li>Första '
        "publicerade versionen: 20 kommuner (18 ekosystemstäder och 2 samarbetskommuner), 6 "
        "nätverk med temaansvar och 18 uppgifter om programmet; källsidan hämtad 27.11.2026."
        "</li></ul></li></ul></div>")


def test_a_change_log_line_is_escaped(tmp_path):
    from innomap.about import _nested

    assert _nested(["- <b>x</b> \\_y", "  - z"]) == (
        "<ul><li>&lt;b&gt;x&lt;/b&gt; _y<ul><li>z</li></ul></li></ul>")


def test_a_missing_sheet_and_column_and_an_unknown_column_are_named(exported, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(exported))
    book["Verkostot"].title = "Verkot"
    book["Ohjelma"]["C1"] = "Teksti suomeksi"
    buffer = io.BytesIO()
    book.save(buffer)
    result, out = _import(buffer.getvalue(), tmp_path, "--lang", "en")
    assert result.exit_code == 1
    assert result.output == (
        f"{tmp_path / 'edited.xlsx'}: 3 problems; nothing was written.\n"
        "  - Verkostot / Nätverk / Networks: the sheet is missing\n"
        "  - Ohjelma, row 1: unknown column C: Teksti suomeksi\n"
        "  - Ohjelma: the column Text (fi) is missing\n"
    )
    assert not out.exists()


def test_export_refuses_data_the_workbook_would_not_hold(write_cities, tmp_path):
    def add_member(data):
        data["metadata"]["editor"] = "someone"

    path = write_cities(add_member)
    target = tmp_path / "data.xlsx"
    result = CliRunner().invoke(main, ["export", "--data", str(path), "--format", "xlsx",
                                       "--editable", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}: the data has fields the workbook does not hold "
                             "(see data/README.md); nothing was written\n")
    assert not target.exists()


def test_a_change_log_line_that_starts_like_a_list_stays_one_line():
    from innomap.changes import Change, _markdown_lines

    assert _markdown_lines(Change("x", [Change("+ 2026. uusi"), Change("− vanha")]), 0) == (
        "- x\n  - \\+ 2026. uusi\n  - − vanha\n")
