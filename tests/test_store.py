"""DatasetStore: each file version loaded once; a broken edit keeps the last good data."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from innomap import networks, programme
from innomap.citation import data_version
from innomap.cities import DatasetStore, load_dataset
from innomap.schema import DataError
from innomap.shipped import CITIES, THEMES


def rewrite(path, text: str) -> None:
    """Replace a file's contents and make sure its version (mtime) visibly changes."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_a_version_is_loaded_once(write_cities):
    path = write_cities()
    store = DatasetStore()
    first, error = store.get(path, THEMES)
    again, _ = store.get(path, THEMES)
    assert error is None and again is first and len(first.cities) == 20


def test_a_valid_edit_is_picked_up(write_cities, collection):
    path = write_cities()
    store = DatasetStore()
    store.get(path, THEMES)
    smaller = dict(collection, features=collection["features"][:3])
    rewrite(path, json.dumps(smaller))
    dataset, error = store.get(path, THEMES)
    assert error is None and len(dataset.cities) == 3


@pytest.mark.parametrize("broken", ['{"type": "FeatureCollection", "features": [{"ty', "", "[]"])
def test_a_broken_edit_keeps_the_last_good_data_and_says_why(write_cities, broken):
    path = write_cities()
    store = DatasetStore()
    good, _ = store.get(path, THEMES)
    rewrite(path, broken)
    dataset, error = store.get(path, THEMES)
    assert dataset is good
    assert isinstance(error, DataError) and error.path == str(path)


def test_a_broken_file_with_nothing_to_fall_back_on_raises(tmp_path):
    path = tmp_path / "cities.geojson"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="expected valid JSON"):
        DatasetStore().get(path, THEMES)


def test_a_repaired_file_clears_the_warning(write_cities, collection):
    path = write_cities()
    store = DatasetStore()
    store.get(path, THEMES)
    rewrite(path, "{")
    assert store.get(path, THEMES)[1] is not None
    rewrite(path, json.dumps(collection))
    assert store.get(path, THEMES)[1] is None


def test_the_store_passes_its_code_rule_on(write_cities, collection):
    """A store made with unique_codes=False loads a file whose only flaw is a repeated code."""
    code = collection["features"][0]["properties"]["municipality_code"]
    path = write_cities(lambda data: data["features"][1]["properties"].update(
        municipality_code=code))
    with pytest.raises(DataError, match="municipality_code: expected a unique value"):
        DatasetStore().get(path, THEMES)
    dataset, error = DatasetStore(unique_codes=False).get(path, THEMES)
    assert error is None and list(dataset.cities["municipality_code"][:2]) == [code, code]


def test_the_data_version_follows_every_data_file(write_cities, collection, tmp_path):
    shipped = load_dataset(write_cities(), THEMES).version
    assert len(shipped) == 8 and int(shipped, 16) >= 0
    assert load_dataset(write_cities(), THEMES).version == shipped  # same files, same version

    def reword(data):
        data["features"][0]["properties"]["priorities"]["sv"] += "."

    assert load_dataset(write_cities(reword, "edited.geojson"), THEMES).version != shipped
    themes = json.loads(THEMES.read_text(encoding="utf-8"))
    themes["focus_areas"][0]["label"]["sv"] = "Cirkulär ekonomi (ny)"
    relabelled = tmp_path / "themes.json"
    relabelled.write_text(json.dumps(themes), encoding="utf-8")
    assert load_dataset(write_cities(), relabelled).version != shipped


def test_the_readme_describes_the_data_version_as_it_is_made(dataset):
    """The README's Excel section says how long the version is and which files it covers."""
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8").split())
    found = re.search(r"the data version: the first (\d+) hex digits of a SHA-256 over the names "
                      r"and contents of the data files read — (.*?) — so", readme)
    assert found, "README no longer describes the data version"
    assert int(found.group(1)) == len(dataset.version) == 8
    files = [CITIES.name, THEMES.name, networks.FILE_NAME, programme.FILE_NAME]
    assert re.findall(r"`([^`]+)`", found.group(2)) == files
    paths = (CITIES, THEMES, networks.path_beside(CITIES), programme.path_beside(CITIES))
    assert data_version(paths) == dataset.version  # exactly these files, in this order
