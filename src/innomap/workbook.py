"""The maintainers' workbook: the whole data contract as an Excel file, written and read back.

`write_workbook` lays out innomap.contract's tables with XlsxWriter (text written as text in
text-formatted columns, so Excel and LibreOffice keep codes and dates as typed), with lists of
the allowed values and an instructions sheet in three languages. `read_workbook` takes back
what Excel or LibreOffice saved (innomap.cellvalues reads each cell, tolerating their quirks),
and returns the data files and every problem, each with its sheet, row and column as the editor
sees them (innomap.findings words them).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from innomap.cellvalues import blank, cell_text, parse_cell, shown
from innomap.contract import (
    CITY_COLUMNS,
    FACT_COLUMNS,
    METADATA_COLUMNS,
    METADATA_ROWS,
    NETWORK_COLUMNS,
    RECORDS,
    Column,
    DataFiles,
    city_cells,
    collection_record,
    fact_cells,
    header,
    metadata_cells,
    metadata_record,
    network_cells,
)
from innomap.i18n import t
from innomap.programme import STATUSES, TOPICS
from innomap.schema import LANGS, MACRO_REGIONS, ROLES

# The sheets by key: their names' catalogue keys, in the workbook's order.
SHEETS = {"instructions": "workbook.sheet.instructions", "cities": "workbook.sheet.cities",
          "networks": "workbook.sheet.networks", "facts": "workbook.sheet.facts",
          "metadata": "workbook.sheet.metadata", "lists": "workbook.sheet.lists"}
COLUMNS = {"cities": CITY_COLUMNS, "networks": NETWORK_COLUMNS, "facts": FACT_COLUMNS}
CELLS = {"cities": city_cells, "networks": network_cells, "facts": fact_cells}
INSTRUCTIONS = ("workbook.help.purpose", "workbook.help.sheets", "workbook.help.lists",
                "workbook.help.cells", "workbook.help.import", "workbook.help.diff")
# Rows the validation lists reach: room for the editor's additions.
LIST_ROWS = 1000
WIDTH = {"text": 40, "number": 12, "code3": 10, "code2": 10, "ids": 24, "urls": 50,
         "period": 12, "date": 12, "dates": 24, "amounts": 24}


def fixed_lists(files: DataFiles, taxonomy_ids: tuple[str, ...]) -> dict[str, list[str]]:
    """Return the allowed values of the fields that have fixed ones, by list name."""
    return {"roles": list(ROLES), "regions": list(MACRO_REGIONS), "statuses": list(STATUSES),
            "topics": list(TOPICS), "languages": list(LANGS),
            "themes": list(taxonomy_ids),
            "networks": [n["id"] for n in files.networks.get("networks", [])],
            "cities": [f["properties"]["id"] for f in files.cities.get("features", [])]}


def write_workbook(files: DataFiles, taxonomy_ids: tuple[str, ...], lang: str) -> bytes:
    """Return the editable workbook of the data files, its names and headers in a language."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    styles = {"text": book.add_format({"num_format": "@", "text_wrap": True, "valign": "top"}),
              "number": book.add_format({"num_format": "0.000000", "valign": "top"}),
              "head": book.add_format({"bold": True, "text_wrap": True, "valign": "top"})}
    book.set_properties({"title": t("workbook.title", lang)})
    lists = fixed_lists(files, taxonomy_ids)
    names = {key: t(label, lang) for key, label in SHEETS.items()}
    _write_instructions(book.add_worksheet(names["instructions"]), styles)
    records = {"cities": files.cities.get("features", []),
               "networks": files.networks.get("networks", []),
               "facts": files.programme.get("facts", [])}
    for key, columns in COLUMNS.items():
        rows = [CELLS[key](record) for record in records[key]]
        _write_table(book.add_worksheet(names[key]), columns, rows, lang, styles, names["lists"],
                     list(lists), names["cities"])
    _write_metadata(book.add_worksheet(names["metadata"]), files.cities.get("metadata", {}),
                    lang, styles)
    _write_lists(book.add_worksheet(names["lists"]), lists, styles)
    book.close()
    return output.getvalue()


