"""The downloads in a real browser: the Finnish dashboard, filtered to circular economy, gives
an Excel file that openpyxl and LibreOffice read as the 6 cities, and a GeoJSON that GDAL reads
as the same 6 points; both are what `innomap export` writes.

Run alone with `pytest -m browser tests/browser/test_browser_exports.py`.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyogrio
import pytest
from PIL import Image

from innomap.export import COLUMNS
from innomap.i18n import t
from tests.support.browser import (
    ROOT,
    Page,
    Server,
    after_rerun,
    choose_option,
    expect,
    export_cli,
    wait_for_markers,
)
from tests.support.workbook import cells, libreoffice_cells, values

pytestmark = pytest.mark.browser

CITIES = json.loads((ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]
FOCUS = "circular_economy"
FINNISH_HEADERS = [t(f"col.{column}", "fi") for column in COLUMNS]
LABELS = {"xlsx": "Excel-tiedosto (.xlsx)", "geojson": "GeoJSON paikkatieto-ohjelmiin",
          "csv": "CSV datatyökaluille", "png": "Kuva (PNG)", "svg": "Kuva (SVG)"}


def places(focus: str | None = None) -> dict[str, tuple[float, float]]:
    """Return {id: (lon, lat)} of the shipped cities, or of those with a focus area."""
    return {f["properties"]["id"]: tuple(f["geometry"]["coordinates"]) for f in CITIES
            if focus is None or focus in f["properties"]["themes"]}


def open_circular_economy(page: Page, app: Server) -> None:
    """Open the Finnish dashboard and filter it to circular economy in the sidebar."""
    page.goto(app.url("lang=fi"))
    wait_for_markers(page, set(places()))
    choose_option(page, "focus", "Kiertotalous")
    wait_for_markers(page, set(places(FOCUS)))
    # The run writes the view into the address bar after it has sent the markers: on a busy
    # machine the URL comes a moment later (a stressed CI run read it before it had).
    page.wait_for_url(app.url("focus=circular_economy&lang=fi"))


def download(page: Page, fmt: str, tmp_path: Path, keyboard: bool = False) -> tuple[str, bytes]:
    """Download a format through its button (focused + Enter when `keyboard`); return the
    suggested file name and the bytes."""
    button = page.get_by_role("button", name=LABELS[fmt], exact=True)
    with page.expect_download() as info:
        if keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


def test_excel_download_reads_as_the_six_cities(page: Page, server: Server,
                                               tmp_path: Path) -> None:
    """Downloaded by keyboard; openpyxl and LibreOffice both find the 6 cities under Finnish
    headers, text as text and coordinates as numbers; the About sheet links to this view;
    the cells are those `innomap export --format xlsx` writes."""
    open_circular_economy(page, server)
    name, data = download(page, "xlsx", tmp_path, keyboard=True)
    assert name == "innomap_fi_circular-economy.xlsx"
    book = cells(data)
    assert list(book) == ["Kunnat", "Tietoja"]
    listing = values(data)
    assert listing[0] == FINNISH_HEADERS
    assert [row[0] for row in listing[1:]] == list(places(FOCUS))
    lat, lon = COLUMNS.index("lat"), COLUMNS.index("lon")
    assert [(row[lon], row[lat]) for row in listing[1:]] == list(places(FOCUS).values())
    for row in book["Kunnat"][1:]:
        kinds = {COLUMNS[i]: kind for i, (value, kind) in enumerate(row) if value is not None}
        assert (kinds.pop("lat"), kinds.pop("lon")) == ("n", "n")
        assert set(kinds.values()) == {"s"} and "name" in kinds, kinds
    about = dict((row[0], row[1]) for row in values(data, 1) if len(row) == 2)
    assert about["Rajaukset"] == "6/20 kuntaa · Kiertotalous"
    # The address bar's own URL: this view, as the page wrote it.
    assert about["Tämän näkymän osoite"] == page.url == server.url(
        "focus=circular_economy&lang=fi")
    cli = export_cli("--focus", FOCUS, "--lang", "fi", "--format", "xlsx", "--url", server.url(),
                     "-o", "-")
    assert book == cells(cli)
    office = libreoffice_cells(data, tmp_path)
    assert office[0] == FINNISH_HEADERS
    assert [row[0] for row in office[1:]] == list(places(FOCUS))
    assert [(row[lon], row[lat]) for row in office[1:]] == list(places(FOCUS).values())
    assert all(isinstance(row[lat], float) and isinstance(row[1], str) for row in office[1:])


def test_geojson_download_reads_as_the_same_six_points(page: Page, server: Server,
                                                      tmp_path: Path) -> None:
    """GDAL reads the downloaded GeoJSON as the 6 points; the bytes are the CLI's."""
    open_circular_economy(page, server)
    name, data = download(page, "geojson", tmp_path)
    assert name == "innomap_fi_circular-economy.geojson"
    frame = pyogrio.read_dataframe(tmp_path / name)
    assert frame.crs.to_epsg() == 4326
    assert list(frame["city_id"]) == list(places(FOCUS))
    assert [(p.x, p.y) for p in frame.geometry] == list(places(FOCUS).values())
    assert list(frame["kunta"]) == ["Lahti", "Pori", "Joensuu", "Mikkeli", "Kokkola", "Oulu"]
    assert data == export_cli("--focus", FOCUS, "--lang", "fi", "--format", "geojson",
                              "-o", "-")


