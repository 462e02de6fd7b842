"""Real-browser tests: the network filter, its links on the map, and the citation line.

They drive the dashboard under `streamlit run` in Debian's Chromium, like test_browser.py,
and take every expected value from the data files.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import (
    ARTIFACTS,
    MAP_FRAME,
    ROOT,
    Page,
    Server,
    choose_option,
    expect,
    headline,
    screenshot,
    wait_for_markers,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

CITIES = {f["properties"]["id"]: f["properties"] for f in json.loads(
    (ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))["features"]}
NETWORKS = {n["id"]: n for n in json.loads(
    (ROOT / "data" / "networks.json").read_text(encoding="utf-8"))["networks"]}
BATTERY = NETWORKS["battery_chemistry"]
LINK = "path.innomap-network-link"


def link_targets(page: Page) -> list[str]:
    """Return, per network link on the map, the member city it leads to."""
    classes = page.frame_locator(MAP_FRAME).locator(LINK).evaluate_all(
        "els => els.map(el => el.getAttribute('class'))")
    return sorted(name.removeprefix("innomap-network-link--to-") for value in classes
                  for name in value.split() if name.startswith("innomap-network-link--to-"))


def test_choosing_a_network_shows_its_members_linked_to_the_lead(page: Page,
                                                                 server: Server) -> None:
    """Battery chemistry: exactly its seven cities, a solid line from Kokkola to each other."""
    page.goto(server.url("lang=en"))
    wait_for_markers(page, set(CITIES))
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(LINK)).to_have_count(0)
    choose_option(page, "network", BATTERY["name"]["en"])
    wait_for_markers(page, set(BATTERY["members"]))
    expect(headline(page)).to_have_text(
        f"7 of {len(CITIES)} municipalities · {BATTERY['name']['en']}")
    expect(frame.locator(LINK)).to_have_count(len(BATTERY["members"]) - 1)
    assert link_targets(page) == sorted(m for m in BATTERY["members"] if m != "kokkola")
    # Every link starts at Kokkola's marker (both in the same SVG's coordinates).
    starts = frame.locator(LINK).evaluate_all(
        "els => els.map(el => el.getPointAtLength(0)).map(p => [p.x, p.y])")
    centre = frame.locator("path.innomap-city--kokkola").evaluate(
        "el => { const b = el.getBBox(); return [b.x + b.width / 2, b.y + b.height / 2]; }")
    for x, y in starts:
        assert abs(x - centre[0]) < 2 and abs(y - centre[1]) < 2, ((x, y), centre)
    # Solid and dark, unlike the dashed partner lines; the legend names both kinds.
    style = frame.locator(LINK).first.evaluate(
        "el => [el.getAttribute('stroke'), el.getAttribute('stroke-dasharray')]")
    assert style == ["#1b1b1b", None]
    legend = frame.locator(".innomap-legend")
    expect(legend).to_contain_text("Network: lead city – member")
    expect(legend).to_contain_text("Partner municipality – lead city")
    # The run writes the URL last, after the map: wait for it as for the markers.
    expect(page).to_have_url(re.compile(r"network=battery_chemistry"))
    wait_until_idle(page)
    screenshot(page, ARTIFACTS / "network-battery.png")


def test_a_shared_network_link_opens_with_links_and_popups_name_the_role(page: Page,
                                                                         server: Server) -> None:
    """A ?network= link restores the filter; a member's popup names its networks and roles."""
    page.goto(server.url("lang=fi&network=sport_suomi"))
    sport = NETWORKS["sport_suomi"]
    wait_for_markers(page, set(sport["members"]))
    # An ended network says so in the filter's chip and in the popup.
    expect(page.locator(".st-key-network [data-tag]")).to_have_text(
        [sport["name"]["fi"] + " (innomapin suomennos; päättynyt 12/2024)"])
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(LINK)).to_have_count(len(sport["members"]) - 1)
    frame.locator("path.innomap-city--jyvaskyla").click()
    popup = frame.locator('div.innomap-popup[data-city="jyvaskyla"]')
    expect(popup).to_contain_text(
        "Verkostot" + f"{BATTERY['name']['fi']} (jäsen); {sport['name']['fi']} "
        "(innomapin suomennos; vetäjä, päättynyt 12/2024)")


def test_the_citation_copies_this_views_url(page: Page, server: Server) -> None:
    """The citation line names the view's exact URL, with a copy button beside it."""
    page.goto(server.url("lang=en"))
    wait_for_markers(page, set(CITIES))
    choose_option(page, "network", BATTERY["name"]["en"])
    wait_for_markers(page, set(BATTERY["members"]))
    expect(page).to_have_url(re.compile(r"network=battery_chemistry"))
    wait_until_idle(page)
    code = page.locator(".st-key-citation").get_by_test_id("stCode")
    expect(code).to_contain_text(page.url)
    expect(code).to_contain_text(re.compile(
        r"^Innovative Cities and Communities – ecosystem cities\. innomap, data version "
        r"[0-9a-f]{8}, source retrieved 27 November 2026\. "))
    # st.code's button copies the block's text. Headless Chromium here leaves the system
    # clipboard empty after the click, so the test checks the text and the button.
    assert code.inner_text().strip().endswith(f". {page.url}"), (code.inner_text(), page.url)
    code.hover()
    expect(code.get_by_role("button", name="Copy to clipboard")).to_be_visible()


def test_details_link_to_the_citys_sources(page: Page, server: Server) -> None:
    """The details panel lists the city's networks and links each of its source pages."""
    page.goto(server.url("lang=sv&city=kokkola"))
    wait_for_markers(page, set(CITIES))
    details = page.locator(".innomap-details")
    expect(details).to_contain_text(
        f"{BATTERY['name']['sv']} (innomaps översättning; ledande stad)")
    links = details.get_by_role("link")
    expect(links).to_have_count(len(CITIES["kokkola"]["sources"]))
    assert links.evaluate_all("els => els.map(el => el.href)") == CITIES["kokkola"]["sources"]
    expect(details.locator("dt", has_text="Källor")).to_have_count(1)