def _write_instructions(sheet: Any, styles: dict) -> None:
    sheet.set_column(0, len(LANGS) - 1, 60, styles["text"])
    for c, lang in enumerate(LANGS):
        sheet.write_string(0, c, t(f"lang.{lang}", lang), styles["head"])
        for r, key in enumerate(INSTRUCTIONS, start=1):
            sheet.write_string(r, c, t(key, lang), styles["text"])


def _write_table(sheet: Any, columns: tuple[Column, ...], rows: list[dict], lang: str,
                 styles: dict, lists_sheet: str, list_names: list[str],
                 cities_sheet: str) -> None:
    for c, column in enumerate(columns):
        style = styles["number"] if column.kind == "number" else styles["text"]
        sheet.set_column(c, c, WIDTH[column.kind], style)
        sheet.write_string(0, c, header(column, lang), styles["head"])
        for r, cells in enumerate(rows, start=1):
            _write_cell(sheet, r, c, column, cells.get(column.path), styles)
        if column.choices:
            source = _choices_source(column.choices, lists_sheet, list_names, cities_sheet)
            sheet.data_validation(1, c, LIST_ROWS, c, {"validate": "list", "source": source,
                                                      "ignore_blank": True})
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def _choices_source(choices: str, lists_sheet: str, list_names: list[str],
                    cities_sheet: str) -> str:
    """Return a drop-down list's cells: a column of the lists sheet, or for a city the
    municipalities sheet's own ids (so that a city added there can be chosen at once)."""
    if choices == "cities":
        return f"='{cities_sheet}'!$A$2:$A${LIST_ROWS}"
    letter = xl_col_to_name(list_names.index(choices))
    return f"='{lists_sheet}'!${letter}$2:${letter}${LIST_ROWS}"


def _write_cell(sheet: Any, r: int, c: int, column: Column, value: Any, styles: dict) -> None:
    if value is None:
        return
    if column.kind == "number":
        sheet.write_number(r, c, float(value), styles["number"])
    else:
        sheet.write_string(r, c, cell_text(column, value), styles["text"])


def _write_metadata(sheet: Any, metadata: dict, lang: str, styles: dict) -> None:
    sheet.set_column(0, 0, 24, styles["head"])
    sheet.set_column(1, len(METADATA_COLUMNS) - 1, 45, styles["text"])
    for c, column in enumerate(METADATA_COLUMNS):
        sheet.write_string(0, c, header(column, lang), styles["head"])
    for r, ((_, label, _), cells) in enumerate(zip(METADATA_ROWS, metadata_cells(metadata),
                                                   strict=True), start=1):
        sheet.write_string(r, 0, t(label, lang), styles["head"])
        for c, column in enumerate(METADATA_COLUMNS[1:], start=1):
            if cells.get(column.path) is not None:
                sheet.write_string(r, c, str(cells[column.path]), styles["text"])
    sheet.freeze_panes(1, 1)


def _write_lists(sheet: Any, lists: dict[str, list[str]], styles: dict) -> None:
    for c, (name, values) in enumerate(lists.items()):
        sheet.set_column(c, c, 24, styles["text"])
        sheet.write_string(0, c, name, styles["head"])
        for r, value in enumerate(values, start=1):
            sheet.write_string(r, c, value, styles["text"])


@dataclass(frozen=True)
class CellProblem:
    """A problem the workbook itself shows: its sheet key, the sheet's name, the row (1-based,
    None for the whole sheet), the column paths, a catalogue key and the values it names."""

    sheet: str
    sheet_name: str
    row: int | None
    columns: tuple[str, ...]
    key: str
    values: dict[str, str]


@dataclass
class Reading:
    """What was read: the data files (when the sheets could be read), the spreadsheet row of
    each record by sheet key, the workbook's headers by sheet key and column path, and the
    problems met while reading; the metadata sheet's row of each field by path."""

    files: DataFiles | None
    rows: dict[str, list[int]]
    headers: dict[str, dict[str, str]]
    sheet_names: dict[str, str]
    problems: list[CellProblem]
    metadata_rows: dict[str, int] = field(default_factory=dict)


