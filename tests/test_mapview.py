"""The map builder: the right cities, escaped text, and only the app's own assets."""

from __future__ import annotations

import json
import re

import pytest

from innomap.assets import LEAFLET_DIR, install_static
from innomap.cities import load_dataset
from innomap.filters import Filters
from innomap.mapview import (
    FINLAND_BOUNDS,
    REGION_COLOURS,
    build_city_layer,
    build_map,
    city_features,
    escape,
    popup_html,
)

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>`${alert(3)}`\\u0041\"'"


def rendered(folium_map) -> str:
    """Return the full standalone HTML page of a map."""
    return folium_map.get_root().render()


def layer_features(html: str) -> list[dict]:
    """Return the features that the CityLayer script hands to L.geoJSON."""
    match = re.search(r"city_layer_\w+ = L\.geoJSON\((\{.*?\}), \{\s*pointToLayer", html, re.S)
    assert match, "no city layer in the rendered map"
    return json.loads(match.group(1))["features"]


@pytest.mark.parametrize("filters", [Filters(), Filters(focus=("circular_economy",)),
                                     Filters(region=("north",), partners=False),
                                     Filters(q="nothing matches this")], ids=repr)
def test_rendered_map_holds_exactly_the_filtered_cities(dataset, broad_of, filters):
    rows = filters.apply(dataset.cities, broad_of)
    features = layer_features(rendered(build_map(rows, dataset, "en")))
    assert [f["properties"]["id"] for f in features] == list(rows["id"])


def test_partner_towns_are_hollow_smaller_and_joined_to_their_lead(dataset):
    features = {f["properties"]["id"]: f["properties"]["style"]
                for f in city_features(dataset.cities, dataset, "fi")}
    assert features["imatra"]["fillColor"] == "#ffffff"
    assert features["imatra"]["radius"] < features["lappeenranta"]["radius"]
    assert features["lappeenranta"]["fillColor"] == REGION_COLOURS["south"]
    html = rendered(build_map(dataset.cities, dataset, "fi"))
    assert html.count("innomap-partner-line") == 2


def test_popup_shows_priorities_chips_body_and_agreement(dataset):
    row = next(dataset.cities.loc[dataset.cities["id"] == "kajaani"].itertuples(index=False))
    popup = popup_html(row, dataset, "en")
    assert escape(row.priorities_en) in popup
    assert '<span class="innomap-chip">Photonics and measurement technology</span>' in popup
    assert "Kainuun liitto" not in popup and escape(row.body_en) in popup
    assert "partner towns: Sotkamo" in popup


def test_whole_dataset_frames_finland_and_a_filter_frames_its_cities(dataset, broad_of):
    whole = rendered(build_map(dataset.cities, dataset, "fi"))
    assert json.dumps(FINLAND_BOUNDS) in whole
    west = Filters(region=("west",)).apply(dataset.cities, broad_of)
    html = rendered(build_map(west, dataset, "fi"))
    bounds = [[west["lat"].min(), west["lon"].min()], [west["lat"].max(), west["lon"].max()]]
    assert json.dumps(bounds) in html


@pytest.mark.parametrize("text", [PAYLOAD, "</div><b>", "{{ 7*7 }}", "javascript:alert(1)"])
def test_escape_leaves_no_markup_or_template_literal_breakout(text):
    out = escape(text)
    assert not set("<>`$\\") & set(out)
    assert '"' not in out and "'" not in out


def test_hostile_data_reaches_leaflet_only_as_escaped_text(write_cities):
    def poison(data):
        props = data["features"][0]["properties"]
        for field in ("name", "priorities", "intermediate_body"):
            props[field] = {lang: PAYLOAD for lang in ("fi", "sv", "en")}
        props["maakunta"]["name"] = {lang: PAYLOAD for lang in ("fi", "sv", "en")}

    hostile = load_dataset(write_cities(poison))
    html = rendered(build_map(hostile.cities, hostile, "en"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "${alert" not in html
    popup = layer_features(html)[0]["properties"]["popup"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popup
    assert "&#96;&#36;{alert(3)}&#96;" in popup


def test_map_loads_leaflet_from_the_app_only(dataset):
    html = rendered(build_map(dataset.cities, dataset, "sv"))
    sources = re.findall(r'<script[^>]+src="([^"]+)"', html)
    sheets = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert sources == [f"../../app/static/{LEAFLET_DIR}/leaflet.js"]
    assert sheets == [f"../../app/static/{LEAFLET_DIR}/leaflet.css"]
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_layer_is_a_feature_group_for_streamlit_folium(dataset):
    group = build_city_layer(dataset.cities.iloc[:3], dataset, "en")
    assert type(group).__name__ == "FeatureGroup"


def test_install_static_copies_leaflet_once(tmp_path):
    target = install_static(tmp_path)
    assert {p.name for p in target.iterdir()} == {"leaflet.js", "leaflet.css", "images"}
    assert (target / "images" / "layers.png").is_file()
    (target / "leaflet.js").write_text("kept")
    install_static(tmp_path)
    assert (target / "leaflet.js").read_text() == "kept"
