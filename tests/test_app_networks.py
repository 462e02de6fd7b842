"""The network filter, the citation line, the embed code and the About tab through Streamlit's
AppTest."""

from __future__ import annotations

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from innomap.filters import view_url
from tests.support.apptest import (
    APP,
    TIMEOUT,
    city_layer,
    headline,
    marker_ids,
    plain,
    start,
    url,
)
from tests.support.payload import named

BATTERY = ["lappeenranta", "turku", "jyvaskyla", "pori", "vaasa", "kuopio", "kokkola"]


def citation_text(at) -> str:
    """Return the citation line as shown in the sidebar (its first code block; the embed
    code, when the page has an address, is the second)."""
    return at.sidebar.code[0].value


def test_choosing_a_network_shows_its_members_and_links_from_its_lead(dataset):
    at = start()
    assert at.multiselect(key="network").options == [
        "Battery chemistry expertise network", "Sport Suomi ecosystem (ended 12/2024)",
        "Photonics innovation ecosystem in cities"]
    at.multiselect(key="network").set_value(["battery_chemistry"]).run()
    assert headline(at) == "7 of 20 municipalities · Battery chemistry expertise network"
    assert marker_ids(at) == BATTERY
    links = named(city_layer(at), "link")
    assert [link["member"] for link in links] == ["vaasa", "pori", "turku", "lappeenranta",
                                                  "jyvaskyla", "kuopio"]
    kokkola = dataset.by_id["kokkola"]
    assert {(link["leadLat"], link["leadLon"]) for link in links} == {(kokkola.lat, kokkola.lon)}
    assert url(at)["network"] == ["battery_chemistry"]


def test_a_network_in_the_url_combines_with_other_filters():
    at = start(network="battery_chemistry", region="west")
    assert marker_ids(at) == ["jyvaskyla", "pori", "vaasa"]
    assert city_layer(at)["links"] == []  # Kokkola, the lead, is not shown


def test_an_unpublished_network_in_the_url_is_ignored_with_a_notice():
    at = start(network="digital_health")
    assert marker_ids(at) == marker_ids(start())
    assert "network=digital_health" in plain(at.warning[0].value)


def test_the_citation_names_title_version_date_and_this_views_url(dataset):
    at = start(network="battery_chemistry")
    address = view_url(None, {"network": ["battery_chemistry"], "lang": "en"})
    assert address == "?network=battery_chemistry&lang=en"
    assert citation_text(at) == (
        "Innovative Cities and Communities – ecosystem cities. innomap, data version "
        f"{dataset.version}, source retrieved 27 November 2026. {address}")
    at.segmented_control(key="lang").set_value("fi").run()
    assert citation_text(at) == (
        "Innovoivat kaupungit ja yhteisöt – ekosysteemikaupungit. innomap, aineistoversio "
        f"{dataset.version}, lähde haettu 27.11.2026. ?network=battery_chemistry&lang=fi")


# AppTest seeds st.context (here the page's URL) from Streamlit 1.67; the app reads
# st.context.url from 1.63, its lower bound, where `dev.py test-lowest` runs this file.
@pytest.mark.skipif(tuple(map(int, streamlit.__version__.split(".")[:2])) < (1, 67),
                    reason="AppTest.context (the page's URL) needs Streamlit 1.67")
def test_the_embed_code_frames_this_views_list_at_the_pages_address():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context = {"url": "https://innomap.example.fi/innomap"}
    at.query_params.update(lang="sv", focus="circular_economy", city="oulu")
    at.run()
    assert "Bädda in den här vyn" in [plain(h.proto.body) for h in at.sidebar.get("html")]
    # The list's address (filters and language), not the chosen city's.
    assert [c.value for c in at.sidebar.code][1:] == [
        '<iframe src="https://innomap.example.fi/innomap/?focus=circular_economy&amp;lang=sv'
        '&amp;embed=true" title="Karta: Innovativa städer och samhällen – 6 av 20 kommuner · '
        'Cirkulär ekonomi" width="100%" height="800" style="border: 0" loading="lazy">'
        '</iframe>']
    assert plain(at.sidebar.caption[-1].value) == (
        "Kopiera koden med rutans kopieringsknapp och klistra in den i sidans HTML-kod. Om "
        "webbplatsen bara tillåter ramar från angivna källor (frame-src i CSP), lägg till "
        "https://innomap.example.fi i listan.")


def test_without_the_pages_address_there_is_no_embed_code():
    """AppTest sends no address (st.context.url): a relative address frames nothing."""
    at = start(focus="circular_economy")
    assert [c.value for c in at.sidebar.code] == [citation_text(at)]
    assert "Embed this view" not in [plain(h.proto.body) for h in at.sidebar.get("html")]


def test_view_url_matches_what_streamlit_writes():
    assert view_url("http://host/innomap/", {"q": "Åbo & x", "focus": ["water", "bio"],
                                             "lang": "sv"}) == (
        "http://host/innomap/?q=%C3%85bo+%26+x&focus=water&focus=bio&lang=sv")
    assert view_url("http://host/", {}) == "http://host/"
    # st.context.url leaves out the page's closing slash; the address bar has it.
    assert view_url("http://127.0.0.1:8501", {"lang": "fi"}) == "http://127.0.0.1:8501/?lang=fi"
    assert view_url("http://host/innomap", {"lang": "fi"}) == "http://host/innomap/?lang=fi"


def test_the_data_version_is_a_fingerprint_of_the_files(dataset, write_cities):
    from innomap.cities import load_dataset
    from innomap.shipped import THEMES

    assert len(dataset.version) == 8
    edited = load_dataset(write_cities(lambda d: d["features"].pop()), THEMES)
    assert edited.version != dataset.version
