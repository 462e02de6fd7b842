"""The network filter, the citation line and the About tab through Streamlit's AppTest."""

from __future__ import annotations

from innomap.filters import view_url
from tests.support.apptest import city_layer, headline, marker_ids, plain, start, url
from tests.support.payload import named

BATTERY = ["lappeenranta", "turku", "jyvaskyla", "pori", "vaasa", "kuopio", "kokkola"]


def citation_text(at) -> str:
    """Return the citation line as shown in the sidebar."""
    (block,) = [c for c in at.sidebar.code]
    return block.value


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
