"""The data contract as tables: each data file's records as rows of named cells, and back.

The maintainers' workbook (innomap.workbook) holds the whole contract, not a language's view of
it: one row per municipality, network and programme fact with every field in every language,
and the collection's metadata as label–value rows. This module is the one definition of those
columns and of how a record becomes cells and cells a record again, with no spreadsheet library
in sight, so the same columns name the fields in workbook problems and in `innomap diff`.

Cells hold what a spreadsheet holds: text, a number, a date or nothing (None). `record_of`
builds the JSON record from parsed cells in the key order of the shipped files, so an unchanged
table gives back byte-identical files (`serialise`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innomap.i18n import t
from innomap.networks import FILE_NAME as NETWORKS_FILE
from innomap.programme import FILE_NAME as PROGRAMME_FILE
from innomap.schema import LANGS, read_collection

CITIES_FILE = "cities.geojson"
# Cells holding a list: one item a line (ids may also be separated by commas or semicolons).
LIST_KINDS = ("ids", "urls")


@dataclass(frozen=True)
class Column:
    """One column: the field's path in the record, its label's catalogue key, its language
    (None for a field without one), the kind of value its cells hold, and, for a field with
    fixed values, the name of the list those come from (workbook.fixed_lists)."""

    path: str
    label: str
    lang: str | None = None
    kind: str = "text"
    choices: str | None = None


def _langs(path: str, label: str) -> tuple[Column, ...]:
    return tuple(Column(f"{path}.{lang}", label, lang) for lang in LANGS)


CITY_COLUMNS = (
    Column("id", "workbook.col.id"),
    *_langs("name", "workbook.col.name"),
    Column("municipality_code", "workbook.col.municipality_code", kind="code3"),
    Column("role", "workbook.col.role", choices="roles"),
    Column("agreement", "workbook.col.agreement"),
    Column("lead_city", "workbook.col.lead_city", choices="cities"),
    Column("macro_region", "workbook.col.macro_region", choices="regions"),
    Column("maakunta.code", "workbook.col.maakunta_code", kind="code2"),
    *_langs("maakunta.name", "workbook.col.maakunta"),
    *_langs("intermediate_body", "workbook.col.intermediate_body"),
    *_langs("priorities", "workbook.col.priorities"),
    *_langs("additional_priorities.text", "workbook.col.additional"),
    Column("additional_priorities.source", "workbook.col.additional_source"),
    Column("themes", "workbook.col.themes", kind="ids"),
    Column("sources", "workbook.col.sources", kind="urls"),
    Column("geometry.lat", "workbook.col.lat", kind="number"),
    Column("geometry.lon", "workbook.col.lon", kind="number"),
)
NETWORK_COLUMNS = (
    Column("id", "workbook.col.id"),
    *_langs("name", "workbook.col.network_name"),
    Column("translated", "workbook.col.translated", kind="ids"),
    Column("lead", "workbook.col.network_lead", choices="cities"),
    Column("members", "workbook.col.members", kind="ids"),
    Column("period.start", "workbook.col.period_start", kind="period"),
    Column("period.end", "workbook.col.period_end", kind="period"),
    Column("sources", "workbook.col.sources", kind="urls"),
    Column("status", "workbook.col.status", choices="statuses"),
)
FACT_COLUMNS = (
    Column("id", "workbook.col.id"),
    Column("topic", "workbook.col.topic", choices="topics"),
    *_langs("text", "workbook.col.fact_text"),
    Column("dates", "workbook.col.dates", kind="dates"),
    Column("amounts", "workbook.col.amounts", kind="amounts"),
    Column("until", "workbook.col.until", kind="date"),
    Column("note.date", "workbook.col.note_date", kind="date"),
    *_langs("note.text", "workbook.col.note_text"),
    Column("note.sources", "workbook.col.note_sources", kind="urls"),
    Column("sources", "workbook.col.sources", kind="urls"),
    Column("status", "workbook.col.status", choices="statuses"),
)
# The metadata sheet: one row per field, its label's key, and whether it is in three languages.
METADATA_ROWS = (
    ("title", "workbook.meta.title", True),
    ("programme", "workbook.meta.programme", True),
    ("source.title", "workbook.meta.source_title", False),
    ("source.publisher", "workbook.meta.publisher", True),
    ("source.url", "workbook.meta.source_url", False),
    ("source.retrieved", "workbook.meta.retrieved", False),
    ("licence.name", "workbook.meta.licence", False),
    ("licence.url", "workbook.meta.licence_url", False),
    ("attribution", "workbook.meta.attribution", True),
)
# The metadata sheet's columns: the label, a value without a language, a value per language.
METADATA_COLUMNS = (
    Column("label", "workbook.col.field"),
    Column("value", "workbook.col.value"),
    *(Column(lang, "workbook.col.value", lang) for lang in LANGS),
)

Cells = dict[str, Any]


def header(column: Column, lang: str) -> str:
    """Return a column's header in a language: the field, and its language in brackets."""
    label = t(column.label, lang)
    return f"{label} ({column.lang})" if column.lang else label


