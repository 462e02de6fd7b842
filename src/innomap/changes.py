"""What changed between two versions of the data, in words, in fi/sv/en.

`compare` lists the changes of the three data files (cities, networks, programme facts) as a
tree of lines named with the maintainers' workbook's own column headers (innomap.contract):
municipalities added or removed, texts changed (old and new line), positions moved (in km),
list members added or removed. `as_text` and `as_markdown` render it; `changelog` reads the
entries that `innomap diff --markdown` wrote into data/CHANGES.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innomap.contract import (
    CITIES_FILE,
    LIST_KINDS,
    METADATA_ROWS,
    NETWORKS_FILE,
    PROGRAMME_FILE,
    RECORDS,
    Column,
    city_cells,
    fact_cells,
    header,
    metadata_cells,
    network_cells,
    serialise,
)
from innomap.i18n import format_number, t
from innomap.schema import LANGS, read_collection

CHANGELOG_FILE = "CHANGES.md"
EARTH_RADIUS_KM = 6371.0088
# Each file: its list of records, the cells of a record, and the sheet's catalogue key.
KINDS = {
    CITIES_FILE: ("features", city_cells, "cities", "workbook.sheet.cities"),
    NETWORKS_FILE: ("networks", network_cells, "networks", "workbook.sheet.networks"),
    PROGRAMME_FILE: ("facts", fact_cells, "facts", "workbook.sheet.facts"),
}
SHORT_KINDS = ("code3", "code2", "period", "date")


@dataclass
class Change:
    """A line of the change tree, with the lines under it."""

    text: str
    children: list[Change] = field(default_factory=list)


def read_version(path: Path) -> dict[str, dict[str, Any]]:
    """Read a data folder's files, or one data file (by its name), as {file name: data};
    raise schema.DataError when one cannot be read."""
    if path.is_dir():
        return {name: read_collection(path / name, name) for name in KINDS
                if (path / name).exists()}
    name = path.name if path.name in KINDS else CITIES_FILE
    return {name: read_collection(path, name)}


def compare(old: dict[str, dict], new: dict[str, dict], lang: str) -> list[Change]:
    """Return what changed from old to new, file by file, in the language (empty if nothing).

    A file that only one side has is named as added or removed (read_version gives a single
    file's side only that file: compare a file with a file, a folder with a folder).
    """
    out = []
    names = _city_names(new) | _city_names(old)
    for name, (members, cells, sheet, label) in KINDS.items():
        if name not in old or name not in new:
            if name in old or name in new:
                key = "changes.file_added" if name in new else "changes.file_removed"
                out.append(Change(f"{t(label, lang)} ({name})", [Change(t(key, lang))]))
            continue
        before, after = old[name], new[name]
        lines = _compare_records(before.get(members, []), after.get(members, []), cells,
                                 RECORDS[sheet][0], lang, names)
        if name == CITIES_FILE:
            lines = _compare_metadata(before.get("metadata", {}),
                                      after.get("metadata", {}), lang) + lines
        if not lines and serialise(before) != serialise(after):
            lines = [Change(t("changes.order", lang))]
        if lines:
            out.append(Change(f"{t(label, lang)} ({name})", lines))
    return out


def _city_names(version: dict[str, dict]) -> dict[str, dict[str, str]]:
    features = version.get(CITIES_FILE, {}).get("features", [])
    return {f["properties"]["id"]: f["properties"]["name"] for f in features
            if isinstance(f, dict) and isinstance(f.get("properties"), dict)
            and isinstance(f["properties"].get("name"), dict)}


def _label(record: dict, lang: str) -> str:
    props = record.get("properties", record)
    name = props.get("name")
    ident = props.get("id")
    return f"{name[lang]} ({ident})" if isinstance(name, dict) and lang in name else str(ident)


def _compare_records(before: list, after: list, cells: Any, columns: tuple[Column, ...],
                     lang: str, names: dict) -> list[Change]:
    old = {_ident(r): r for r in before}
    new = {_ident(r): r for r in after}
    lines = [Change(t("changes.removed", lang, name=_label(old[i], lang)))
             for i in old if i not in new]
    lines += [Change(t("changes.added", lang, name=_label(new[i], lang)))
              for i in new if i not in old]
    for ident in (i for i in new if i in old):
        fields = _compare_cells(cells(old[ident]), cells(new[ident]), columns, lang, names)
        if fields:
            lines.append(Change(_label(new[ident], lang), fields))
    if not lines and [i for i in old if i in new] != [i for i in new if i in old]:
        lines.append(Change(t("changes.order", lang)))
    return lines


def _ident(record: Any) -> str:
    props = record.get("properties", record) if isinstance(record, dict) else {}
    return str(props.get("id"))


def _compare_cells(old: dict, new: dict, columns: tuple[Column, ...], lang: str,
                   names: dict) -> list[Change]:
    lines = []
    moved = [c for c in columns if c.kind == "number" and old.get(c.path) != new.get(c.path)]
    if moved:
        lines.append(_moved(old, new, lang))
    for column in columns:
        if column.kind == "number" or old.get(column.path) == new.get(column.path):
            continue
        lines.append(_field_change(column, old.get(column.path), new.get(column.path), lang,
                                   names))
    return lines


def _moved(old: dict, new: dict, lang: str) -> Change:
    points: list[tuple[Any, Any]] = [(cells.get("geometry.lat"), cells.get("geometry.lon"))
                                     for cells in (old, new)]
    if not all(isinstance(v, int | float) for point in points for v in point):
        return Change(t("changes.position", lang, old=points[0], new=points[1]))
    km = distance_km((points[0][0], points[0][1]), (points[1][0], points[1][1]))
    shown = [", ".join(str(v) for v in point) for point in points]
    return Change(t("changes.moved", lang, km=format_number(km, lang, 1 if km < 10 else 0),
                    old=shown[0], new=shown[1]))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance of two (lat, lon) points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _field_change(column: Column, old: Any, new: Any, lang: str, names: dict) -> Change:
    label = header(column, lang)
    if column.kind in LIST_KINDS:
        return Change(label, _list_change(old or [], new or [], lang, names))
    if column.kind in SHORT_KINDS or column.choices or column.path in ("id", "agreement"):
        return Change(t("changes.value", lang, field=label, old=_shown(old, lang),
                        new=_shown(new, lang)))
    return Change(label, [Change(f"− {_shown(old, lang)}"), Change(f"+ {_shown(new, lang)}")])


def _list_change(old: list, new: list, lang: str, names: dict) -> list[Change]:
    def named(item: str) -> str:
        name = names.get(item)
        return f"{name[lang]} ({item})" if isinstance(name, dict) and lang in name else item

    lines = [Change(t("changes.item_removed", lang, item=named(i))) for i in old if i not in new]
    lines += [Change(t("changes.item_added", lang, item=named(i))) for i in new if i not in old]
    return lines or [Change(t("changes.order", lang))]


def _shown(value: Any, lang: str) -> str:
    if value is None or value == "":
        return t("workbook.empty", lang)
    if isinstance(value, dict):
        return "; ".join(f"{k} = {v}" for k, v in value.items())
    return str(value)


def _compare_metadata(old: dict, new: dict, lang: str) -> list[Change]:
    lines = []
    rows = zip(METADATA_ROWS, metadata_cells(old), metadata_cells(new), strict=True)
    for (_, label, translated), before, after in rows:
        for key in (LANGS if translated else ("value",)):
            if before.get(key) != after.get(key):
                was, now = _shown(before.get(key), lang), _shown(after.get(key), lang)
                if not translated:
                    lines.append(Change(t("changes.value", lang, field=t(label, lang), old=was,
                                          new=now)))
                    continue
                lines.append(Change(f"{t(label, lang)} ({key})",
                                    [Change(f"− {was}"), Change(f"+ {now}")]))
    if lines:
        return [Change(t("workbook.sheet.metadata", lang), lines)]
    return []


def as_text(changes: list[Change], lang: str) -> str:
    """Return the changes as indented plain text, or a line saying there are none."""
    if not changes:
        return t("changes.none", lang) + "\n"
    return "".join(_text_lines(change, 0) for change in changes)


def _text_lines(change: Change, depth: int) -> str:
    own = "  " * depth + change.text + "\n"
    return own + "".join(_text_lines(child, depth + 1) for child in change.children)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def as_markdown(old: dict[str, dict], new: dict[str, dict], day: str) -> str:
    """Return a change-log entry: the day as a heading, then the changes in fi, sv and en."""
    parts = [f"## {day}\n"]
    for lang in LANGS:
        changes = compare(old, new, lang)
        body = "".join(_markdown_lines(c, 0) for c in changes) or \
            f"- {_escape(t('changes.none', lang))}\n"
        parts.append(f"\n### {lang}\n\n{body}")
    return "".join(parts)


def _markdown_lines(change: Change, depth: int) -> str:
    own = "  " * depth + "- " + _escape(change.text) + "\n"
    return own + "".join(_markdown_lines(child, depth + 1) for child in change.children)


def _escape(text: str) -> str:
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A line's own start would begin a list ("+ new", "2026. …") inside the bullet.
    return re.sub(r"^([+-]|[0-9]+(?=[.)]))", r"\\\1", text)


@dataclass(frozen=True)
class Entry:
    """One change-log entry: its day and its lines (as written, Markdown) per language."""

    day: str
    lines: dict[str, list[str]]


def changelog(path: Path) -> list[Entry]:
    """Return the entries of a change log written by `innomap diff --markdown`, newest first
    as the file has them; none when there is no file."""
    if not path.is_file():
        return []
    entries: list[Entry] = []
    lang = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            entries.append(Entry(line[3:].strip(), {x: [] for x in LANGS}))
            lang = ""
        elif line.startswith("### ") and line[4:].strip() in LANGS:
            lang = line[4:].strip()
        elif entries and lang and line.strip():
            entries[-1].lines[lang].append(line)
    return entries


def changelog_beside(cities_path: str | Path) -> Path:
    """Return where a cities file's change log is: beside it."""
    return Path(cities_path).with_name(CHANGELOG_FILE)
