"""Tile server unreachable: the map stays complete (regions, markers, popups) with tiles on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from innomap.cities import load_dataset
from innomap.i18n import t
from innomap.shipped import CITIES, THEMES
from tests.support.browser import (
    ARTIFACTS,
    MAP_FRAME,
    Browser,
    Server,
    chromium_path,
    new_context,
    start_server,
    wait_for_markers,
)

pytestmark = pytest.mark.browser
TILE_HOST = "tile.openstreetmap.org"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Serve the dashboard for this module."""
    chromium_path()
    app = start_server(ARTIFACTS / "streamlit-tiles.log")
    yield app
    app.stop()


def test_switching_on_unreachable_tiles_leaves_the_map_complete(server: Server, browser: Browser):
    context = new_context(browser)
    page = context.new_page()
    tiles, errors = [], []
    # Refuse tile requests outright, as a government network (or this machine) would.
    page.route(f"**://{TILE_HOST}/**", lambda route: (tiles.append(route.request.url),
                                                       route.abort("connectionrefused")))
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(server.url("lang=en"))
        everyone = set(load_dataset(CITIES, THEMES).cities["id"])
        wait_for_markers(page, everyone)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-control-layers").hover()
        frame.get_by_label(t("map.tiles", "en")).check()
        frame.locator(".leaflet-tile-container img").first.wait_for(state="attached")
        assert tiles, "switching the background on should have asked for tiles"
        wait_for_markers(page, everyone)
        assert frame.locator("path.innomap-region").count() == 19
        frame.locator("path.innomap-city--turku").click(force=True)
        frame.locator('div.innomap-popup[data-city="turku"]').wait_for()
        assert errors == [], errors
    finally:
        page.screenshot(path=str(ARTIFACTS / "tiles-unreachable.png"))
        context.close()
