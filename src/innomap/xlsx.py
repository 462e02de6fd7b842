"""Write an Excel workbook (.xlsx) whose cells keep their types and are never formulas.

Every cell is written with an explicit type: text as text, numbers as numbers, dates as dates.
Nothing is parsed out of text, so a name like "=SUM(A1)" stays the text it is. This module
knows cells and sheets only; innomap.export decides what goes in them.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

# write_string() and friends are used throughout; these settings are only what write() would
# do with a plain string, switched off so that no later use of write() can turn text into a
# formula, a link or a number.
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False}
# Excel's limit for the characters in one cell; XlsxWriter would cut longer text short.
MAX_CELL_CHARS = 32_767
# Text that Excel reads as a formula when a user edits the cell and presses Enter. Such cells
# get Excel's quote prefix (the invisible "'" a user types), so editing keeps them text too.
FORMULA_START = ("=", "+", "-", "@")
WEB_ADDRESS = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
# Excel's limits for a link's address and for the links on one sheet; past them a web address
# is written as plain text.
MAX_URL_CHARS, MAX_LINKS = 2079, 65_530
MIN_WIDTH, MAX_WIDTH = 8, 50


class Link(str):
    """Text that is a web address: an http(s) one becomes a hyperlink in the workbook."""


class CellError(ValueError):
    """A value that no cell can hold as it is (rather than one cut short or converted)."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a table (header row frozen, with an autofilter) or label–value pairs."""

    name: str
    rows: Sequence[Sequence[object]]
    table: bool = True
    # The table's column whose value names a row in messages (a place's name, say).
    row_names: int = 0


class TextTooLong(CellError):
    """A text longer than a cell holds, with where it is in words for a message in any
    language: the row's name (a table's; "" for the naming column) and the column's header
    (for label–value pairs, the row's label)."""

    def __init__(self, sheet: Sheet, r: int, c: int, chars: int) -> None:
        self.cell = f"{sheet.name}!{xl_rowcol_to_cell(r, c)}"
        names_row = sheet.table and c != sheet.row_names
        self.row = str(sheet.rows[r][sheet.row_names]) if names_row else ""
        self.column = str(sheet.rows[0][c] if sheet.table else sheet.rows[r][0])
        self.chars = chars
        super().__init__(f"{self.cell}: {chars:,} characters of text; an Excel cell holds at "
                         f"most {MAX_CELL_CHARS:,} (the CSV has the full text)")


def write_workbook(sheets: Sequence[Sheet], title: str = "") -> bytes:
    """Return the workbook's bytes; raise CellError for a value that would not fit a cell
    (TextTooLong for a text too long)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, OPTIONS)
    styles = {
        "bold": workbook.add_format({"bold": True}),
        "quoted": workbook.add_format({"quote_prefix": True}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd", "align": "left"}),
    }
    workbook.set_properties({"title": title})
    for sheet in sheets:
        _write_sheet(workbook.add_worksheet(sheet.name), sheet, styles)
    workbook.close()
    return output.getvalue()


def _write_sheet(worksheet: Worksheet, sheet: Sheet, styles: dict) -> None:
    links = [0]
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise TextTooLong(sheet, r, c, len(value))
            _write_cell(worksheet, r, c, value, styles, links)
    columns = max((len(row) for row in sheet.rows), default=0)
    if sheet.table:
        for c in range(columns):
            width = max((_width(row[c]) for row in sheet.rows if c < len(row)), default=0)
            worksheet.set_column(c, c, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
        if columns:
            worksheet.set_row(0, None, styles["bold"])
            worksheet.freeze_panes(1, 0)
            worksheet.autofilter(0, 0, len(sheet.rows) - 1, columns - 1)
    else:
        # The labels' width; a row of one cell (a title) may run on across the next column.
        labels = max((_width(row[0]) for row in sheet.rows if len(row) > 1), default=0)
        worksheet.set_column(0, 0, min(max(labels + 2, MIN_WIDTH), MAX_WIDTH), styles["bold"])
        worksheet.set_column(1, 1, 2 * MAX_WIDTH, styles["wrap"])


def _write_cell(worksheet: Worksheet, r: int, c: int, value: object, styles: dict,
                links: list[int]) -> None:
    where = f"{worksheet.name}!{xl_rowcol_to_cell(r, c)}"
    if value is None or value == "":
        return
    if isinstance(value, bool):
        worksheet.write_boolean(r, c, value)
    elif isinstance(value, numbers.Real):
        worksheet.write_number(r, c, float(value))
    elif isinstance(value, dt.date):
        worksheet.write_datetime(r, c, value, styles["date"])
    elif isinstance(value, str):
        if isinstance(value, Link) and _is_web_address(value) and links[0] < MAX_LINKS:
            links[0] += 1
            # Non-zero: XlsxWriter refused the link and wrote nothing; the text follows below.
            if worksheet.write_url(r, c, str(value), string=str(value)) == 0:
                return
        worksheet.write_string(r, c, str(value),
                               styles["quoted"] if value.startswith(FORMULA_START) else None)
    else:
        raise CellError(f"{where}: expected text, a number or a date, got "
                        f"{type(value).__name__}")


def _is_web_address(text: str) -> bool:
    return (len(text) <= MAX_URL_CHARS and bool(WEB_ADDRESS.match(text))
            and bool(urlsplit(text).netloc))


def _width(value: object) -> int:
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)
