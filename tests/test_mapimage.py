"""The map image (issue 22): the SVG's names are exactly the view's places, the PNG's pixels at
the markers have their region colours, no two names overlap, the text alternative names the
count and the regions, and the same view gives the same bytes."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from innomap.cities import load_dataset
from innomap.export import export_bytes, export_filename
from innomap.filters import Filters
from innomap.mapcaption import alt_text, source_line, title_of
from innomap.mapelements import REGION_COLOURS
from innomap.mapimage import draw, image_bytes, marker_pixels
from innomap.mapsizes import SIZES
from innomap.shipped import THEMES
from innomap.view import View

SVG = "{http://www.w3.org/2000/svg}"
# The views drawn: everything, a focus area, a region with partner towns, a network's links.
VIEWS = {
    "all": Filters(),
    "circular": Filters(focus=("circular_economy",)),
    "east_north": Filters(region=("east", "north")),
    "battery": Filters(network=("battery_chemistry",)),
}
# The groups that hold the image's other texts (matplotlib writes a gid as <g id="…">).
OTHER_TEXTS = ("title", "headline", "legend", "source")


def svg_texts(data: bytes) -> dict[str, list[str]]:
    """Return the SVG's text elements by the id of the group they are in (name-<city>, title,
    headline, legend, source); one with none of these goes under ""."""
    root = ET.fromstring(data)
    found: dict[str, list[str]] = {}

    def walk(node: ET.Element, group: str) -> None:
        gid = node.get("id", "") if node.tag == f"{SVG}g" else ""
        if gid.startswith("name-") or gid in OTHER_TEXTS:
            group = gid
        if node.tag == f"{SVG}text":
            found.setdefault(group, []).append("".join(node.itertext()))
        for child in node:
            walk(child, group)

    walk(root, "")
    return found


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(VIEWS))
def test_the_svg_names_exactly_the_shown_places_in_the_language(dataset, lang, size, name):
    view = View.of(dataset, VIEWS[name], lang)
    texts = svg_texts(image_bytes("svg", view, size))
    names = {gid.removeprefix("name-"): text for gid, text in texts.items()
             if gid.startswith("name-")}
    assert names == {row.id: [getattr(row, f"name_{lang}")]
                     for row in view.rows.itertuples()}
    assert set(texts) == {f"name-{city}" for city in view.rows["id"]} | set(OTHER_TEXTS)
    assert " ".join(texts["title"]) == title_of(view)
    assert " ".join(texts["headline"]) == view.headline
    assert " ".join(texts["source"]) == source_line(view)


def test_the_other_texts_are_the_title_headline_legend_and_source_in_full(dataset):
    view = View.of(dataset, Filters(focus=("circular_economy",)), "en",
                   "https://innomap.example.fi/")
    texts = svg_texts(image_bytes("svg", view))
    assert texts["title"] == ["Innovative Cities and Communities – ecosystem cities"]
    assert texts["headline"] == ["6 of 20 municipalities · Circular economy"]
    assert texts["legend"] == [
        "Major region", "Southern Finland", "Western Finland", "Eastern Finland",
        "Northern Finland", "Ecosystem city", "Partner municipality",
        "Partner municipality – lead city", "Network: lead city – member"]
    assert " ".join(texts["source"]) == (
        "Source: Kestävä kaupunkikehittäminen, Ministry of Economic Affairs and Employment, "
        "rakennerahastot.fi, https://rakennerahastot.fi/kestava-kaupunkikehittaminen "
        f"(retrieved 27 November 2026) · Data version {dataset.version} · Licence CC BY 4.0 · "
        "Region borders: Natural Earth (public domain) · Address of this view: "
        "https://innomap.example.fi/?focus=circular_economy&lang=en")


def test_svg_text_stays_text_and_hostile_names_stay_literal(write_cities):
    """Names are <text> (svg.fonttype none), never glyph paths; markup and $math$ in a name
    come out as the characters they are."""
    hostile = '<b>x</b> & $\\alpha$ "q"'

    def rename(data):
        data["features"][0]["properties"]["name"]["en"] = hostile

    view = View.of(load_dataset(write_cities(rename), THEMES), Filters(), "en")
    data = image_bytes("svg", view)
    # Glyphs drawn as paths would be defined once each, as DejaVuSans-<code>.
    assert b'id="DejaVuSans' not in data and b"DejaVu Sans" in data
    assert svg_texts(data)["name-helsinki"] == [hostile]
    # The search text comes from the URL: it reaches the headline as typed.
    searched = View.of(load_dataset(write_cities(rename), THEMES), Filters(q="$x$ <b>"), "en")
    assert svg_texts(image_bytes("svg", searched))["headline"] == [searched.headline]
    assert "$x$ <b>" in searched.headline


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(VIEWS))
def test_the_png_shows_each_marker_in_its_region_colour(dataset, size, name):
    view = View.of(dataset, VIEWS[name], "fi")
    drawing = draw(view, size)
    image = Image.open(io.BytesIO(image_bytes("png", view, size))).convert("RGB")
    assert image.size == (round(drawing.figure.bbox.width), round(drawing.figure.bbox.height))
    pixels = marker_pixels(drawing)
    assert set(pixels) == set(view.rows["id"])
    region = dict(zip(view.rows["id"], view.rows["macro_region"], strict=True))
    for city, (column, row) in pixels.items():
        # No other marker covers the pixel read (else it would show that one's colour).
        for other, (x, y) in drawing.markers.items():
            if other != city:
                centre = (x, drawing.figure.bbox.height - y)
                assert (column + 0.5 - centre[0]) ** 2 + (row + 0.5 - centre[1]) ** 2 \
                    > drawing.radius[other] ** 2, (city, other)
        wanted = REGION_COLOURS[region[city]]
        got = "#{:02X}{:02X}{:02X}".format(*image.getpixel((column, row)))
        assert got == wanted.upper(), (city, column, row)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(VIEWS))
def test_names_overlap_neither_each_other_nor_markers(dataset, size, name):
    """The names' boxes as the renderer measures them: apart from each other, clear of every
    marker, inside the map's box."""
    drawing = draw(View.of(dataset, VIEWS[name], "sv"), size)
    renderer = drawing.figure.canvas.get_renderer()
    boxes = {city: text.get_window_extent(renderer) for city, text in drawing.names.items()}
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), (a, b)
    frame = drawing.figure.axes[0].get_window_extent(renderer)
    for city, box in boxes.items():
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
            and box.y1 <= frame.y1, city
        for other, (x, y) in drawing.markers.items():
            dx = max(box.x0 - x, 0, x - box.x1)
            dy = max(box.y0 - y, 0, y - box.y1)
            assert dx * dx + dy * dy >= drawing.radius[other] ** 2, (city, other)


