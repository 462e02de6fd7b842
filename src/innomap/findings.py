"""Check a maintainers' workbook against the data contract and word every problem by cell.

`check_workbook` reads the workbook (innomap.workbook), validates the three data files it
holds with the contract's own validators, and returns the files only when there is no problem
at all. Each problem is named as the editor sees it, "Kunnat, rivi 7, sarake Painopisteet
(sv): teksti puuttuu", in the chosen language, with the field's path in the data file after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass

from innomap import networks, programme
from innomap.contract import METADATA_COLUMNS, METADATA_ROWS, Column, DataFiles, header
from innomap.i18n import t
from innomap.schema import Problem, validate
from innomap.workbook import COLUMNS, SHEETS, CellProblem, Reading, read_workbook

# What the validators expect (the start of Problem.expected), and its words for an editor.
EXPECTED = (
    ("a non-empty text", "workbook.problem.empty_text"),
    ("a lowercase ASCII slug", "workbook.problem.slug"),
    ("an agreement id slug", "workbook.problem.slug"),
    ("a 3-digit string", "workbook.problem.municipality_code"),
    ("a 2-digit string", "workbook.problem.region_code"),
    ("one of the network's members", "workbook.problem.lead_member"),
    ("one of ", "workbook.problem.choice"),
    ("a non-empty list of source URLs", "workbook.problem.no_sources"),
    ("an http(s):// URL", "workbook.problem.url"),
    ("each ", "workbook.problem.twice"),
    ("[lon, lat] inside Finland", "workbook.problem.outside"),
    ("[lon, lat] as two finite numbers", "workbook.problem.coordinates"),
    ("a focus-area id from themes.json", "workbook.problem.theme"),
    ("a non-empty list of focus-area ids", "workbook.problem.no_themes"),
    ("null for an ecosystem city", "workbook.problem.lead_for_city"),
    ("the id of the lead city for a partner town", "workbook.problem.lead_missing"),
    ("the id of an ecosystem city in this file", "workbook.problem.lead_unknown"),
    ("its lead city's agreement", "workbook.problem.agreement"),
    ("a unique ", "workbook.problem.unique"),
    ("an ISO date", "workbook.problem.date"),
    ("the last day the fact describes, an ISO date", "workbook.problem.date"),
    ("the day of the change, an ISO date", "workbook.problem.date"),
    ("a city id from the cities file", "workbook.problem.city"),
    ("at least two confirmed member cities", "workbook.problem.two_members"),
    ("a year or month", "workbook.problem.period"),
    ("null, or a year or month", "workbook.problem.period"),
    ("a positive number of euros", "workbook.problem.amount"),
    ("placeholders ", "workbook.problem.placeholders"),
)


@dataclass(frozen=True)
class Finding:
    """One problem as the editor sees it: sheet, row and column headers, what is wrong, in a
    language, and the field's path in the data file ("" for a problem of the workbook)."""

    sheet: str
    row: int | None
    columns: tuple[str, ...]
    text: str
    path: str
    lang: str
    # Where it is in the workbook's order (sheet, row), to list problems as the editor reads.
    order: tuple[int, int] = (0, 0)

    def __str__(self) -> str:
        if self.row is not None and self.columns:
            where = t("workbook.where_cell", self.lang, sheet=self.sheet, row=self.row,
                      column=", ".join(self.columns))
        elif self.row is not None:
            where = t("workbook.where_row", self.lang, sheet=self.sheet, row=self.row)
        else:
            where = self.sheet
        line = f"{where}: {self.text}" if where else self.text
        return f"{line} ({self.path})" if self.path else line


def check_workbook(data: bytes, theme_ids: Collection[str],
                   lang: str) -> tuple[DataFiles | None, list[Finding]]:
    """Return the workbook's data files and no findings, or None and every finding."""
    reading = read_workbook(data)
    found = [_cell_finding(p, reading, lang) for p in reading.problems]
    files = reading.files
    if files is None:
        return None, found
    city_ids = {f["properties"].get("id") for f in files.cities["features"]}
    checks = (("cities", validate(files.cities, theme_ids)),
              ("networks", networks.validate(files.networks, city_ids)),
              ("facts", programme.validate(files.programme)))
    for key, problems in checks:
        found += [_problem_finding(key, p, reading, lang) for p in problems
                  if not _already_named(p, key, reading)]
    found.sort(key=lambda finding: finding.order)
    return (files, []) if not found else (None, found)


def _already_named(problem: Problem, key: str, reading: Reading) -> bool:
    """Tell whether the validator's problem follows from one the reader already named: a cell
    it refused, a missing column or a missing sheet."""
    sheet, row, columns = _locate(key, problem, reading)
    paths = {c.path for c in columns}
    for named in reading.problems:
        if named.sheet != sheet:
            continue
        if named.key == "workbook.problem.missing_sheet":
            return True
        if named.key == "workbook.problem.missing_column" and paths and paths <= set(
                named.columns):
            return True
        if named.row == row and set(named.columns) & paths:
            return True
    return False


