"""Load the validated cities file into a GeoDataFrame with one flat column per value."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from innomap.schema import LANGS, DataError, read_collection, validate
from innomap.themes import Taxonomy, load_taxonomy

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_CITIES = DATA_DIR / "cities.geojson"
DEFAULT_THEMES = DATA_DIR / "themes.json"
CRS = "EPSG:4326"


@dataclass(frozen=True)
class Dataset:
    """The cities, the taxonomy they use and the file's provenance block."""

    cities: gpd.GeoDataFrame
    taxonomy: Taxonomy
    metadata: dict[str, Any]
    path: str

    def city_name(self, city_id: str, lang: str) -> str:
        """Return a city's name in a language, or the id itself if it is unknown."""
        row = self.cities.loc[self.cities["id"] == city_id]
        return str(row.iloc[0][f"name_{lang}"]) if len(row) else city_id

    def bodies(self, lang: str) -> dict[str, str]:
        """Return intermediate bodies as {id: label}, in the order they first appear."""
        pairs = zip(self.cities["body"], self.cities[f"body_{lang}"], strict=True)
        return dict(pairs)


def data_paths() -> tuple[Path, Path]:
    """Return the cities and themes files, honouring INNOMAP_DATA and INNOMAP_THEMES."""
    cities = os.environ.get("INNOMAP_DATA") or DEFAULT_CITIES
    themes = os.environ.get("INNOMAP_THEMES") or DEFAULT_THEMES
    return Path(cities), Path(themes)


def load_dataset(cities_path: str | Path | None = None,
                 themes_path: str | Path | None = None) -> Dataset:
    """Load, validate and flatten the data; raise DataError listing every problem."""
    default_cities, default_themes = data_paths()
    cities_path = Path(cities_path or default_cities)
    taxonomy = load_taxonomy(themes_path or default_themes)
    collection = read_collection(cities_path)
    problems = validate(collection, taxonomy.focus_ids)
    if problems:
        raise DataError(cities_path, problems)
    frame = gpd.GeoDataFrame(
        [_flatten(f) for f in collection["features"]], geometry="geometry", crs=CRS
    )
    return Dataset(frame, taxonomy, collection["metadata"], str(cities_path))


def slugify(text: str) -> str:
    """Turn a label into a URL-safe ASCII id ("Pohjois-Savon liitto" → "pohjois-savon-liitto")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


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
        "lon": float(lon),
        "lat": float(lat),
        "geometry": Point(lon, lat),
    }
    for lang in LANGS:
        row[f"name_{lang}"] = props["name"][lang]
        row[f"maakunta_{lang}"] = props["maakunta"]["name"][lang]
        row[f"body_{lang}"] = props["intermediate_body"][lang]
        row[f"priorities_{lang}"] = props["priorities"][lang]
    return row


__all__ = ["DataError", "Dataset", "data_paths", "load_dataset", "slugify"]
