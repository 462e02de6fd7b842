"""The programme's facts beyond the source text, each with the pages that state it.

`load_programme` reads programme.json (beside the cities file) and returns every problem at
once. A fact's sentences are innomap's own, in fi/sv/en; its dates and euro amounts are data,
named in the sentences as {placeholders} and written the way each language writes them.

A fact that names a body which has since ceased (the ELY Centres ended on 1.1.2026) gives the
last day it describes (`until`) and a dated `note` of the change with the pages that state it.
"""

from __future__ import annotations

import math
import string
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from innomap.i18n import format_date, format_eur
from innomap.schema import (
    LANGS,
    SLUG,
    DataError,
    Problem,
    check_translations,
    check_urls,
    describe,
    read_collection,
)

FILE_NAME = "programme.json"
TOPICS = ("names", "dates", "counts", "money", "legal_basis", "governance", "networks",
          "predecessors")
STATUSES = ("confirmed", "unconfirmed")
FIELDS = ("id", "topic", "text", "sources", "status")
OPTIONAL_FIELDS = ("dates", "amounts", "until", "note")
NOTE_FIELDS = ("date", "text", "sources")


@dataclass(frozen=True)
class Note:
    """A dated change since the fact's period: its date, its text per language, its pages."""

    date: str
    text: dict[str, str]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """One fact: its topic, its sentence per language, its values, its sources and status."""

    id: str
    topic: str
    text: dict[str, str]
    sources: tuple[str, ...]
    status: str
    dates: dict[str, str]
    amounts: dict[str, float]
    until: str | None = None
    note: Note | None = None

    def sentence(self, lang: str) -> str:
        """Return the fact in a language, its dates and amounts written out."""
        values = {name: format_date(iso, lang) for name, iso in self.dates.items()}
        values |= {name: format_eur(eur, lang) for name, eur in self.amounts.items()}
        return self.text[lang].format(**values)


def path_beside(cities_path: str | Path) -> Path:
    """Return where the programme facts of a cities file are: beside it."""
    return Path(cities_path).with_name(FILE_NAME)


def load_programme(path: str | Path) -> tuple[Fact, ...]:
    """Load and check a programme facts file; raise DataError listing every problem."""
    data = read_collection(path, FILE_NAME, "the cities file's folder")
    problems = validate(data)
    if problems:
        raise DataError(path, problems)
    return tuple(Fact(f["id"], f["topic"], dict(f["text"]), tuple(f["sources"]), f["status"],
                      dict(f.get("dates", {})), dict(f.get("amounts", {})), f.get("until"),
                      _note(f["note"]) if "note" in f else None)
                 for f in data["facts"])


def _note(note: dict[str, Any]) -> Note:
    return Note(note["date"], dict(note["text"]), tuple(note["sources"]))


def validate(data: dict[str, Any]) -> list[Problem]:
    """Return every problem in a parsed programme facts file (empty when it is valid)."""
    facts = data.get("facts")
    problems = [Problem("file", key, 'only "facts"', "an unknown member")
                for key in sorted(data.keys() - {"facts"})]
    if not isinstance(facts, list) or not facts:
        return [*problems, Problem("file", "facts", "a non-empty list of facts", describe(facts))]
    seen: dict[str, int] = {}
    for index, fact in enumerate(facts):
        ident = fact.get("id") if isinstance(fact, dict) else None
        where = f"facts[{index}] ({ident})" if isinstance(ident, str) else f"facts[{index}]"
        if not isinstance(fact, dict):
            problems.append(Problem(where, "", "an object", describe(fact)))
            continue
        problems.extend(_check_fact(where, fact))
        if isinstance(ident, str) and ident in seen:
            problems.append(Problem(where, "id", f"a unique id (already used by "
                                                 f"facts[{seen[ident]}])", describe(ident)))
        elif isinstance(ident, str):
            seen[ident] = index
    return problems


