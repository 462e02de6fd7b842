"""Read the Excel downloads back: cell by cell with openpyxl, and through LibreOffice."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl

from tests.support.tools import require_tool

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SOFFICE_TIMEOUT_S = 180


def cells(data: bytes) -> dict[str, list[list[tuple[object, str]]]]:
    """Return each sheet's rows as (value, openpyxl data type) pairs, by sheet name."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [[(cell.value, cell.data_type) for cell in row]
                          for row in sheet.iter_rows()] for sheet in book}


def values(data: bytes, index: int = 0) -> list[list[object]]:
    """Return one sheet's values row by row, without the empty cells at the rows' ends."""
    sheet = list(cells(data).values())[index]
    rows = [[value for value, _ in row] for row in sheet]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


def formula_cells(data: bytes) -> list[str]:
    """Return every formula element (<f>) in the workbook's worksheets, raw."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return [match for name in book.namelist() if name.startswith("xl/worksheets/")
                and name.endswith(".xml")
                for match in re.findall(r"<f[ >].*?</f>|<f/>", book.read(name).decode())]


def shared_strings(data: bytes) -> list[str]:
    """Return the workbook's text as Excel reads it: OOXML's _xHHHH_ escapes decoded.

    (openpyxl leaves most of those escapes in place, so it cannot check control characters.)
    """
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    texts = ["".join(t.text or "" for t in item.iter(f"{MAIN_NS}t"))
             for item in root.iter(f"{MAIN_NS}si")]
    return [re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
            for text in texts]


def soffice_path() -> str:
    """Return LibreOffice's soffice; skip the test when it is missing, but fail on CI."""
    return require_tool("soffice",
                        "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")


def libreoffice_cells(data: bytes, folder: Path) -> list[list[str | float | None]]:
    """Return the first sheet as LibreOffice Calc reads it, saved to CSV with every text cell
    quoted: text as str, numbers as float, empty cells as None.

    Each call uses its own LibreOffice profile in `folder`, so parallel runs do not collide.
    """
    soffice = soffice_path()
    source, out = folder / "book.xlsx", folder / "csv"
    source.write_bytes(data)
    # CSV filter tokens: comma, double quote, UTF-8, from line 1, -, default language, quote
    # every text cell, -, cells as shown, no formulas, no space trimming, the first sheet.
    options = "44,34,76,1,,0,true,false,true,false,false,1"
    command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
               "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
               "--outdir", str(out), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S,
                          check=False)
    written = sorted(out.glob("*.csv")) if out.is_dir() else []
    assert done.returncode == 0 and len(written) == 1, (
        f"soffice exited {done.returncode}, wrote {written}:\n{done.stdout}\n{done.stderr}")
    # Bytes, not read_text: universal newlines would turn a CR inside a cell into LF.
    text = written[0].read_bytes().decode("utf-8")
    rows = _typed_csv(text)
    plain = list(csv.reader(io.StringIO(text, newline="")))
    assert [len(row) for row in rows] == [len(row) for row in plain], "CSV parsed two ways"
    for typed_row, plain_row in zip(rows, plain, strict=True):
        for typed, field in zip(typed_row, plain_row, strict=True):
            assert typed == (field if isinstance(typed, str) else float(field) if field
                             else None), f"CSV parsed two ways: {typed!r} vs {field!r}"
    return rows


def _typed_csv(text: str) -> list[list[str | float | None]]:
    """Parse CSV keeping what quoting tells: quoted fields are text, bare ones numbers."""
    rows: list[list[str | float | None]] = []
    row: list[str | float | None] = []
    field: list[str] = []
    quoted = was_quoted = False

    def finish_field() -> None:
        nonlocal field, was_quoted
        text = "".join(field)
        row.append(text if was_quoted else float(text) if text else None)
        field, was_quoted = [], False

    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1:i + 2] == '"':
                field.append('"')
                i += 1
            elif char == '"':
                quoted = False
            else:
                field.append(char)
        elif char == '"':
            quoted = was_quoted = True
        elif char == ",":
            finish_field()
        elif char in "\r\n":
            if char == "\r" and text[i + 1:i + 2] == "\n":
                i += 1
            finish_field()
            rows.append(row)
            row = []
        else:
            field.append(char)
        i += 1
    if field or row or was_quoted:
        finish_field()
        rows.append(row)
    return rows


def libreoffice_resave(data: bytes, folder: Path) -> bytes:
    """Return a workbook as LibreOffice Calc saves it again (`--convert-to xlsx`), the way an
    editor's save in Calc rewrites every part of the file.

    Each call uses its own LibreOffice profile in `folder`, so parallel runs do not collide.
    """
    soffice = soffice_path()
    source, out = folder / "edited.xlsx", folder / "resaved"
    source.write_bytes(data)
    command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S,
                          check=False)
    written = out / source.name
    assert done.returncode == 0 and written.is_file(), (
        f"soffice exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return written.read_bytes()