def _get(record: Any, path: str) -> Any:
    for part in path.split("."):
        record = record.get(part) if isinstance(record, dict) else None
    return record


def _text_map(cells: Cells, path: str) -> dict[str, Any]:
    return {lang: cells.get(f"{path}.{lang}") for lang in LANGS}


def city_cells(feature: dict[str, Any]) -> Cells:
    """Return a cities feature as cells by column path."""
    props = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    cells = {c.path: _get(props, c.path) for c in CITY_COLUMNS}
    return cells | {"geometry.lat": lat, "geometry.lon": lon}


def city_record(cells: Cells) -> dict[str, Any]:
    """Return the cities feature that parsed cells describe, keys in the shipped order."""
    props: dict[str, Any] = {
        "id": cells.get("id"),
        "municipality_code": cells.get("municipality_code"),
        "name": _text_map(cells, "name"),
        "role": cells.get("role"),
        "agreement": cells.get("agreement"),
        "lead_city": cells.get("lead_city"),
        "macro_region": cells.get("macro_region"),
        "maakunta": {"code": cells.get("maakunta.code"),
                     "name": _text_map(cells, "maakunta.name")},
        "intermediate_body": _text_map(cells, "intermediate_body"),
        "priorities": _text_map(cells, "priorities"),
    }
    more = _text_map(cells, "additional_priorities.text")
    source = cells.get("additional_priorities.source")
    if any(v is not None for v in more.values()) or source is not None:
        props["additional_priorities"] = {"text": more, "source": source}
    props["themes"] = cells.get("themes")
    if cells.get("sources") is not None:
        props["sources"] = cells["sources"]
    coordinates = [cells.get("geometry.lon"), cells.get("geometry.lat")]
    return {"type": "Feature", "id": props["id"],
            "geometry": {"type": "Point", "coordinates": coordinates}, "properties": props}


def network_cells(network: dict[str, Any]) -> Cells:
    """Return a network as cells by column path."""
    return {c.path: _get(network, c.path) for c in NETWORK_COLUMNS}


def network_record(cells: Cells) -> dict[str, Any]:
    """Return the network that parsed cells describe, keys in the shipped order."""
    record: dict[str, Any] = {"id": cells.get("id"), "name": _text_map(cells, "name")}
    if cells.get("translated") is not None:
        record["translated"] = cells["translated"]
    return record | {
        "lead": cells.get("lead"),
        "members": cells.get("members") or [],
        "period": {"start": cells.get("period.start"), "end": cells.get("period.end")},
        "sources": cells.get("sources"),
        "status": cells.get("status"),
    }


def fact_cells(fact: dict[str, Any]) -> Cells:
    """Return a programme fact as cells by column path."""
    return {c.path: _get(fact, c.path) for c in FACT_COLUMNS}


def fact_record(cells: Cells) -> dict[str, Any]:
    """Return the programme fact that parsed cells describe, keys in the shipped order."""
    record: dict[str, Any] = {"id": cells.get("id"), "topic": cells.get("topic"),
                              "text": _text_map(cells, "text"),
                              "sources": cells.get("sources"), "status": cells.get("status")}
    for name in ("dates", "amounts", "until"):
        if cells.get(name) is not None:
            record[name] = cells[name]
    text = _text_map(cells, "note.text")
    note = {"date": cells.get("note.date"), "text": text, "sources": cells.get("note.sources")}
    if note["date"] is not None or note["sources"] is not None or any(
            v is not None for v in text.values()):
        record["note"] = note
    return record


def metadata_cells(metadata: dict[str, Any]) -> list[Cells]:
    """Return the metadata as one row of cells per METADATA_ROWS entry."""
    rows = []
    for path, _, translated in METADATA_ROWS:
        value = _get(metadata, path)
        rows.append({lang: _get(value, lang) for lang in LANGS} if translated
                    else {"value": value})
    return rows