def _check_fact(where: str, fact: dict) -> Iterator[Problem]:
    for field in FIELDS:
        if field not in fact:
            yield Problem(where, field, "a value (field is required)", "nothing")
    for field in sorted(fact.keys() - set(FIELDS) - set(OPTIONAL_FIELDS)):
        yield Problem(where, field, f"only known fields ({', '.join(FIELDS + OPTIONAL_FIELDS)})",
                      "an unknown field")
    if "id" in fact and (not isinstance(fact["id"], str) or not SLUG.match(fact["id"])):
        yield Problem(where, "id", 'a lowercase ASCII slug like "agreements_signed"',
                      describe(fact["id"]))
    if "topic" in fact and fact["topic"] not in TOPICS:
        yield Problem(where, "topic", "one of " + ", ".join(TOPICS), describe(fact["topic"]))
    if "status" in fact and fact["status"] not in STATUSES:
        yield Problem(where, "status", 'one of "confirmed", "unconfirmed"',
                      describe(fact["status"]))
    if "sources" in fact:
        yield from check_urls(where, "sources", fact["sources"])
    names = yield from _check_values(where, fact)
    if "text" in fact:
        yield from check_translations(where, "text", fact["text"])
        yield from _check_placeholders(where, fact["text"], names)
    yield from _check_period(where, fact)


def _check_period(where: str, fact: dict) -> Iterator[Problem]:
    """Check `until` (the last day the fact describes) and the dated `note` that goes with it."""
    until, note = fact.get("until"), fact.get("note")
    if "until" in fact and not _is_iso_date(until):
        yield Problem(where, "until", 'the last day the fact describes, an ISO date like '
                      '"2025-12-31"', describe(until))
    if "note" not in fact:
        return
    if not isinstance(note, dict):
        yield Problem(where, "note", 'an object {"date": ISO date, "text": {fi, sv, en}, '
                      '"sources": [URLs]}', describe(note))
        return
    if "until" not in fact:
        yield Problem(where, "until", "the last day the fact describes (a fact with a note "
                      "gives its period)", "nothing")
    for field in NOTE_FIELDS:
        if field not in note:
            yield Problem(where, f"note.{field}", "a value (field is required)", "nothing")
    for field in sorted(note.keys() - set(NOTE_FIELDS)):
        yield Problem(where, f"note.{field}", f"only known fields ({', '.join(NOTE_FIELDS)})",
                      "an unknown field")
    day = note.get("date")
    if "date" in note and not _is_iso_date(day):
        yield Problem(where, "note.date", 'the day of the change, an ISO date like "2026-01-01"',
                      describe(day))
    elif "date" in note and _is_iso_date(until) and str(day) <= str(until):
        yield Problem(where, "note.date", f"a day after until ({until})", describe(day))
    if "text" in note:
        yield from check_translations(where, "note.text", note["text"])
    if "sources" in note:
        yield from check_urls(where, "note.sources", note["sources"])


def _check_values(where: str, fact: dict) -> Generator[Problem, None, set[str]]:
    """Check the dates and amounts; return the names the texts may use."""
    names: set[str] = set()
    for field, good, expected in (("dates", _is_iso_date, 'an ISO date like "2021-02-09"'),
                                  ("amounts", _is_amount, "a positive number of euros")):
        values = fact.get(field, {})
        if not isinstance(values, dict):
            yield Problem(where, field, "an object {name: value}", describe(values))
            continue
        for name, value in values.items():
            names.add(name)
            if not good(value):
                yield Problem(where, f"{field}.{name}", expected, describe(value))
    return names


def _check_placeholders(where: str, text: Any, names: set[str]) -> Iterator[Problem]:
    if not isinstance(text, dict):
        return
    for lang in LANGS:
        if not isinstance(text.get(lang), str):
            continue
        try:
            used = {field for _, field, _, _ in string.Formatter().parse(text[lang]) if field}
        except ValueError as err:
            yield Problem(where, f"text.{lang}", "text whose braces name a value", str(err))
            continue
        if used != names:
            yield Problem(where, f"text.{lang}", f"placeholders {sorted(names)} (each value once "
                          "or more, nothing else)", describe(sorted(used)))


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and len(value) == 10


def _is_amount(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)
