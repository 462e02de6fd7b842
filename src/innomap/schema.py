"""Validate a cities FeatureCollection against the data contract (stdlib only).

`validate` returns every problem at once, each naming the feature (index and id), the
field, what was expected and what was found, so that an editor can fix a file in one pass.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

LANGS = ("fi", "sv", "en")
ROLES = ("ecosystem_city", "partner_town")
MACRO_REGIONS = ("south", "west", "east", "north")
FIELDS = (
    "id",
    "municipality_code",
    "name",
    "role",
    "agreement",
    "lead_city",
    "macro_region",
    "maakunta",
    "intermediate_body",
    "priorities",
    "themes",
)
# Optional: the pages each city's facts come from (the shipped file gives every city some), and
# priorities that a page other than the programme text names, each with that page.
OPTIONAL_FIELDS = ("sources", "additional_priorities")
TEXT_FIELDS = ("name", "intermediate_body", "priorities")
# Mainland Finland and Åland with a margin; a point outside is a typo or swapped lat/lon.
FINLAND_LON = (19.0, 31.7)
FINLAND_LAT = (59.4, 70.2)
MAX_FILE_BYTES = 20 * 1024 * 1024

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MUNICIPALITY_CODE = re.compile(r"^[0-9]{3}$")
MAAKUNTA_CODE = re.compile(r"^[0-9]{2}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# A web page: http(s), a host, no spaces or quotes (the address becomes a link's href).
HTTPS_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#][^\s\"'<>]*)?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where, which field, what was expected, what was found."""

    where: str
    field: str
    expected: str
    found: str

    @property
    def place(self) -> str:
        """Return where and field as one path ("features[7] (oulu).geometry"; "file")."""
        return f"{self.where}.{self.field}" if self.field else self.where

    def __str__(self) -> str:
        return f"{self.place}: expected {self.expected}, got {self.found}"


# A check of one value: (where, field, value) -> the problems it finds.
Check = Callable[[str, str, Any], Iterator[Problem]]


class DataError(Exception):
    """The data file cannot be used; `problems` lists every reason."""

    def __init__(self, path: str | Path, problems: list[Problem]) -> None:
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: {count_problems(len(problems))}\n{lines}")


def count_problems(count: int) -> str:
    """Return "1 problem" or "N problems" (English, for the CLI and logs)."""
    return f"{count} problem" if count == 1 else f"{count} problems"


