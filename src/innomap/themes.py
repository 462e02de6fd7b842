"""The two-level theme taxonomy (broad themes → focus areas), loaded from data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from innomap.schema import LANGS, DataError, Problem, describe, read_collection


@dataclass(frozen=True)
class BroadTheme:
    """One of the programme's three broad themes."""

    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class FocusArea:
    """A focus area derived from the priority texts, with the Finnish terms that signal it."""

    id: str
    label: dict[str, str]
    broad_themes: tuple[str, ...]
    terms: tuple[str, ...]

    def matches(self, priorities_fi: str) -> bool:
        """Tell whether a Finnish priority text names this focus area."""
        text = priorities_fi.casefold()
        return any(term in text for term in self.terms)


@dataclass(frozen=True)
class Taxonomy:
    """Broad themes and focus areas in their display order."""

    broad_themes: tuple[BroadTheme, ...]
    focus_areas: tuple[FocusArea, ...]

    @property
    def focus_ids(self) -> tuple[str, ...]:
        """Return focus-area ids in display order."""
        return tuple(f.id for f in self.focus_areas)

    @property
    def broad_ids(self) -> tuple[str, ...]:
        """Return broad-theme ids in display order."""
        return tuple(b.id for b in self.broad_themes)

    def focus_label(self, focus_id: str, lang: str) -> str:
        """Return a focus area's label in a language."""
        return self._focus_by_id()[focus_id].label[lang]

    def broad_label(self, broad_id: str, lang: str) -> str:
        """Return a broad theme's label in a language."""
        return {b.id: b for b in self.broad_themes}[broad_id].label[lang]

    def _focus_by_id(self) -> dict[str, FocusArea]:
        return self._by_id

    @cached_property
    def _by_id(self) -> dict[str, FocusArea]:
        return {f.id: f for f in self.focus_areas}


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Load and check themes.json, raising DataError listing every problem."""
    data = read_collection(path, "themes.json", "INNOMAP_THEMES")
    problems: list[Problem] = []
    broad = tuple(_broad(i, item, problems) for i, item in enumerate(_list(data, "broad_themes",
                                                                             problems)))
    broad_ids = {b.id for b in broad}
    focus = tuple(
        _focus(i, item, broad_ids, problems)
        for i, item in enumerate(_list(data, "focus_areas", problems))
    )
    for kind, items in (("broad_themes", broad), ("focus_areas", focus)):
        ids = [item.id for item in items]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(Problem(kind, "id", "unique ids", describe(dup)))
    if problems:
        raise DataError(path, problems)
    return Taxonomy(broad, focus)


def _list(data: dict, key: str, problems: list[Problem]) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        problems.append(Problem("themes", key, "a non-empty list", describe(value)))
        return []
    return value


def _label(where: str, item: dict, problems: list[Problem]) -> dict[str, str]:
    label = item.get("label")
    if not isinstance(label, dict):
        label = {}
    for lang in LANGS:
        if not isinstance(label.get(lang), str) or not label[lang].strip():
            problems.append(Problem(where, f"label.{lang}", "a non-empty text", "nothing"))
    return {lang: str(label.get(lang, "")) for lang in LANGS}


def _broad(index: int, item: Any, problems: list[Problem]) -> BroadTheme:
    item = item if isinstance(item, dict) else {}
    where = f"broad_themes[{index}] ({item.get('id')})"
    return BroadTheme(str(item.get("id")), _label(where, item, problems))


def _focus(index: int, item: Any, broad_ids: set[str], problems: list[Problem]) -> FocusArea:
    item = item if isinstance(item, dict) else {}
    where = f"focus_areas[{index}] ({item.get('id')})"
    label = _label(where, item, problems)
    broad = item.get("broad_themes")
    # An empty list is allowed: a focus area need not belong to any broad theme.
    if not isinstance(broad, list) or any(b not in broad_ids for b in broad):
        problems.append(Problem(where, "broad_themes", f"a list of ids from {sorted(broad_ids)}",
                                describe(broad)))
        broad = []
    terms = item.get("terms")
    if not isinstance(terms, list) or not all(isinstance(t, str) and t for t in terms):
        problems.append(Problem(where, "terms", "a list of lowercase Finnish terms",
                                describe(terms)))
        terms = []
    return FocusArea(str(item.get("id")), label, tuple(broad),
                     tuple(t.casefold() for t in terms))
