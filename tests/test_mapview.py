"""The map builder: the right cities, text that stays text, and only the app's own assets."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from innomap.assets import (
    LEAFLET_DIR,
    RUNTIME_SCRIPTS,
    STATIC_URL,
    hashed_name,
    install_static,
    publish,
    regions_name,
)
from innomap.cities import load_dataset
from innomap.filters import Filters
from innomap.mapview import (
    CANVAS_THRESHOLD,
    FINLAND_BOUNDS,
    MAX_ZOOM,
    MIN_ZOOM,
    build_base_map,
    city_layer_data,
    city_layer_script,
    city_payload,
    nearest_city,
    place_texts,
)
from innomap.shipped import THEMES, WEB_DIR
from innomap.ui.mapcomponent import group_script
from innomap.view import View
from tests.support.payload import named

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>`${alert(3)}`\\u0041\"'"


def rendered(folium_map) -> str:
    """Return the full HTML page of a map."""
    return folium_map.get_root().render()


def shown_payload(script: str) -> dict:
    """Return the data that the city layer hands to the browser-side runtime."""
    return city_layer_data(script)


@pytest.mark.parametrize("filters", [Filters(), Filters(focus=("circular_economy",)),
                                     Filters(region=("north",), partners=False),
                                     Filters(q="nothing matches this")], ids=repr)
def test_rendered_map_holds_exactly_the_filtered_cities(dataset, broad_of, filters):
    rows = filters.apply(dataset.cities, broad_of)
    # The dashboard's path: streamlit-folium evaluates this script after the base map.
    data = shown_payload(group_script(city_payload(View(dataset, "en", rows))))
    assert [p["id"] for p in named(data)] == list(rows["id"])


def test_each_place_carries_its_texts_in_the_language(dataset):
    data = city_payload(View(dataset, "sv", dataset.cities))
    texts, sets = data["catalogue"]["texts"], data["catalogue"]["sets"]
    places = {p["id"]: p for p in named(data)}
    turku = places["turku"]
    # Turku: an ecosystem city (partner flag 0) in Southern Finland (region index 0).
    assert [turku[f] for f in ("lat", "lon", "partner", "region")] == [60.4513, 22.2669, 0, 0]
    # Sotkamo: a partner town in Northern Finland.
    assert [places["sotkamo"][f] for f in ("lat", "lon", "partner", "region")] == [
        64.131, 28.39, 1, 3]
    assert texts[turku["name"]] == "Åbo"
    assert texts[turku["area"]] == "Egentliga Finland · Södra Finland"
    assert texts[turku["role"]] == "Ekosystemstad"
    assert texts[turku["agreement"]] == "eget ekosystemavtal"
    assert texts[turku["body"]] == "Nylands förbund"
    assert texts[turku["priorities"]] == dataset.by_id["turku"].priorities_sv
    assert [texts[i] for i in sets[turku["focus"]]] == ["Industri och industriell förnyelse",
                                                        "Hälsoteknik och life science"]
    assert texts[turku["networks"]] == "Kompetensnätverket för batterikemi (innomaps översättning; medlem)"
    assert data["labels"]["priorities"] == "Tyngdpunkter"
    assert data["labels"]["networks"] == "Nätverk"


def test_agreement_lines_name_partners_and_co_members(dataset):
    data = city_payload(View(dataset, "en", dataset.cities))
    line = {p["id"]: data["catalogue"]["texts"][p["agreement"]] for p in named(data)}
    assert line["kajaani"] == "partner municipalities: Sotkamo"
    assert line["sotkamo"] == "lead city: Kajaani"
    assert line["vantaa"] == "shared agreement: Helsinki, Espoo"


def test_texts_are_sent_once(dataset):
    texts = place_texts(View(dataset, "fi", dataset.cities))["texts"]
    assert len(texts) == len(set(texts))
    assert texts.count("Uudenmaan liitto") == 1


def test_the_dashboard_sends_texts_once_as_a_file_and_places_per_rerun(dataset, broad_of,
                                                                      tmp_path):
    url = publish(tmp_path, "places-fi", place_texts(View(dataset, "fi", dataset.cities)))
    name = url.removeprefix(STATIC_URL + "/")
    assert json.loads((tmp_path / name).read_text(encoding="utf-8")) == place_texts(View(dataset, "fi", dataset.cities))
    # The same content keeps its name (the browser's cache holds); other content gets another.
    assert publish(tmp_path, "places-fi", place_texts(View(dataset, "fi", dataset.cities))) == url
    assert publish(tmp_path, "places-sv", place_texts(View(dataset, "sv", dataset.cities))) != url

    west = Filters(region=("west",)).apply(dataset.cities, broad_of)
    data = city_payload(View(dataset, "fi", west), catalogue=url)
    assert data["catalogue"] == url
    assert [p["id"] for p in named(data)] == list(west["id"])
    assert "Uudenmaan liitto" not in json.dumps(data, ensure_ascii=False)


def test_partner_towns_are_joined_to_their_lead(dataset, broad_of):
    data = city_payload(View(dataset, "fi", dataset.cities))
    kajaani, sotkamo = dataset.by_id["kajaani"], dataset.by_id["sotkamo"]
    assert {"lat": sotkamo.lat, "lon": sotkamo.lon, "leadLat": kajaani.lat,
            "leadLon": kajaani.lon, "region": 3} in named(data, "line")
    assert len(data["lines"]) == 2
    no_partners = Filters(partners=False).apply(dataset.cities, broad_of)
    assert city_payload(View(dataset, "fi", no_partners))["lines"] == []


def test_framing_whole_finland_or_the_filtered_cities(dataset, broad_of):
    assert city_payload(View(dataset, "fi", dataset.cities))["bounds"] == FINLAND_BOUNDS
    assert city_payload(View(dataset, "fi", dataset.cities.iloc[:0]))["bounds"] == FINLAND_BOUNDS
    west = Filters(region=("west",)).apply(dataset.cities, broad_of)
    assert city_payload(View(dataset, "fi", west))["bounds"] == [
        [west["lat"].min(), west["lon"].min()], [west["lat"].max(), west["lon"].max()]]


def test_selected_city_and_canvas_switch(dataset):
    data = city_payload(View(dataset, "fi", dataset.cities), selected="oulu")
    assert data["selected"] == "oulu" and data["canvas"] is False
    many = pd.concat([dataset.cities] * (CANVAS_THRESHOLD // len(dataset.cities) + 1))
    at_threshold = city_payload(View(dataset, "fi", many.iloc[:CANVAS_THRESHOLD]))
    above = city_payload(View(dataset, "fi", many.iloc[:CANVAS_THRESHOLD + 1]))
    assert (at_threshold["canvas"], above["canvas"]) == (False, True)


def test_hostile_data_reaches_the_page_only_inside_json(write_cities):
    def poison(data):
        props = data["features"][0]["properties"]
        for field in ("name", "priorities", "intermediate_body"):
            props[field] = {lang: PAYLOAD for lang in ("fi", "sv", "en")}
        props["maakunta"]["name"] = {lang: PAYLOAD for lang in ("fi", "sv", "en")}

    hostile = load_dataset(write_cities(poison), THEMES)
    # The base map holds no data text; the cities' script holds it only inside JSON strings
    # (the quote and backslash escaped, so it cannot end its string), evaluated as script,
    # never parsed as HTML; no template literal or innerHTML ever sees the text: the browser
    # puts it in textContent.
    html = rendered(build_base_map("en"))
    assert "alert" not in html and "innerHTML" not in html
    script = group_script(city_payload(View(hostile, "en", hostile.cities)))
    assert PAYLOAD not in script
    assert json.dumps(PAYLOAD, ensure_ascii=False) in script
    assert PAYLOAD in shown_payload(script)["catalogue"]["texts"]


def test_the_runtime_never_parses_text_as_html():
    """Popups, tooltips and the legend are built with textContent and text nodes."""
    for script in RUNTIME_SCRIPTS:
        runtime = (WEB_DIR / script).read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                     "bindPopup(\""):
            assert sink not in runtime, (script, sink)


def test_map_loads_leaflet_and_regions_from_the_app_only(dataset):
    html = rendered(build_base_map("sv"))
    assert re.findall(r'<script[^>]+src="([^"]+)"', html) == [
        f"../../app/static/{LEAFLET_DIR}/leaflet.js",
        *(f"../../app/static/{hashed_name(WEB_DIR / name)}" for name in RUNTIME_SCRIPTS)]
    assert re.findall(r'<link[^>]+href="([^"]+)"', html) == [
        f"../../app/static/{LEAFLET_DIR}/leaflet.css",
        f"../../app/static/{hashed_name(WEB_DIR / 'innomap.css')}"]
    assert f'"../../app/static/{regions_name()}"' in html
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_nearest_city(dataset):
    oulu = dataset.by_id["oulu"]
    assert nearest_city(dataset.cities, oulu.lat + 0.001, oulu.lon - 0.001) == "oulu"
    assert nearest_city(dataset.cities.iloc[:0], 60, 25) is None


def test_install_static_copies_leaflet_and_regions_once(tmp_path):
    install_static(tmp_path)
    leaflet = tmp_path / LEAFLET_DIR
    assert {p.name for p in leaflet.iterdir()} == {"leaflet.js", "leaflet.css", "images"}
    assert (leaflet / "images" / "layers.png").is_file()
    regions = json.loads((tmp_path / regions_name()).read_text(encoding="utf-8"))
    assert len(regions["features"]) == 19
    (leaflet / "leaflet.js").write_text("kept")
    install_static(tmp_path)
    assert (leaflet / "leaflet.js").read_text() == "kept"


def test_city_layer_data_reads_back_what_the_script_wrote():
    """The decoder is the encoder's inverse, also for texts that look like the call's end."""
    data = {"places": [["a", 60.1, 24.9, 0, 1, 0]], "texts": ["x\"});y", PAYLOAD, "\u2028"]}
    assert city_layer_data(city_layer_script("map_1", "group_2", data)) == data
    with pytest.raises(ValueError, match="expected window.innomap.show"):
        city_layer_data("var nothing = 1;")


def test_the_leaflet_map_itself_has_the_zoom_limits():
    """folium gives min_zoom/max_zoom to its tile layer only; with no tile layer Leaflet had
    no limits, and framing in a 0 px wide frame asked it for an infinite zoom (NaN)."""
    script = rendered(build_base_map("fi"))
    options = script[script.index('L.map(\n'):script.index("window.innomap.setup(")]
    assert f'"minZoom": {MIN_ZOOM},' in options and f'"maxZoom": {MAX_ZOOM},' in options


def test_sessions_publishing_the_same_file_at_once_all_get_it(tmp_path):
    """Sessions of one server run in threads of one process: eight publishing the same new
    file at the same moment each get its URL, none an error (a staging name shared by the
    process's threads lost its file to another thread's rename, under load)."""
    def at_once(round_: int) -> set[str]:
        start = threading.Barrier(8)

        def one(_: int) -> str:
            start.wait(timeout=30)
            return publish(tmp_path, "race", {"round": round_, "blob": "x" * 200_000})

        with ThreadPoolExecutor(8) as pool:
            return set(pool.map(one, range(8)))

    for round_ in range(20):
        (url,) = at_once(round_)
        assert (tmp_path / url.removeprefix(STATIC_URL + "/")).is_file()
    assert list(tmp_path.rglob("*.partial")) == []
