"""Real-browser checks of the map's behaviour that the performance work depends on.

Panning and zooming must not rerun the script (no websocket frame leaves the page), and a
filter change must keep the same map frame (no rebuild) and the view the user chose, when
the filtered cities are inside it. benchmarks/bench.py measures the same things at scale.
Run alone with `pytest -m browser tests/browser/test_browser_perf.py`.
"""

from __future__ import annotations

import json
import time

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support.browser import (
    MAP_FRAME,
    ROOT,
    Page,
    Server,
    choose_option,
    wait_for_markers,
)

pytestmark = pytest.mark.browser

CITIES = json.loads((ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]
THEMES = json.loads((ROOT / "data" / "themes.json").read_text(encoding="utf-8"))
FOCUS = "circular_economy"
QUIET_S = 2.0
QUIET_TIMEOUT_S = 120


def city_ids(focus: str | None = None) -> set[str]:
    """Return the ids of the shipped cities, or of those with a focus area."""
    return {f["properties"]["id"] for f in CITIES
            if focus is None or focus in f["properties"]["themes"]}


def focus_label(focus: str) -> str:
    """Return a focus area's English label from the shipped themes file."""
    return next(f["label"]["en"] for f in THEMES["focus_areas"] if f["id"] == focus)


class Socket:
    """The page's Streamlit websocket: every frame sent and received, decoded by kind."""

    def __init__(self, page: Page) -> None:
        self.sent: list[str] = []
        self.received: list[str] = []
        self.last = time.monotonic()
        # When each kind of frame last moved (an interrupted run sends no script_finished).
        self.when: dict[str, float] = {}
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framesent", lambda payload: self._add(self.sent, BackMsg, payload))
            ws.on("framereceived", lambda payload: self._add(self.received, ForwardMsg, payload))

    def _add(self, into: list[str], message, payload: str | bytes) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
        try:
            kind = message.FromString(data).WhichOneof("type") or "?"
        except Exception:  # noqa: BLE001 - an undecodable frame still counts
            kind = "undecodable"
        into.append(kind)
        self.last = self.when[kind] = time.monotonic()

    def wait_quiet(self, page: Page) -> None:
        """Wait until the last run finished, every rerun request started a run, and no
        frame moved for QUIET_S."""
        deadline = time.monotonic() + QUIET_TIMEOUT_S
        while time.monotonic() < deadline:
            page.wait_for_timeout(200)
            started = self.when.get("new_session", -1.0)
            finished = self.when.get("script_finished", -1.0)
            asked = self.when.get("rerun_script", -1.0)
            if (0 <= started < finished and asked < started
                    and time.monotonic() - self.last >= QUIET_S):
                return
        pytest.fail(f"the app never went quiet: sent {self.sent}, received {self.received[-10:]}")


def open_map(page: Page, server: Server) -> Socket:
    """Open the dashboard with all cities on the map; return the socket, once quiet."""
    socket = Socket(page)
    page.goto(server.url("lang=en"))
    wait_for_markers(page, city_ids())
    socket.wait_quiet(page)
    return socket


def view(page: Page) -> dict[str, float]:
    """Return the Leaflet map's centre and zoom, read inside the map iframe."""
    return page.evaluate("""(sel) => {
        const win = document.querySelector(sel).contentWindow;
        const map = win.map_div;
        return {lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom()};
    }""", MAP_FRAME)


# True once the map in the frame has stopped moving and its view passes the test: returns it.
_SETTLED_VIEW = """([sel, before, test]) => {
    const map = document.querySelector(sel).contentWindow.map_div;
    if (!map || map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) return false;
    const v = {lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom()};
    const moved = v.lat !== before.lat || v.lng !== before.lng;
    const ok = {moved: moved, zoomed_in: v.zoom > before.zoom,
                zoomed_out: v.zoom < before.zoom}[test];
    return ok ? v : false;
}"""


def settled_view(page: Page, before: dict[str, float], test: str) -> dict[str, float]:
    """Wait until the map has stopped and moved / zoomed_in / zoomed_out from `before`."""
    return page.wait_for_function(_SETTLED_VIEW, arg=[MAP_FRAME, before, test]).json_value()


def map_centre(page: Page) -> tuple[float, float]:
    box = page.locator(MAP_FRAME).bounding_box()
    assert box and box["height"] > 0, f"map iframe has no height: {box}"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_pan_and_zoom_do_not_rerun_the_script(page: Page, server: Server) -> None:
    """Dragging the map and zooming with the wheel send nothing to the server."""
    socket = open_map(page, server)
    sent, received = len(socket.sent), len(socket.received)
    x, y = map_centre(page)
    start = view(page)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 160, y + 90, steps=12)
    page.mouse.up()
    # The gestures must have reached the map, or zero frames would prove nothing.
    panned = settled_view(page, start, "moved")
    page.mouse.wheel(0, -120)
    settled_view(page, panned, "zoomed_in")
    # Anything the gestures made the page send has gone by the time it is quiet again.
    socket.wait_quiet(page)
    assert socket.sent[sent:] == [], f"frames sent on pan/zoom: {socket.sent[sent:]}"
    assert "new_session" not in socket.received[received:], "a script run started"


def test_filter_change_keeps_the_map_frame_and_the_users_view(page: Page,
                                                               server: Server) -> None:
    """A focus filter redraws the cities in the same iframe and keeps the user's zoom."""
    socket = open_map(page, server)
    x, y = map_centre(page)
    start = view(page)
    page.mouse.move(x, y)
    # Zoom out a little: the whole country, so every filtered city, stays in view.
    page.mouse.wheel(0, 60)
    chosen = settled_view(page, start, "zoomed_out")
    socket.wait_quiet(page)
    page.evaluate("(sel) => { document.querySelector(sel).contentWindow.__perfMark = 1; }",
                  MAP_FRAME)
    runs = socket.received.count("new_session")
    choose_option(page, "focus", focus_label(FOCUS))
    wait_for_markers(page, city_ids(FOCUS))
    socket.wait_quiet(page)
    assert socket.received.count("new_session") > runs, "the filter did not rerun the script"
    survived = page.evaluate(
        "(sel) => document.querySelector(sel).contentWindow.__perfMark === 1", MAP_FRAME)
    assert survived, "the filter change rebuilt the map iframe"
    after = view(page)
    assert after["zoom"] == chosen["zoom"], f"zoom changed: {chosen} → {after}"
    assert after["lat"] == pytest.approx(chosen["lat"], abs=1e-6), f"{chosen} → {after}"
    assert after["lng"] == pytest.approx(chosen["lng"], abs=1e-6), f"{chosen} → {after}"