def describe(value: Any) -> str:
    """Render a found value briefly for a message."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def read_collection(path: str | Path, what: str = "GeoJSON",
                    setting: str = "INNOMAP_DATA") -> dict[str, Any]:
    """Read a JSON file into a dict, raising DataError with a fix-it message on any failure.

    `what` names the file's kind and `setting` the environment variable that points to another
    file, for the messages.
    """
    path = Path(path)

    def fail(expected: str, found: str) -> DataError:
        return DataError(path, [Problem("file", "", expected, found)])

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise fail(f"an existing {what} file (set {setting} or pass a path)",
                   "no such file") from None
    except OSError as err:
        raise fail("a readable file", err.strerror or str(err)) from None
    if size > MAX_FILE_BYTES:
        raise fail(f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB", f"{size / 1024 / 1024:.1f} MB")
    if size == 0:
        raise fail(f"a {what} file", "an empty file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail("UTF-8 text (save the file as UTF-8)",
                   f"a non-UTF-8 byte at offset {err.start}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise fail("valid JSON",
                   f"{err.msg} at line {err.lineno} column {err.colno}") from None
    if not isinstance(data, dict):
        raise fail(f"a JSON object (a {what} file's top level)", type(data).__name__)
    return data


def validate(collection: dict[str, Any], theme_ids: Collection[str],
             unique_codes: bool = True) -> list[Problem]:
    """Return every problem in a cities FeatureCollection (empty when it is valid).

    unique_codes=False accepts repeated municipality codes, and only that: there are 1,000
    three-digit codes, so synthetic data sets of more places (benchmarks) must repeat them.
    """
    problems: list[Problem] = []
    if collection.get("type") != "FeatureCollection":
        problems.append(
            Problem("collection", "type", '"FeatureCollection"', describe(collection.get("type")))
        )
    problems.extend(_check_metadata(collection))
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        problems.append(Problem("collection", "features", "a non-empty list", describe(features)))
        return problems
    for index, feature in enumerate(features):
        problems.extend(_check_feature(index, feature, theme_ids))
    problems.extend(_check_across(features, unique_codes))
    return problems


def _where(index: int, feature: Any) -> str:
    props = feature.get("properties") if isinstance(feature, dict) else None
    ident = props.get("id") if isinstance(props, dict) else None
    return f"features[{index}] ({ident})" if isinstance(ident, str) else f"features[{index}]"


def _check_feature(index: int, feature: Any, theme_ids: Collection[str]) -> Iterator[Problem]:
    where = _where(index, feature)
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        yield Problem(where, "type", '"Feature"', describe(feature))
        return
    yield from _check_geometry(where, feature.get("geometry"))
    props = feature.get("properties")
    if not isinstance(props, dict):
        yield Problem(where, "properties", "an object", describe(props))
        return
    for field in FIELDS:
        if field not in props:
            yield Problem(where, field, "a value (field is required)", "nothing")
    for field in props.keys() - set(FIELDS) - set(OPTIONAL_FIELDS):
        yield Problem(where, field, f"only known fields ({', '.join(FIELDS + OPTIONAL_FIELDS)})",
                      "an unknown field")
    yield from _check_properties(where, props, theme_ids)


def _check_geometry(where: str, geometry: Any) -> Iterator[Problem]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        yield Problem(where, "geometry", "a Point", describe(geometry))
        return
    coords: Any = geometry.get("coordinates")
    numbers = isinstance(coords, list) and len(coords) == 2
    numbers = numbers and all(
        isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in coords
    )
    if not numbers:
        yield Problem(where, "geometry", "[lon, lat] as two finite numbers", describe(coords))
        return
    lon, lat = coords
    if _in_finland(lon, lat):
        return
    hint = " (swapped? GeoJSON wants [lon, lat])" if _in_finland(lat, lon) else ""
    yield Problem(where, "geometry", "[lon, lat] inside Finland", f"[{lon}, {lat}]{hint}")


def _in_finland(lon: float, lat: float) -> bool:
    return FINLAND_LON[0] <= lon <= FINLAND_LON[1] and FINLAND_LAT[0] <= lat <= FINLAND_LAT[1]


def _check_properties(where: str, props: dict, theme_ids: Collection[str]) -> Iterator[Problem]:
    checks = {
        "id": _check_pattern(SLUG, "a lowercase ASCII slug like \"jyvaskyla\""),
        "municipality_code": _check_pattern(MUNICIPALITY_CODE, 'a 3-digit string like "091"'),
        "agreement": _check_pattern(SLUG, "an agreement id slug"),
        "role": _check_choice(ROLES),
        "macro_region": _check_choice(MACRO_REGIONS),
    }
    for field, check in checks.items():
        if field in props:
            yield from check(where, field, props[field])
    for field in TEXT_FIELDS:
        if field in props:
            yield from check_translations(where, field, props[field])
    if "maakunta" in props:
        yield from _check_maakunta(where, props["maakunta"])
    if "sources" in props:
        yield from check_urls(where, "sources", props["sources"])
    if "additional_priorities" in props:
        yield from _check_cited_text(where, "additional_priorities", props["additional_priorities"])
    if "themes" in props:
        yield from _check_themes(where, props["themes"], theme_ids)
    if "lead_city" in props and "role" in props:
        yield from _check_lead_shape(where, props["role"], props["lead_city"])


def _check_pattern(pattern: re.Pattern, expected: str) -> Check:
    def check(where: str, field: str, value: Any) -> Iterator[Problem]:
        if not isinstance(value, str) or not pattern.match(value):
            yield Problem(where, field, expected, describe(value))

    return check


def _check_choice(choices: tuple[str, ...]) -> Check:
    def check(where: str, field: str, value: Any) -> Iterator[Problem]:
        if value not in choices:
            yield Problem(where, field, "one of " + ", ".join(f'"{c}"' for c in choices),
                          describe(value))

    return check


def check_translations(where: str, field: str, value: Any) -> Iterator[Problem]:
    """Yield a problem per missing, empty or unknown language of a {fi, sv, en} text."""
    if not isinstance(value, dict):
        yield Problem(where, field, "an object with fi, sv and en texts", describe(value))
        return
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            yield Problem(where, f"{field}.{lang}", "a non-empty text (missing translation)",
                          describe(text) if lang in value else "nothing")
    for lang in value.keys() - set(LANGS):
        yield Problem(where, f"{field}.{lang}", "only fi, sv and en", "an unknown language")


def check_urls(where: str, field: str, value: Any) -> Iterator[Problem]:
    """Yield a problem unless value is a non-empty list of distinct web page addresses."""
    if not isinstance(value, list) or not value:
        yield Problem(where, field, "a non-empty list of source URLs", describe(value))
        return
    for position, url in enumerate(value):
        yield from _check_url(where, f"{field}[{position}]", url)
    if len(set(map(str, value))) != len(value):
        yield Problem(where, field, "each URL once", describe(value))


def _check_cited_text(where: str, field: str, value: Any) -> Iterator[Problem]:
    if not isinstance(value, dict) or set(value) != {"text", "source"}:
        yield Problem(where, field, "an object {text: {fi, sv, en}, source: URL}", describe(value))
        return
    yield from check_translations(where, f"{field}.text", value["text"])
    yield from _check_url(where, f"{field}.source", value["source"])


def _check_maakunta(where: str, value: Any) -> Iterator[Problem]:
    if not isinstance(value, dict):
        yield Problem(where, "maakunta", "an object {code, name}", describe(value))
        return
    code = value.get("code")
    if not isinstance(code, str) or not MAAKUNTA_CODE.match(code):
        yield Problem(where, "maakunta.code", 'a 2-digit string like "01"', describe(code))
    yield from check_translations(where, "maakunta.name", value.get("name"))


def _check_themes(where: str, value: Any, theme_ids: Collection[str]) -> Iterator[Problem]:
    if not isinstance(value, list) or not value:
        yield Problem(where, "themes", "a non-empty list of focus-area ids", describe(value))
        return
    for position, theme in enumerate(value):
        if theme not in theme_ids:
            yield Problem(where, f"themes[{position}]", "a focus-area id from themes.json",
                          describe(theme))
    if len(set(map(str, value))) != len(value):
        yield Problem(where, "themes", "each focus area once", describe(value))


def _check_lead_shape(where: str, role: Any, lead: Any) -> Iterator[Problem]:
    if role == "ecosystem_city" and lead is not None:
        yield Problem(where, "lead_city", "null for an ecosystem city", describe(lead))
    if role == "partner_town" and not isinstance(lead, str):
        yield Problem(where, "lead_city", "the id of the lead city for a partner town",
                      describe(lead))


def _check_across(features: list, unique_codes: bool) -> Iterator[Problem]:
    props = [
        (index, f["properties"]) for index, f in enumerate(features)
        if isinstance(f, dict) and isinstance(f.get("properties"), dict)
    ]
    yield from _check_unique(props, "id")
    if unique_codes:
        yield from _check_unique(props, "municipality_code")
    cities = {p.get("id"): p for _, p in props if p.get("role") == "ecosystem_city"}
    for index, p in props:
        lead = p.get("lead_city")
        if p.get("role") != "partner_town" or not isinstance(lead, str):
            continue
        where = f"features[{index}] ({p.get('id')})"
        if lead not in cities:
            yield Problem(where, "lead_city", "the id of an ecosystem city in this file",
                          describe(lead))
        elif cities[lead].get("agreement") != p.get("agreement"):
            expected = f"its lead city's agreement {describe(cities[lead].get('agreement'))}"
            yield Problem(where, "agreement", expected, describe(p.get("agreement")))


def _check_unique(props: list[tuple[int, dict]], field: str) -> Iterator[Problem]:
    first: dict[Any, int] = {}
    for index, p in props:
        value = p.get(field)
        if not isinstance(value, str):
            continue
        if value in first:
            yield Problem(f"features[{index}] ({p.get('id')})", field,
                          f"a unique value (already used by features[{first[value]}])",
                          describe(value))
        else:
            first[value] = index


def _check_metadata(collection: dict[str, Any]) -> Iterator[Problem]:
    """Yield a problem per member of `metadata` the page or an export reads that is unusable."""
    if "metadata" in collection:
        yield from _check_members("collection", "metadata", collection["metadata"], METADATA)
    else:
        yield Problem("collection", "metadata", _an_object_with(METADATA), "nothing")


def _an_object_with(checks: dict[str, Check]) -> str:
    return "an object with " + ", ".join(checks)


def _check_members(where: str, field: str, value: Any,
                   checks: dict[str, Check]) -> Iterator[Problem]:
    """Yield the problems of an object whose every member in `checks` is required."""
    if not isinstance(value, dict):
        yield Problem(where, field, _an_object_with(checks), describe(value))
        return
    for name, check in checks.items():
        if name in value:
            yield from check(where, f"{field}.{name}", value[name])
        else:
            yield Problem(where, f"{field}.{name}", "a value (field is required)", "nothing")


def _check_text(where: str, field: str, value: Any) -> Iterator[Problem]:
    if not isinstance(value, str) or not value.strip():
        yield Problem(where, field, "a non-empty text", describe(value))


def _check_iso_date(where: str, field: str, value: Any) -> Iterator[Problem]:
    if not _is_iso_date(value):
        yield Problem(where, field, 'an ISO date like "2026-11-27"', describe(value))


def _is_iso_date(value: Any) -> bool:
    # The pattern first: fromisoformat alone also takes "20261127" and "2026-W48-5".
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return False
    return True


_check_url = _check_pattern(HTTPS_URL, "an http(s):// URL")
# Every member of `metadata` that the page, the citation and the exports read, and its check.
METADATA: dict[str, Check] = {
    "title": check_translations,
    "programme": check_translations,
    "source": partial(_check_members, checks={"title": _check_text,
                                              "publisher": check_translations,
                                              "url": _check_url, "retrieved": _check_iso_date}),
    "licence": partial(_check_members, checks={"name": _check_text, "url": _check_url}),
    "attribution": check_translations,
}
