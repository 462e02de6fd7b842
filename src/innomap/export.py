"""Exports of the filtered cities: an Excel workbook, GeoJSON for GIS, CSV for data tools,
and the map as an image (PNG, SVG: innomap.mapimage).

`export_table` is the one definition of the exported columns and their values; every format
is written from it, so a column added there reaches all three.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from innomap.i18n import t
from innomap.mapsizes import IMAGE_FORMATS, SIZES
from innomap.networks import roles_of
from innomap.view import View
from innomap.xlsx import Link, Sheet, write_workbook

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
    "additional_priorities",
    "lat",
    "lon",
)
# OWASP CSV injection: a text cell starting with one of these is read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# Each format's media type, in the order the dashboard offers them: the list, then the map.
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "csv": "text/csv",
    **IMAGE_FORMATS,
}


def neutralise(cell: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula; leave numbers alone."""
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def export_table(view: View) -> list[list[object]]:
    """Return the export table (header first) of the view's rows, in its language.

    Text is str (a web address may be a Link), numbers are int or float, no value is None.
    """
    dataset, lang = view.dataset, view.lang
    table: list[list[object]] = [[t(f"col.{c}", lang) for c in COLUMNS]]
    for row in view.rows.itertuples(index=False):
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
            additional_cell(getattr(row, f"additional_{lang}"), row.additional_source),
            round(float(row.lat), 6),
            round(float(row.lon), 6),
        ])
    return table


def additional_cell(text: str, source: str) -> str:
    """Return a priority named beyond the programme text with its page in brackets, or ""."""
    return f"{text} ({source})" if text else ""


def to_csv(view: View) -> bytes:
    """Return the rows as UTF-8 CSV with a BOM (so Excel shows ä/ö) and CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in export_table(view):
        writer.writerow([neutralise(cell) for cell in line])
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_filename(slug: str, lang: str) -> str:
    """Return the CSV download's file name for a filter slug and language."""
    return export_filename(slug, lang, "csv")


def export_filename(slug: str, lang: str, fmt: str, size: str = "slide") -> str:
    """Return a download's file name for a filter slug, language and format (and an image's
    size: the A4 page's name says so)."""
    suffix = "_a4" if fmt in IMAGE_FORMATS and size == "a4" else ""
    return f"innomap_{lang}_{slug}{suffix}.{fmt}"


def export_bytes(fmt: str, view: View, size: str = "slide") -> bytes:
    """Return the view's rows in a format of FORMATS, or its map as an image of a size in
    mapimage.SIZES (the workbook and the images link to the view)."""
    if fmt in IMAGE_FORMATS:
        if size not in SIZES:
            raise ValueError(f"image size: expected one of {', '.join(SIZES)}, got {size!r}")
        # Imported here: matplotlib takes a second to load and writes its font cache under
        # the user's home; the lists (and every page and CLI run without an image) need none.
        from innomap.mapimage import image_bytes

        return image_bytes(fmt, view, size)
    if fmt == "csv":
        return to_csv(view)
    if fmt == "geojson":
        return to_geojson(view)
    if fmt == "xlsx":
        return to_xlsx(view)
    raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def to_xlsx(view: View) -> bytes:
    """Return the rows as an Excel workbook: the list, then what it is and where it is from.

    Raise xlsx.TextTooLong if a text is longer than an Excel cell holds.
    """
    return write_workbook([
        Sheet(view.t("export.sheet_list"), export_table(view), row_names=COLUMNS.index("name")),
        Sheet(view.t("export.sheet_about"), about_rows(view), table=False),
    ], title=_text(view.dataset.metadata.get("title"), view.lang))


def about_rows(view: View) -> list[list[object]]:
    """Return the workbook's second sheet: the title, then label–value rows of provenance."""
    dataset, lang = view.dataset, view.lang
    meta = dataset.metadata
    source, licence = _members(meta, "source"), _members(meta, "licence")
    return [
        [_text(meta.get("title"), lang)],
        [],
        [t("export.filters", lang), view.headline],
        [t("export.view", lang), Link(view.list_url)],
        [t("export.source", lang), _text(source.get("title"))],
        [t("export.publisher", lang), _text(source.get("publisher"), lang)],
        [t("export.source_url", lang), Link(_text(source.get("url")))],
        [t("export.retrieved", lang), _date(_text(source.get("retrieved")))],
        [t("export.version", lang), dataset.version],
        [t("export.licence", lang), _text(licence.get("name"))],
        [t("export.licence_url", lang), Link(_text(licence.get("url")))],
        [t("export.attribution", lang), _text(meta.get("attribution"), lang)],
    ]


def to_geojson(view: View) -> bytes:
    """Return the rows as RFC 7946 GeoJSON: WGS84 points [lon, lat], one feature per line.

    Properties are the export table's columns under their headers in the language, then the
    stable ids (CODES) that stay the same in every language.
    """
    table = export_table(view)
    header, values = [str(h) for h in table[0]], table[1:]
    clash = sorted({h for h in header if header.count(h) > 1} | (set(header) & set(CODES)))
    if clash:
        raise ValueError(f"GeoJSON properties: expected distinct names, got {clash} again")
    features = [
        {"type": "Feature", "id": row.id,
         "geometry": {"type": "Point",
                      "coordinates": [round(float(row.lon), 6), round(float(row.lat), 6)]},
         "properties": dict(zip(header, line, strict=True)) | codes(row)}
        for row, line in zip(view.rows.itertuples(index=False), values, strict=True)
    ]
    meta = view.dataset.metadata
    source, licence = _members(meta, "source"), _members(meta, "licence")
    about = {"title": _text(meta.get("title"), view.lang), "filters": view.headline,
             "source": {k: _text(source.get(k), view.lang) for k in ("title", "publisher",
                                                                     "url", "retrieved")},
             "licence": {k: _text(licence.get(k)) for k in ("name", "url")},
             "attribution": _text(meta.get("attribution"), view.lang),
             "data_version": view.dataset.version}
    lines = [_json(feature) for feature in features]
    text = ('{"type": "FeatureCollection", "metadata": ' + _json(about) + ', "features": [\n'
            + ",\n".join(lines) + ("\n" if lines else "") + "]}\n")
    return text.encode("utf-8")


# The stable ids a GeoJSON feature carries besides its display values (ASCII names, the same
# in every language, for joining with other data).
CODES = ("city_id", "municipality_code", "maakunta_code", "role_id", "macro_region_id",
         "agreement_id", "lead_city_id", "body_id", "focus_area_ids")


def codes(row: Any) -> dict[str, object]:
    """Return a city row's stable ids under the names in CODES."""
    return dict(zip(CODES, (row.id, row.municipality_code, row.maakunta_code, row.role,
                            row.macro_region, row.agreement, row.lead_city or None, row.body,
                            "; ".join(row.themes)), strict=True))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _members(meta: dict[str, Any], key: str) -> dict[str, Any]:
    value = meta.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: object, lang: str | None = None) -> str:
    """Return a metadata value as text: a {fi, sv, en} object in the language; else as is."""
    if isinstance(value, dict) and lang is not None:
        value = value.get(lang)
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _date(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text