def test_the_table_tab_offers_the_same_row_in_tab_order(page: Page, server: Server,
                                                       tmp_path: Path) -> None:
    """In the table tab the buttons and the image's size follow each other by Tab, one stop
    each; Enter on the CSV one downloads the CSV for data tools."""
    open_circular_economy(page, server)
    page.get_by_role("tab", name="Taulukko", exact=True).click()
    expect(page.locator(".st-key-table")).to_be_visible()
    page.get_by_role("button", name=LABELS["xlsx"], exact=True).focus()
    for fmt in ("geojson", "csv"):
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name=LABELS[fmt], exact=True)).to_be_focused()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "innomap_fi_circular-economy.csv"
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="Dia 16:9", exact=True)).to_be_focused()
    for fmt in ("png", "svg"):
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name=LABELS[fmt], exact=True)).to_be_focused()


def test_the_map_image_downloads_are_the_clis(page: Page, server: Server,
                                             tmp_path: Path) -> None:
    """The SVG (a slide) is byte for byte what `innomap export --format svg` writes for the
    view, the PNG (an A4 page, chosen beside the buttons) pixel for pixel; the page shows the
    image's text alternative, which the PNG carries."""
    open_circular_economy(page, server)
    expect(page.locator(".innomap-image-description")).to_contain_text("Kuntia kartalla: 6.")
    name, data = download(page, "svg", tmp_path)
    assert name == "innomap_fi_circular-economy.svg"
    args = ("--focus", FOCUS, "--lang", "fi", "--url", server.url(), "-o", "-")
    assert data == export_cli(*args, "--format", "svg")
    # The buttons carry the size of the run that drew them: download once the new one is done.
    after_rerun(page, page.get_by_text("A4-sivu", exact=True).click)
    expect(page.get_by_role("radio", name="A4-sivu", exact=True)).to_be_checked()
    name, data = download(page, "png", tmp_path)
    assert name == "innomap_fi_circular-economy_a4.png"
    image = Image.open(io.BytesIO(data))
    cli = Image.open(io.BytesIO(export_cli(*args, "--format", "png", "--size", "a4")))
    assert image.size == cli.size == (1240, 1754)
    assert image.convert("RGBA").tobytes() == cli.convert("RGBA").tobytes()
    description = page.locator(".innomap-image-description").inner_text()
    assert description == "Kuvan tekstivastine: " + image.text["Description"]


def test_behind_a_url_prefix_the_excel_file_links_to_the_address_bar(
        page: Page, prefixed_server: Server, tmp_path: Path) -> None:
    page.goto(prefixed_server.url("lang=sv&focus=water&partners=0"))
    wait_for_markers(page, set(places("water")))
    with page.expect_download() as info:
        page.get_by_role("button", name="Excel-fil (.xlsx)", exact=True).click()
    data = Path(info.value.path()).read_bytes()
    about = dict((row[0], row[1]) for row in values(data, 1) if len(row) == 2)
    assert about["Adress till den här vyn"] == page.url == prefixed_server.url(
        "focus=water&partners=0&lang=sv")