ALT = {
    ("fi", "east_north"): (
        "Kartta: Innovoivat kaupungit ja yhteisöt – ekosysteemikaupungit, 8/20 kuntaa · "
        "Itä-Suomi tai Pohjois-Suomi. Kunnat on merkitty Suomen karttaan suuralueensa värillä ja "
        "nimetty, missä tilaa riittää. Kuntia kartalla: 8. Suuralueittain: Itä-Suomi 3, "
        "Pohjois-Suomi 5. Yhteistyökunnat (Sotkamo) ovat onttoja renkaita, ja katkoviiva "
        "yhdistää kunkin vastuukaupunkiinsa."),
    ("sv", "circular"): (
        "Karta: Innovativa städer och samhällen – ekosystemstäder, 6 av 20 kommuner · "
        "Cirkulär ekonomi. Kommunerna är utmärkta på Finlands karta i sitt storområdes färg "
        "och namngivna där det finns plats. Antal kommuner på kartan: 6. Per storområde: "
        "Södra Finland 1, Västra Finland 1, Östra Finland 2, Norra Finland 2."),
    ("en", "battery"): (
        "Map: Innovative Cities and Communities – ecosystem cities, 7 of 20 municipalities · "
        "Battery chemistry expertise network. The municipalities are marked on a map of "
        "Finland in their major region's colour and named where there is room. Municipalities "
        "on the map: 7. By major region: Southern Finland 2, Western Finland 3, Eastern "
        "Finland 1, Northern Finland 1. Solid lines join each network's lead city to its "
        "members: Battery chemistry expertise network."),
}