def metadata_record(rows: dict[str, Cells]) -> dict[str, Any]:
    """Return the metadata that the rows (by field path) describe, keys in the shipped order."""

    def value(path: str) -> Any:
        translated = next(t for p, _, t in METADATA_ROWS if p == path)
        cells = rows.get(path, {})
        return {lang: cells.get(lang) for lang in LANGS} if translated else cells.get("value")

    return {
        "title": value("title"),
        "programme": value("programme"),
        "source": {"title": value("source.title"), "publisher": value("source.publisher"),
                   "url": value("source.url"), "retrieved": value("source.retrieved")},
        "licence": {"name": value("licence.name"), "url": value("licence.url")},
        "attribution": value("attribution"),
    }


def collection_record(metadata: dict[str, Any], features: list[dict]) -> dict[str, Any]:
    """Return a cities FeatureCollection with its members in the shipped order."""
    return {"type": "FeatureCollection", "metadata": metadata, "features": features}


@dataclass(frozen=True)
class DataFiles:
    """The three files an editor maintains, parsed: cities, networks and programme facts."""

    cities: dict[str, Any]
    networks: dict[str, Any]
    programme: dict[str, Any]

    def files(self) -> dict[str, bytes]:
        """Return each file's bytes by file name, serialised as the shipped files are."""
        return {CITIES_FILE: serialise(self.cities), NETWORKS_FILE: serialise(self.networks),
                PROGRAMME_FILE: serialise(self.programme)}


def serialise(data: Any) -> bytes:
    """Return JSON as the shipped data files are written: UTF-8, a 2-space indent, non-ASCII
    as is, a newline at the end."""
    return (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()


def rebuild(files: DataFiles) -> DataFiles:
    """Return the files as the workbook's cells carry them (for checking that none is lost)."""
    features = [city_record(city_cells(f)) for f in files.cities.get("features", [])]
    metadata = metadata_record({path: cells for (path, _, _), cells in zip(
        METADATA_ROWS, metadata_cells(files.cities.get("metadata", {})), strict=True)})
    return DataFiles(
        collection_record(metadata, features),
        {"networks": [network_record(network_cells(n))
                      for n in files.networks.get("networks", [])]},
        {"facts": [fact_record(fact_cells(f)) for f in files.programme.get("facts", [])]},
    )


def data_file_paths(target: Path) -> dict[str, Path]:
    """Return where each data file goes for a folder or a cities file (companions beside it)."""
    folder = target if target.suffix != ".geojson" else target.parent
    cities = target if target.suffix == ".geojson" else folder / CITIES_FILE
    return {CITIES_FILE: cities, NETWORKS_FILE: folder / NETWORKS_FILE,
            PROGRAMME_FILE: folder / PROGRAMME_FILE}


# The record builders by sheet, for the workbook and for the changes between two versions.
RECORDS: dict[str, tuple[tuple[Column, ...], Callable[[Cells], dict[str, Any]]]] = {
    "cities": (CITY_COLUMNS, city_record),
    "networks": (NETWORK_COLUMNS, network_record),
    "facts": (FACT_COLUMNS, fact_record),
}


def read_data_files(cities_path: Path) -> DataFiles:
    """Read a cities file and the networks and programme files beside it (empty if absent);
    raise schema.DataError for a file that cannot be read."""
    paths = data_file_paths(cities_path)
    networks, facts = paths[NETWORKS_FILE], paths[PROGRAMME_FILE]
    return DataFiles(read_collection(cities_path),
                     read_collection(networks, NETWORKS_FILE) if networks.exists()
                     else {"networks": []},
                     read_collection(facts, PROGRAMME_FILE) if facts.exists() else {"facts": []})


def write_files(files: DataFiles, target: Path) -> dict[Path, bytes]:
    """Write the data files for a folder or cities file; return each path with the bytes
    written (empty for a file left as it was, its bytes already the same)."""
    out: dict[Path, bytes] = {}
    staged: list[tuple[Path, Path]] = []
    for name, data in files.files().items():
        path = data_file_paths(target)[name]
        if path.is_file() and path.read_bytes() == data:
            out[path] = b""
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.importing")
        try:
            temporary.write_bytes(data)
        except OSError:
            for written, _ in [*staged, (temporary, path)]:
                written.unlink(missing_ok=True)
            raise
        staged.append((temporary, path))
        out[path] = data
    # Every file is written in full before any replaces its old version.
    for temporary, path in staged:
        os.replace(temporary, path)
    return out
