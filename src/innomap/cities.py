"""Load the validated cities file into a GeoDataFrame with one flat column per value."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import geopandas as gpd
from shapely.geometry import Point

from innomap.citation import data_version
from innomap.networks import Network, load_networks, memberships
from innomap.networks import path_beside as networks_beside
from innomap.programme import Fact, load_programme
from innomap.programme import path_beside as programme_beside
from innomap.schema import LANGS, DataError, read_collection, validate
from innomap.themes import Taxonomy, load_taxonomy

CRS = "EPSG:4326"
T = TypeVar("T")


class CityRow(Protocol):
    """One city as a row of the flat table (`itertuples`): the columns `_flatten` makes.

    The texts in each language (name_fi, body_sv, priorities_en, …) are read as
    getattr(row, f"name_{lang}").
    """

    id: str
    municipality_code: str
    role: str
    agreement: str
    # The lead city's id for a partner town, "" for an ecosystem city.
    lead_city: str
    macro_region: str
    maakunta_code: str
    # The intermediate body's id (its Finnish name, slugified).
    body: str
    themes: tuple[str, ...]
    sources: tuple[str, ...]
    # The ids of the networks the city belongs to.
    networks: tuple[str, ...]
    lat: float
    lon: float
    additional_source: str

    def _asdict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Dataset:
    """The cities, the taxonomy they use and the file's provenance block."""

    cities: gpd.GeoDataFrame
    taxonomy: Taxonomy
    metadata: dict[str, Any]
    path: str
    # The lead-theme networks (from networks.json beside the cities file; none without it).
    networks: tuple[Network, ...] = ()
    # The programme's facts with their sources (from programme.json beside the cities file).
    programme: tuple[Fact, ...] = ()
    # A fingerprint of the data files' contents, for citations.
    version: str = ""
    # Row lookups by id: pandas indexing per row is far too slow for per-rerun use.
    by_id: dict[str, CityRow] = field(default_factory=dict, compare=False, repr=False)
    # Values derived once per dataset (e.g. per-language texts), filled in by their users.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def city_name(self, city_id: str, lang: str) -> str:
        """Return a city's name in a language, or the id itself if it is unknown."""
        row = self.by_id.get(city_id)
        return str(getattr(row, f"name_{lang}")) if row is not None else city_id

    def agreement_name(self, agreement: str, lang: str) -> str:
        """Return an agreement's name: its cities, partner municipalities in brackets."""
        names = self.derive(("agreement_names", lang), lambda: _agreement_names(self, lang))
        return names.get(agreement, agreement)

    def bodies(self, lang: str) -> dict[str, str]:
        """Return intermediate bodies as {id: label}, in the order they first appear."""
        return self.derive(("bodies", lang), lambda: dict(zip(
            self.cities["body"].tolist(), self.cities[f"body_{lang}"].tolist(), strict=True)))

    def derive(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the value derived under key, building it on first use (once per dataset)."""
        # Reruns read these per interaction; a dataset never changes after loading.
        if key not in self.memo:
            self.memo[key] = build()
        value: T = self.memo[key]
        return value


    def network(self, network_id: str) -> Network | None:
        """Return the network with this id, or None."""
        return next((n for n in self.networks if n.id == network_id), None)

    @property
    def mapped_networks(self) -> tuple[Network, ...]:
        """Return the networks whose members are confirmed (those the map may show)."""
        return tuple(n for n in self.networks if n.mapped)


def load_dataset(cities_path: str | Path, themes_path: str | Path,
                 unique_codes: bool = True) -> Dataset:
    """Load, validate and flatten the data and its companion files; raise DataError listing
    every problem of the first file that has any.

    unique_codes=False accepts repeated municipality codes (see schema.validate).
    """
    cities_path = Path(cities_path)
    taxonomy = load_taxonomy(themes_path)
    collection = read_collection(cities_path)
    problems = validate(collection, taxonomy.focus_ids, unique_codes)
    if problems:
        raise DataError(cities_path, problems)
    networks = _companion(networks_beside(cities_path), lambda path: load_networks(
        path, {f["properties"]["id"] for f in collection["features"]}), ())
    programme = _companion(programme_beside(cities_path), load_programme, ())
    member_of = memberships(networks)
    frame = gpd.GeoDataFrame(
        [_flatten(f) | {"networks": member_of.get(f["properties"]["id"], ())}
         for f in collection["features"]], geometry="geometry", crs=CRS
    )
    by_id = {row.id: row for row in frame.itertuples(index=False)}
    version = data_version((cities_path, Path(themes_path), *companion_paths(cities_path)))
    return Dataset(frame, taxonomy, collection["metadata"], str(cities_path), networks,
                   programme, version, by_id)


def _companion(path: Path, load: Any, default: Any) -> Any:
    """Load a file that accompanies the cities file, or return default when there is none."""
    return load(path) if path.exists() else default


def companion_paths(cities_path: str | Path) -> tuple[Path, ...]:
    """Return the files read with a cities file (for telling when any of them changed)."""
    return networks_beside(cities_path), programme_beside(cities_path)


def _agreement_names(dataset: Dataset, lang: str) -> dict[str, str]:
    cities: dict[str, list[str]] = {}
    partners: dict[str, list[str]] = {}
    for row in dataset.by_id.values():
        kind = partners if row.role == "partner_town" else cities
        kind.setdefault(row.agreement, []).append(getattr(row, f"name_{lang}"))
        cities.setdefault(row.agreement, [])
    return {agreement: ", ".join(names) + (f" ({', '.join(partners[agreement])})"
                                           if agreement in partners else "")
            for agreement, names in cities.items()}


def file_version(*paths: Path) -> tuple:
    """Return what identifies the files' current contents: (mtime, size, inode) per file."""
    stats: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            stat = Path(path).stat()
            stats.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
        except OSError:
            stats.append(None)
    return tuple(stats)


class DatasetStore:
    """Load each version of the data once, and keep serving the last good one if it breaks.

    An edited file is picked up on the next call. A broken one (invalid, half-written) is
    reported through the returned error while the previous good dataset stays in use.
    """

    def __init__(self, unique_codes: bool = True) -> None:
        self._unique_codes = unique_codes
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[tuple, Dataset | None, DataError | None]] = {}

    def get(self, cities_path: Path, themes_path: Path) -> tuple[Dataset, DataError | None]:
        """Return the dataset and, if the files on disk are broken, the error it falls back on.

        Raise DataError when there is no good version to fall back on.
        """
        key = (str(cities_path), str(themes_path))
        version = file_version(cities_path, themes_path, *companion_paths(cities_path))
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                entry = self._load(version, cities_path, themes_path, entry, self._unique_codes)
                self._entries[key] = entry
        _, dataset, error = entry
        if dataset is None:
            assert error is not None
            raise error
        return dataset, error

    @staticmethod
    def _load(version: tuple, cities_path: Path, themes_path: Path, previous: tuple | None,
              unique_codes: bool) -> tuple[tuple, Dataset | None, DataError | None]:
        try:
            return version, load_dataset(cities_path, themes_path, unique_codes), None
        except DataError as err:
            return version, previous[1] if previous else None, err