def _cell_finding(problem: CellProblem, reading: Reading, lang: str) -> Finding:
    columns = _headers(problem.sheet, _columns_of(problem.sheet, problem.columns), reading,
                       lang)
    order = _order(problem.sheet, problem.row)
    if problem.key == "workbook.problem.missing_sheet":
        return Finding(problem.sheet_name, None, (), t(problem.key, lang), "", lang, order)
    if problem.key == "workbook.problem.missing_column":
        return Finding(problem.sheet_name, None, (), t(problem.key, lang, column=columns[0]),
                       "", lang, order)
    return Finding(problem.sheet_name, problem.row, columns,
                   t(problem.key, lang, **problem.values), "", lang, order)


def _order(sheet: str, row: int | None) -> tuple[int, int]:
    keys = list(SHEETS)
    return (keys.index(sheet) if sheet in keys else -1, row or 0)


def _columns_of(sheet: str, paths: tuple[str, ...]) -> list[Column]:
    columns = COLUMNS.get(sheet, METADATA_COLUMNS)
    return [c for path in paths for c in columns if c.path == path]


def _headers(sheet: str, columns: list[Column], reading: Reading, lang: str) -> tuple[str, ...]:
    """Return the columns' headers as the workbook writes them (else in the language)."""
    shown = reading.headers.get(sheet, {})
    return tuple(shown.get(c.path) or header(c, lang) for c in columns)


def _problem_finding(key: str, problem: Problem, reading: Reading, lang: str) -> Finding:
    sheet, row, columns = _locate(key, problem, reading)
    name = reading.sheet_names.get(sheet, t(SHEETS[sheet], lang))
    return Finding(name, row, _headers(sheet, columns, reading, lang),
                   problem_text(problem, lang, reading, sheet), problem.place, lang,
                   _order(sheet, row))


def _locate(key: str, problem: Problem, reading: Reading) -> tuple[str, int | None,
                                                                    list[Column]]:
    """Return the sheet key, the spreadsheet row and the columns a validator's problem is in."""
    field = re.sub(r"\[[0-9]+\]", "", problem.field)
    if problem.where == "collection" and field.startswith("metadata"):
        return _locate_metadata(field.removeprefix("metadata").lstrip("."), reading)
    match = re.match(r"^(?:features|networks|facts)\[([0-9]+)\]", problem.where)
    if match is None:
        return key, None, []
    rows = reading.rows.get(key, [])
    index = int(match.group(1))
    row = rows[index] if index < len(rows) else None
    return key, row, field_columns(COLUMNS[key], field)


def field_columns(columns: tuple[Column, ...], field: str) -> list[Column]:
    """Return the columns that hold a field path ("geometry": latitude and longitude)."""
    exact = [c for c in columns if c.path == field or field.startswith(c.path + ".")]
    return exact or [c for c in columns if c.path.startswith(field + ".")]


def _locate_metadata(field: str, reading: Reading) -> tuple[str, int | None, list[Column]]:
    for path, _, translated in METADATA_ROWS:
        if field == path or field.startswith(path + "."):
            rest = field[len(path) + 1:]
            wanted = rest if translated and rest else "value"
            columns = [c for c in METADATA_COLUMNS if c.path == wanted]
            if translated and not rest:
                columns = [c for c in METADATA_COLUMNS if c.lang]
            return "metadata", reading.metadata_rows.get(path), columns
    return "metadata", None, []


def problem_text(problem: Problem, lang: str, reading: Reading, sheet: str) -> str:
    """Return what a validator's problem means for the editor, in the language."""
    found = problem.found
    shown = t("workbook.empty", lang) if found in ("null", "nothing", '""', "[]") else found
    if shown.startswith('"') and shown.endswith('"'):
        # A text as the validator quotes it (JSON); the editor typed it without quotes.
        try:
            shown = str(json.loads(shown))
        except ValueError:
            pass
    for start, key in EXPECTED:
        if problem.expected.startswith(start):
            return t(key, lang, found=shown, choices=_choices(problem.expected),
                     row=_other_row(problem.expected, reading, sheet))
    return t("workbook.problem.other", lang, expected=problem.expected, found=shown)


def _choices(expected: str) -> str:
    return expected.removeprefix("one of ").replace('"', "")


def _other_row(expected: str, reading: Reading, sheet: str) -> str:
    """Return the row that a unique value was already used on ("" when none is named)."""
    match = re.search(r"\[([0-9]+)\]", expected)
    rows = reading.rows.get(sheet, [])
    if match is None or int(match.group(1)) >= len(rows):
        return ""
    return str(rows[int(match.group(1))])