def read_workbook(data: bytes) -> Reading:
    """Read an editable workbook back into data files, collecting every problem of its cells."""
    reading = Reading(None, {}, {}, {}, [])
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        reading.problems.append(CellProblem("", "", None, (), "workbook.problem.unreadable",
                                            {"found": str(err) or type(err).__name__}))
        return reading
    sheets = _find_sheets(book, reading)
    records: dict[str, list[dict]] = {}
    for key in COLUMNS:
        records[key] = list(_read_table(sheets.get(key), key, reading))
    metadata = _read_metadata(sheets.get("metadata"), reading)
    reading.files = DataFiles(collection_record(metadata, records["cities"]),
                              {"networks": records["networks"]}, {"facts": records["facts"]})
    return reading


def _find_sheets(book: Any, reading: Reading) -> dict[str, Any]:
    found = {}
    for key, label in SHEETS.items():
        names = {t(label, lang).casefold() for lang in LANGS}
        sheet = next((s for s in book.worksheets if s.title.strip().casefold() in names), None)
        if sheet is not None:
            found[key] = sheet
            reading.sheet_names[key] = sheet.title
        elif key != "instructions" and key != "lists":
            reading.sheet_names[key] = " / ".join(t(label, lang) for lang in LANGS)
            reading.problems.append(CellProblem(key, reading.sheet_names[key], None, (),
                                                "workbook.problem.missing_sheet", {}))
    return found


def _read_headers(sheet: Any, key: str, columns: tuple[Column, ...],
                  reading: Reading) -> dict[int, Column]:
    """Return the table's columns by position, noting unknown and missing headers."""
    known = {header(c, lang).casefold(): c for c in columns for lang in LANGS}
    by_position: dict[int, Column] = {}
    headers: dict[str, str] = {}
    first = next(sheet.iter_rows(min_row=1, max_row=1), ())
    for position, cell in enumerate(first):
        text = str(cell.value).strip() if cell.value is not None else ""
        column = known.get(text.casefold())
        if column is not None and column.path not in headers:
            by_position[position] = column
            headers[column.path] = text
        elif text:
            reading.problems.append(CellProblem(
                key, sheet.title, 1, (), "workbook.problem.unknown_column",
                {"found": text, "column": xl_col_to_name(position)}))
    for column in columns:
        if column.path not in headers:
            reading.problems.append(CellProblem(key, sheet.title, 1, (column.path,),
                                                "workbook.problem.missing_column", {}))
    reading.headers[key] = headers
    return by_position


def _read_table(sheet: Any, key: str, reading: Reading) -> Iterator[dict]:
    columns, build = RECORDS[key]
    reading.rows[key] = []
    if sheet is None:
        return
    by_position = _read_headers(sheet, key, columns, reading)
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if all(blank(v) for v in row):
            continue
        cells = {}
        for position, column in by_position.items():
            value = row[position] if position < len(row) else None
            parsed, problem = parse_cell(column, value)
            if problem:
                reading.problems.append(CellProblem(key, sheet.title, number, (column.path,),
                                                    problem, {"found": shown(value)}))
            cells[column.path] = parsed
        reading.rows[key].append(number)
        yield build(cells)


def _read_metadata(sheet: Any, reading: Reading) -> dict[str, Any]:
    rows: dict[str, dict] = {}
    if sheet is None:
        return metadata_record(rows)
    labels = {t(label, lang).casefold(): path for path, label, _ in METADATA_ROWS
              for lang in LANGS}
    by_position = _read_headers(sheet, "metadata", METADATA_COLUMNS, reading)
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        label = str(row[0]).strip().casefold() if row and row[0] is not None else ""
        path = labels.get(label)
        if path is None:
            if not all(blank(v) for v in row):
                reading.problems.append(CellProblem("metadata", sheet.title, number, ("label",),
                                                    "workbook.problem.unknown_field",
                                                    {"found": shown(row[0])}))
            continue
        cells = {}
        for position, column in by_position.items():
            value = row[position] if position < len(row) else None
            kind = "date" if path == "source.retrieved" else "text"
            parsed, problem = parse_cell(Column(column.path, column.label, kind=kind), value)
            if problem:
                reading.problems.append(CellProblem("metadata", sheet.title, number,
                                                    (column.path,), problem,
                                                    {"found": shown(value)}))
            cells[column.path] = parsed
        rows[path] = cells
        reading.metadata_rows[path] = number
    return metadata_record(rows)
