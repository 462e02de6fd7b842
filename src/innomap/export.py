"""Exports of the filtered cities: CSV for spreadsheets (formula-safe, Excel-friendly)."""

from __future__ import annotations

import csv
import io

import geopandas as gpd

from innomap.cities import Dataset
from innomap.i18n import t
from innomap.networks import roles_of

COLUMNS = (
    "id",
    "name",
    "role",
    "agreement",
    "lead_city",
    "macro_region",
    "maakunta",
    "intermediate_body",
    "focus_areas",
    "networks",
    "priorities",
    "lat",
    "lon",
)
# OWASP CSV injection: a text cell starting with one of these is read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(cell: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula; leave numbers alone."""
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def csv_rows(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str) -> list[list[object]]:
    """Return the export table (header first) with display values in a language."""
    table: list[list[object]] = [[t(f"col.{c}", lang) for c in COLUMNS]]
    for row in rows.itertuples(index=False):
        focus = "; ".join(dataset.taxonomy.focus_label(f, lang) for f in row.themes)
        lead = dataset.city_name(row.lead_city, lang) if row.lead_city else ""
        table.append([
            row.id,
            getattr(row, f"name_{lang}"),
            t(f"role.{row.role}", lang),
            dataset.agreement_name(row.agreement, lang),
            lead,
            t(f"region.{row.macro_region}", lang),
            getattr(row, f"maakunta_{lang}"),
            getattr(row, f"body_{lang}"),
            focus,
            "; ".join(roles_of(dataset.networks, row.id, lang)),
            getattr(row, f"priorities_{lang}"),
            round(float(row.lat), 6),
            round(float(row.lon), 6),
        ])
    return table


def to_csv(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str) -> bytes:
    """Return the rows as UTF-8 CSV with a BOM (so Excel shows ä/ö) and CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in csv_rows(rows, dataset, lang):
        writer.writerow([neutralise(cell) for cell in line])
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_filename(slug: str, lang: str) -> str:
    """Return the download file name for a filter slug and language."""
    return f"innomap_{lang}_{slug}.csv"
