"""Cell values as spreadsheets hold them: a record's value as its cell's text, and back.

`parse_cell` reads what Excel or LibreOffice saved, with their habits: codes stored as numbers
(91 for "091"), spaces at the ends of a cell, empty cells, a decimal comma, and text the
spreadsheet turned into a date. A value that cannot be what its column holds comes back as
text with the catalogue key of the problem, for the editor's message.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from innomap.contract import LIST_KINDS, Column


def cell_text(column: Column, value: Any) -> str:
    """Return a value as its cell's text: lists one item a line, name = value pairs."""
    if column.kind in LIST_KINDS:
        return "\n".join(value)
    if column.kind in ("dates", "amounts"):
        return "\n".join(f"{name} = {_number_text(v)}" for name, v in value.items())
    return str(value)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def blank(value: Any) -> bool:
    """Tell whether a cell holds nothing (or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    """Return a cell's value as the editor sees it, for a message."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)


NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")
PAIR = re.compile(r"^([A-Za-z0-9_]+)\s*[=:]\s*(.+)$")


def parse_cell(column: Column, value: Any) -> tuple[Any, str | None]:
    """Return a cell's value for the record and, if it cannot be one, a problem's key."""
    if isinstance(value, str):
        # Trailing spaces and no-break spaces (and a line break left at the end) go.
        value = value.strip()
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return str(value), "workbook.problem.boolean"
    if column.kind == "number":
        return _parse_number(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _parse_date_cell(column, value)
    if isinstance(value, int | float):
        return _parse_number_as_text(column, value)
    if column.kind == "ids":
        return [v for v in re.split(r"[\s,;]+", value) if v], None
    if column.kind == "urls":
        return value.split(), None
    if column.kind in ("dates", "amounts"):
        return _parse_pairs(column, value)
    return value, None


def _parse_number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 6), None
    text = str(value).replace("\u00a0", "").replace(" ", "")
    if isinstance(value, str) and NUMBER.match(text):
        return round(float(text.replace(",", ".")), 6), None
    return str(value), "workbook.problem.number"


def _parse_date_cell(column: Column, value: Any) -> tuple[Any, str | None]:
    # Excel and LibreOffice turn typed text like 2023-04 or 2021-02-09 into dates.
    day = value.date() if isinstance(value, dt.datetime) else value
    if column.kind == "date" and isinstance(day, dt.date):
        return day.isoformat(), None
    if column.kind == "period" and isinstance(day, dt.date):
        return f"{day.year:04d}-{day.month:02d}", None
    return shown(value), "workbook.problem.date_in_text"


def _parse_number_as_text(column: Column, value: float) -> tuple[Any, str | None]:
    if not float(value).is_integer():
        return str(value), None if column.kind == "text" else "workbook.problem.number_in_text"
    whole = str(int(value))
    if column.kind == "code3":
        return whole.zfill(3), None
    if column.kind == "code2":
        return whole.zfill(2), None
    if column.kind == "ids":
        return [whole], None
    return whole, None


def _parse_pairs(column: Column, text: str) -> tuple[Any, str | None]:
    pairs: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = PAIR.match(line.strip())
        if match is None:
            return text, "workbook.problem.pairs"
        name, value = match.group(1), match.group(2).strip()
        if column.kind == "amounts":
            number, problem = _parse_number(value)
            if problem:
                return text, "workbook.problem.pairs"
            pairs[name] = float(number)
        else:
            pairs[name] = value
    return pairs or None, None