@pytest.mark.parametrize(("lang", "name"), list(ALT))
def test_the_text_alternative_names_the_count_and_the_regions(dataset, lang, name):
    assert alt_text(View.of(dataset, VIEWS[name], lang)) == ALT[lang, name]


def test_the_png_carries_its_title_and_text_alternative(dataset):
    view = View.of(dataset, VIEWS["east_north"], "fi")
    image = Image.open(io.BytesIO(image_bytes("png", view, "a4")))
    assert image.text == {"Title": title_of(view), "Description": ALT["fi", "east_north"],
                          "Software": "innomap"}
    assert image.size == (1240, 1754)


def test_the_svg_carries_them_and_no_date(dataset):
    view = View.of(dataset, VIEWS["east_north"], "fi")
    data = image_bytes("svg", view).decode("utf-8")
    assert f"<dc:description>{ALT['fi', 'east_north']}</dc:description>" in data
    assert "<dc:date>" not in data and "Matplotlib" not in data
    assert re.search(r'<svg [^>]*width="960pt" height="540pt"', data)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_same_view_gives_the_same_bytes(dataset, fmt):
    first = image_bytes(fmt, View.of(dataset, VIEWS["battery"], "en"))
    again = image_bytes(fmt, View.of(dataset, VIEWS["battery"], "en"))
    assert first == again


def test_export_offers_the_images_by_size_and_names_their_files(dataset):
    view = View.of(dataset, VIEWS["circular"], "fi")
    assert export_bytes("svg", view, "a4") == image_bytes("svg", view, "a4")
    assert Image.open(io.BytesIO(export_bytes("png", view))).size == (1920, 1080)
    assert export_filename("circular-economy", "fi", "png") == "innomap_fi_circular-economy.png"
    assert export_filename("all", "sv", "svg", "a4") == "innomap_sv_all_a4.svg"
    with pytest.raises(ValueError, match="image size: expected one of slide, a4, got 'a3'"):
        export_bytes("png", view, "a3")
    with pytest.raises(ValueError, match="image format: expected one of png, svg, got 'gif'"):
        image_bytes("gif", view)


def test_an_empty_view_draws_the_map_without_places(dataset):
    view = View.of(dataset, Filters(q="no such place"), "en")
    texts = svg_texts(image_bytes("svg", view))
    assert set(texts) == set(OTHER_TEXTS)
    assert alt_text(view).endswith("Municipalities on the map: 0.")


def test_names_stay_apart_among_hundreds_of_places(tmp_path):
    """Synthetic data (benchmarks/synthetic.py), 400 places: the names that fit overlap
    nothing, and the rest are left out rather than piled up."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "synthetic", Path(__file__).resolve().parents[1] / "benchmarks" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    path = tmp_path / "cities.geojson"
    synthetic.write(synthetic.make(400, seed=3), path)
    drawing = draw(View.of(load_dataset(path, THEMES), Filters(), "fi"), "slide")
    renderer = drawing.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in drawing.names.values()]
    assert 20 < len(boxes) < 400
    for box_a, box_b in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b)
    for box in boxes:
        for other, (x, y) in drawing.markers.items():
            dx = max(box.x0 - x, 0, x - box.x1)
            dy = max(box.y0 - y, 0, y - box.y1)
            assert dx * dx + dy * dy >= drawing.radius[other] ** 2, other


def test_the_shells_load_matplotlib_only_to_draw():
    """matplotlib takes a second to import and writes a font cache under the user's home: the
    page and the CLI load it only when an image is asked for (export_bytes)."""
    code = ("import sys, innomap.cli, innomap.ui.app, innomap.export; "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr
