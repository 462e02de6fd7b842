"""Shared fixtures: the shipped dataset and small factories for edited copies of it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from innomap.cities import DEFAULT_CITIES, Dataset, load_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """Return the shipped data, loaded and validated."""
    return load_dataset()


@pytest.fixture(scope="session")
def broad_of(dataset: Dataset) -> dict[str, set[str]]:
    """Map each focus area to its broad themes."""
    return {f.id: set(f.broad_themes) for f in dataset.taxonomy.focus_areas}


@pytest.fixture(scope="session")
def collection() -> dict:
    """Return the shipped cities file as parsed JSON (do not mutate; copy first)."""
    return json.loads(DEFAULT_CITIES.read_text(encoding="utf-8"))


@pytest.fixture
def write_cities(tmp_path: Path, collection: dict) -> Callable[..., Path]:
    """Write an edited copy of the shipped cities file and return its path."""

    def write(edit: Callable[[dict], object] | None = None, name: str = "cities.geojson") -> Path:
        data = copy.deepcopy(collection)
        if edit is not None:
            edit(data)
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