def slugify(text: str) -> str:
    """Turn a label into a URL-safe ASCII id ("Pohjois-Savon liitto" → "pohjois-savon-liitto")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def fold(text: str) -> str:
    """Normalise text for search: case-folded, NFKC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _flatten(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    row: dict[str, Any] = {
        "id": props["id"],
        "municipality_code": props["municipality_code"],
        "role": props["role"],
        "agreement": props["agreement"],
        "lead_city": props["lead_city"] or "",
        "macro_region": props["macro_region"],
        "maakunta_code": props["maakunta"]["code"],
        "body": slugify(props["intermediate_body"]["fi"]),
        "themes": tuple(props["themes"]),
        "sources": tuple(props.get("sources", ())),
        "lon": float(lon),
        "lat": float(lat),
        "geometry": Point(lon, lat),
    }
    # Priorities from a page other than the programme text (Helsinki's fourth), with that page.
    more = props.get("additional_priorities") or {"text": dict.fromkeys(LANGS, ""), "source": ""}
    row["additional_source"] = more["source"]
    for lang in LANGS:
        row[f"additional_{lang}"] = more["text"][lang]
        row[f"name_{lang}"] = props["name"][lang]
        row[f"maakunta_{lang}"] = props["maakunta"]["name"][lang]
        row[f"body_{lang}"] = props["intermediate_body"][lang]
        row[f"priorities_{lang}"] = props["priorities"][lang]
    # What free-text search looks in: every name and every priority text, normalised once.
    texts = [row[f"{kind}_{lang}"] for kind in ("name", "priorities", "additional")
             for lang in LANGS]
    row["search"] = " | ".join(fold(text) for text in texts if text)
    return row


__all__ = ["DataError", "Dataset", "DatasetStore", "file_version",
           "load_dataset", "slugify"]
