#!/usr/bin/env python3
"""Synthetic cities datasets with the real data contract, for benchmarks.

    python benchmarks/synthetic.py N OUT.geojson [--seed S]

Places are sampled uniformly (in lon/lat) inside Finland's region polygons
(data/regions.geojson); each takes the maakunta code and name and the macro-region of the
polygon it falls in (Åland, which has none, counts as "south"). Names, priorities and
intermediate bodies come from the shipped data's texts; names and priorities get a numbered
suffix so that every place is distinct. About 5 % are partner towns of their nearest
ecosystem city, sharing its agreement. Ids are unique slugs.

The contract caps a file at 1,000 places: `municipality_code` must be a unique 3-digit
string, and there are only 1,000 of those. Up to N = 1,000 the output passes
`innomap.schema.validate` as it is; above it the codes repeat (code = index mod 1,000), and it
passes with `unique_codes=False`, the loader's option for such synthetic data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from innomap.schema import validate
from innomap.themes import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CODES = 1000
PARTNER_SHARE = 0.05
ALAND_REGION = "south"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def regions() -> list[dict[str, Any]]:
    """Return Finland's regions: code, names, macro-region and shapely geometry."""
    out = []
    for feature in _json(DATA / "regions.geojson")["features"]:
        props = feature["properties"]
        geometry = shape(feature["geometry"])
        shapely.prepare(geometry)
        out.append({"code": props["code"], "name": props["name"],
                    "macro_region": props["macro_region"] or ALAND_REGION,
                    "geometry": geometry})
    return out


def sample_points(n: int, rng: np.random.Generator,
                  areas: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return n (lon, lat) points uniform in lon/lat inside the regions, and each one's region."""
    bounds = np.array([shapely.bounds(a["geometry"]) for a in areas])
    west, south = bounds[:, 0].min(), bounds[:, 1].min()
    east, north = bounds[:, 2].max(), bounds[:, 3].max()
    lons, lats, owners = [], [], []
    have = 0
    while have < n:
        batch = max(2 * (n - have), 256)
        lon = rng.uniform(west, east, batch)
        lat = rng.uniform(south, north, batch)
        owner = np.full(batch, -1)
        for index, area in enumerate(areas):
            free = owner < 0
            inside = shapely.contains_xy(area["geometry"], lon[free], lat[free])
            owner[np.flatnonzero(free)[inside]] = index
        keep = owner >= 0
        lons.append(lon[keep])
        lats.append(lat[keep])
        owners.append(owner[keep])
        have += int(keep.sum())
    return (np.concatenate(lons)[:n], np.concatenate(lats)[:n], np.concatenate(owners)[:n])


def make(n: int, seed: int = 0) -> dict[str, Any]:
    """Return a synthetic cities FeatureCollection of n places (deterministic per seed)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = np.random.default_rng(seed)
    real = _json(DATA / "cities.geojson")
    templates = [f["properties"] for f in real["features"]]
    focus_ids = [f["id"] for f in _json(DATA / "themes.json")["focus_areas"]]
    bodies = list({json.dumps(p["intermediate_body"], sort_keys=True): p["intermediate_body"]
                   for p in templates}.values())
    areas = regions()
    lons, lats, owners = sample_points(n, rng, areas)
    width = len(str(n))
    picks = rng.integers(len(templates), size=n)
    ids = [f"{templates[int(picks[i])]['id']}-{i + 1:0{width}d}" for i in range(n)]
    # The first place is always an ecosystem city, so every partner town has a lead.
    partner = rng.random(n) < PARTNER_SHARE
    partner[0] = False
    leads = _nearest_leads(lons, lats, partner)
    features = []
    for i in range(n):
        template = templates[int(picks[i])]
        area = areas[int(owners[i])]
        number = i + 1
        lead = ids[leads[i]] if partner[i] else None
        themes = rng.choice(len(focus_ids), size=int(rng.integers(1, 5)), replace=False)
        props = {
            "id": ids[i],
            "municipality_code": f"{i % CODES:03d}",
            "name": {lang: f"{text} {number}" for lang, text in template["name"].items()},
            "role": "partner_town" if partner[i] else "ecosystem_city",
            "agreement": lead if lead else ids[i],
            "lead_city": lead,
            "macro_region": area["macro_region"],
            "maakunta": {"code": area["code"], "name": dict(area["name"])},
            "intermediate_body": dict(bodies[int(rng.integers(len(bodies)))]),
            "priorities": {lang: f"{text} ({number})"
                           for lang, text in template["priorities"].items()},
            "themes": [focus_ids[int(t)] for t in sorted(themes)],
        }
        features.append({
            "type": "Feature", "id": ids[i],
            "geometry": {"type": "Point",
                         "coordinates": [round(float(lons[i]), 5), round(float(lats[i]), 5)]},
            "properties": props,
        })
    metadata = dict(real["metadata"])
    metadata["synthetic"] = {
        "places": n, "seed": seed,
        "note": "Synthetic benchmark data (benchmarks/synthetic.py); not real cities.",
        "repeated_municipality_codes": max(0, n - CODES),
    }
    return {"type": "FeatureCollection", "metadata": metadata, "features": features}


def _nearest_leads(lons: np.ndarray, lats: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Return, for every place, the index of the nearest ecosystem city (for partner towns)."""
    leads = np.arange(len(lons))
    cities = np.flatnonzero(~partner)
    scale = np.cos(np.radians(lats.mean()))
    for i in np.flatnonzero(partner):
        d = ((lons[cities] - lons[i]) * scale) ** 2 + (lats[cities] - lats[i]) ** 2
        leads[i] = cities[int(np.argmin(d))]
    return leads


def write(collection: dict[str, Any], path: Path) -> None:
    """Write a collection as compact UTF-8 GeoJSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of places")
    parser.add_argument("out", type=Path, help="output .geojson file")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    collection = make(args.n, args.seed)
    write(collection, args.out)
    problems = validate(collection, load_taxonomy(DATA / "themes.json").focus_ids,
                        unique_codes=args.n <= CODES)
    print(f"{args.out}: {args.n} places, seed {args.seed}, "
          f"{args.out.stat().st_size / 1024:.0f} KB; " + (
              f"INVALID: {problems[0]}" if problems else "valid" + (
                  "" if args.n <= CODES else " with unique_codes=False (repeated codes)")))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
