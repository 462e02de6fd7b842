"""The dashboard through Streamlit's AppTest: drive widgets by key, assert what users see."""

from __future__ import annotations

import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from innomap.assets import RUNTIME_SCRIPTS
from innomap.filters import Filters
from innomap.i18n import format_number, t
from innomap.mapcaption import alt_text
from innomap.view import View
from tests.support.apptest import (
    city_layer,
    headline,
    html_blocks,
    map_args,
    marker_ids,
    open_tab,
    plain,
    shown_errors,
    start,
    table_names,
    url,
)


def test_start_shows_all_twenty_on_the_map_and_in_the_table(dataset):
    at = start()
    assert shown_errors(at) == []
    assert headline(at) == "20 of 20 municipalities"
    assert marker_ids(at) == list(dataset.cities["id"])
    assert len(table_names(at)) == 20
    assert at.download_button(key="download").label == "CSV for data tools"


def test_choosing_a_focus_area_filters_map_count_and_table(dataset):
    at = start()
    at.multiselect(key="focus").set_value(["circular_economy"]).run()
    expected = dataset.cities.loc[dataset.cities["themes"].map(lambda t: "circular_economy" in t)]
    assert headline(at) == "6 of 20 municipalities · Circular economy"
    assert marker_ids(at) == list(expected["id"])
    assert sorted(table_names(at)) == sorted(expected["name_en"])
    assert url(at)["focus"] == ["circular_economy"]


def test_a_short_list_is_ready_to_download_with_the_page():
    """Built with the page, the file belongs to the session: Streamlit's sweep of unclaimed
    files (which runs whenever any session's script finishes) cannot remove it before the
    browser fetches it, as it did to click-built files with 20 busy sessions."""
    at = start(focus="water")
    for key, ext in (("download", ".csv"), ("download_xlsx", ".xlsx"),
                     ("download_geojson", ".geojson")):
        button = at.download_button(key=key)
        assert button.proto.url.endswith(ext)
        assert not button.proto.HasField("deferred_file_id")


DOWNLOAD_LABELS = {
    "fi": ["Excel-tiedosto (.xlsx)", "GeoJSON paikkatieto-ohjelmiin", "CSV datatyökaluille",
           "Kuva (PNG)", "Kuva (SVG)"],
    "sv": ["Excel-fil (.xlsx)", "GeoJSON för GIS-program", "CSV för dataverktyg",
           "Bild (PNG)", "Bild (SVG)"],
    "en": ["Excel file (.xlsx)", "GeoJSON for GIS", "CSV for data tools",
           "Image (PNG)", "Image (SVG)"],
}
IMAGE_SIZES = {"fi": ("Kuvan koko", ["Dia 16:9", "A4-sivu"]),
               "sv": ("Bildens storlek", ["Presentationsbild 16:9", "A4-sida"]),
               "en": ("Image size", ["Slide 16:9", "A4 page"])}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("tab", ["map", "table"])
def test_one_row_offers_the_list_and_the_map_image_in_the_language(lang, tab):
    at = start(lang, focus="circular_economy")
    if tab == "table":
        open_tab(at, {"fi": "Taulukko", "sv": "Tabell", "en": "Table"}[lang])
        assert at.dataframe(key="table")
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == DOWNLOAD_LABELS[lang]
    assert [b.proto.id.split("-")[-1] for b in buttons] == [
        "download_xlsx", "download_geojson", "download", "download_png", "download_svg"]
    assert [b.proto.type for b in buttons] == ["primary", *["secondary"] * 4]
    (hint,) = html_blocks(at, "innomap-download-hint")
    assert hint.startswith(
        {"fi": "Excel-tiedosto avautuu", "sv": "Excel-filen öppnas", "en": "The Excel file"}[lang])
    assert html_blocks(at, "innomap-downloads") == [
        {"fi": "Lataa lista", "sv": "Ladda ner listan", "en": "Download the list"}[lang]]
    assert [b.proto.url.rsplit(".", 1)[-1] for b in buttons[:3]] == ["xlsx", "geojson", "csv"]
    size = at.radio(key="image_size")
    assert (size.label, size.options) == IMAGE_SIZES[lang]
    assert size.value == "slide"


def test_the_map_image_is_drawn_only_when_its_button_is_pressed(dataset):
    """The image buttons hold a callable (Streamlit runs it on the click), not bytes; the page
    shows the image's text alternative, which needs no drawing."""
    at = start("fi", region="north")
    images = [b for b in at.get("download_button") if b.proto.id.endswith(("_png", "_svg"))]
    assert [b.proto.HasField("deferred_file_id") for b in images] == [True, True]
    assert [b.proto.url for b in images] == ["", ""]
    (text,) = html_blocks(at, "innomap-image-description")
    view = View.of(dataset, Filters(region=("north",)), "fi")
    assert text == f"Kuvan tekstivastine: {alt_text(view)}"
    assert "Kuntia kartalla: 5. Suuralueittain: Pohjois-Suomi 5." in text


def test_filters_combine_with_and(dataset):
    at = start()
    at.multiselect(key="focus").set_value(["circular_economy"])
    at.multiselect(key="region").set_value(["east"]).run()
    assert headline(at) == "2 of 20 municipalities · Circular economy · Eastern Finland"
    assert marker_ids(at) == ["joensuu", "mikkeli"]


def test_search_partners_toggle_and_match_all():
    at = start()
    at.text_input(key="q").input("kajaani").run()
    assert marker_ids(at) == ["kajaani"]
    at.text_input(key="q").input("").run()
    at.multiselect(key="focus").set_value(["photonics_measurement"])
    at.toggle(key="partners").set_value(False).run()
    assert marker_ids(at) == ["joensuu", "kajaani"]
    at.multiselect(key="focus").set_value(["photonics_measurement", "bioeconomy"])
    at.radio(key="match").set_value("all").run()
    assert marker_ids(at) == ["joensuu"]
    assert "Photonics and measurement technology and Bioeconomy" in headline(at)


def test_no_match_keeps_finland_on_the_map_and_says_so():
    at = start(q="zzz-no-such-city")
    assert headline(at).startswith("0 of 20 municipalities")
    assert "No municipality matches" in at.info[0].value
    assert marker_ids(at) == []
    assert city_layer(at)["bounds"] == [[59.7, 19.4], [70.1, 31.6]]
    assert table_names(at) == []


def test_reset_clears_every_filter():
    at = start(focus="water", region="east", partners="0", match="all", q="vesi")
    assert headline(at).startswith("2 of 20")
    at.button(key="reset").click().run()
    assert headline(at) == "20 of 20 municipalities"
    assert at.multiselect(key="focus").value == []
    assert at.toggle(key="partners").value is True
    assert url(at) == {"lang": ["en"]}


def test_a_shared_url_restores_the_view_and_flags_bad_values():
    at = start(focus=["water", "teleportation"], body="pohjois-savon-liitto")
    assert marker_ids(at) == ["kuopio"]
    assert at.multiselect(key="focus").value == ["water"]
    assert at.multiselect(key="body").value == ["pohjois-savon-liitto"]
    assert [plain(w.value) for w in at.warning] == [
        "A link parameter was not recognised and was ignored: focus=teleportation"]


@pytest.mark.parametrize(("lang", "count", "label"), [
    ("fi", "20/20 kuntaa", "CSV datatyökaluille"),
    ("sv", "20 av 20 kommuner", "CSV för dataverktyg"),
])
def test_language_from_the_url(lang, count, label):
    at = start(lang=lang)
    assert headline(at) == count
    assert at.download_button(key="download").label == label


@pytest.mark.parametrize("value", ["svenska", "EN"])
def test_a_language_in_the_url_is_a_code_exactly_or_ignored_with_a_notice(value):
    """The notice and the page agree: an ignored lang leaves the default language (AppTest's
    browser has no locale), and the URL then says which one is shown."""
    at = start(lang=value)
    assert [plain(w.value) for w in at.warning] == [
        f"Osoitteen parametria ei tunnistettu, ja se ohitettiin: lang={value}"]
    assert at.title[0].value == "Innovoivat kaupungit ja yhteisöt"
    assert url(at) == {"lang": ["fi"]}


def test_switching_language_translates_the_page_and_keeps_filters():
    at = start(focus="water")
    at.segmented_control(key="lang").set_value("sv").run()
    assert headline(at) == "2 av 20 kommuner · Vattenbranschen"
    assert "Åbo" not in table_names(at, "Tabell") and "Kuopio" in table_names(at, "Tabell")
    assert url(at)["lang"] == ["sv"]


def stale_url(at: AppTest, **params: str) -> None:
    """Make the next run come with these URL parameters only (the browser's URL then)."""
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value


def test_an_input_that_comes_with_a_stale_url_is_kept():
    """A language chosen before the browser had the last run's URL is not undone by that URL.

    On a busy machine a click can reach the server with the URL from before the previous run
    (here, before the city was chosen): that is not the back button, and the click wins.
    """
    at = start("sv")
    at.selectbox(key="city").select("turku").run()
    assert url(at) == {"lang": ["sv"], "city": ["turku"]}
    stale_url(at, lang="sv")
    at.segmented_control(key="lang").set_value("fi").run()
    assert headline(at) == "20/20 kuntaa"
    assert url(at) == {"lang": ["fi"], "city": ["turku"]}
    assert at.selectbox(key="city").value == "turku"


def test_the_back_button_brings_the_earlier_view_back():
    """A URL from outside the app with no input changed (back, forward) sets the widgets."""
    at = start("sv", focus="water")
    at.selectbox(key="city").select("kuopio").run()
    stale_url(at, lang="sv", focus="water")
    at.run()
    assert at.selectbox(key="city").value is None
    assert url(at) == {"lang": ["sv"], "focus": ["water"]}
    stale_url(at, lang="en")
    at.run()
    assert headline(at) == "20 of 20 municipalities"
    assert at.multiselect(key="focus").value == []


def test_the_map_loads_only_the_apps_own_leaflet_and_runtime():
    args = map_args(start())
    leaflet = "../../app/static/vendor/leaflet-1.9.3/leaflet"
    assert args["js_links"][0] == f"{leaflet}.js"
    assert args["css_links"][0] == f"{leaflet}.css"
    # The runtime's files after Leaflet, named by their content so a browser may cache them
    # for good; the last script sets window.innomap.
    assert [re.fullmatch(r"\.\./\.\./app/static/innomap/([a-z]+)-[0-9a-f]{12}\.js", link)[1]
            for link in args["js_links"][1:]] == [name.removesuffix(".js")
                                                  for name in RUNTIME_SCRIPTS]
    assert re.fullmatch(r"\.\./\.\./app/static/innomap/innomap-[0-9a-f]{12}\.css",
                        args["css_links"][1]), args["css_links"]
    assert len(args["css_links"]) == 2
    # Clicks only: panning and zooming send nothing back, so they never rerun the script.
    assert args["returned_objects"] == ["last_object_clicked"]


def test_a_filter_change_keeps_the_same_base_map():
    """Only the city layer changes, so the browser keeps the Leaflet map (no rebuild)."""
    at = start()
    before = map_args(at)
    at.multiselect(key="focus").set_value(["water"]).run()
    after = map_args(at)
    assert after["script"] == before["script"]
    assert after["feature_group"] != before["feature_group"]


def test_a_broken_data_file_is_explained_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "cities.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setenv("INNOMAP_DATA", str(bad))
    at = start()
    # One error, and it is the data's explanation, not the generic "something went wrong".
    (error,) = at.error
    assert plain(error.value) == f"The data file {bad} cannot be used. Problems: 1."
    assert not at.exception
    (problems,) = html_blocks(at, "innomap-problems")
    assert "expected valid JSON" in problems
    assert '<pre class="innomap-problems" lang="en">' in at.get("html")[0].proto.body
    # The accessibility statement is reachable here too.
    (statement,) = at.expander
    assert statement.label == "Accessibility statement"
    (body,) = [e.proto.body for e in statement.get("html")]
    assert 'class="innomap-statement"' in body and t("statement.status", "en") in html.unescape(body)


def test_a_bad_metadata_member_is_named_not_a_generic_error(write_cities, monkeypatch):
    """The header, the about tab and the citation read metadata members; one of the wrong type
    used to crash the page with "Something went wrong"."""
    def flatten_programme(data):
        data["metadata"]["programme"] = "Uudistuva ja osaava Suomi 2021–2027"

    bad = write_cities(flatten_programme)
    monkeypatch.setenv("INNOMAP_DATA", str(bad))
    at = start()
    assert [plain(e.value) for e in at.error] == [
        f"The data file {bad} cannot be used. Problems: 1."]
    assert not at.exception
    assert html_blocks(at, "innomap-problems") == [
        "collection.metadata.programme: expected an object with fi, sv and en texts, "
        'got "Uudistuva ja osaava Suomi 2021–2027"']


def test_innomap_data_points_the_app_at_another_file(write_cities, monkeypatch):
    def keep_two(data):
        data["features"] = data["features"][:2]

    monkeypatch.setenv("INNOMAP_DATA", str(write_cities(keep_two)))
    at = start()
    assert headline(at) == "2 of 2 municipalities"
    assert marker_ids(at) == ["helsinki", "espoo"]


def test_an_entry_can_accept_repeated_codes_for_synthetic_data(write_cities, monkeypatch,
                                                                tmp_path):
    """main(unique_codes=False), as the benchmarks' entry calls it, maps a file whose only
    flaw is a repeated municipality code; dashboard.py refuses that file."""
    def repeat_code(data):
        data["features"][1]["properties"]["municipality_code"] = "091"

    monkeypatch.setenv("INNOMAP_DATA", str(write_cities(repeat_code)))
    entry = tmp_path / "entry.py"
    entry.write_text("from pathlib import Path\nfrom innomap.ui.app import main\n"
                     f"main(static_dir=Path({str(tmp_path / 'static')!r}), unique_codes=False)\n",
                     encoding="utf-8")
    assert "municipality_code: expected a unique value" in html_blocks(
        start(), "innomap-problems")[0]
    at = start(app=str(entry))
    assert shown_errors(at) == []
    assert headline(at) == "20 of 20 municipalities"


def details_text(at: AppTest) -> str:
    """Return the details panel as the user reads it."""
    return " ".join(html_blocks(at, "innomap-details"))


def similar_names(at: AppTest) -> list[str]:
    """Return the similar-city table's names, best first."""
    return list(at.dataframe(key="similar").value.iloc[:, 0])


def test_a_city_in_the_url_opens_its_details_in_swedish(dataset):
    at = start(lang="sv", focus="industrial_renewal", city="turku")
    assert at.selectbox(key="city").value == "turku"
    text = details_text(at)
    assert "Åbo" in text and dataset.by_id["turku"].priorities_sv in text
    assert "Nylands förbund" in text
    assert similar_names(at)[:2] == ["Jyväskylä", "Karleby"]  # battery chemistry first
    assert city_layer(at)["selected"] == "turku"


def test_choosing_a_similar_city_selects_it_and_updates_the_url():
    at = start(city="kajaani")
    assert similar_names(at) == ["Joensuu", "Espoo", "Helsinki", "Oulu", "Vantaa", "Tampere"]
    at.session_state["similar"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.selectbox(key="city").value == "joensuu"
    assert url(at)["city"] == ["joensuu"]
    assert "Joensuu" in details_text(at) and "photonics" in details_text(at).lower()


def test_an_unknown_city_in_the_url_is_ignored_with_a_notice():
    at = start(city="atlantis", lang="en")
    assert at.selectbox(key="city").value is None
    assert "city=atlantis" in plain(at.warning[0].value)


def test_an_ignored_url_value_reaches_the_markdown_notice_only_as_a_code_span():
    """Markdown shows a code span literally: no link, image, colour directive or LaTeX."""
    at = start(city="[x](javascript:alert(1)) :red[r] $x$ `y`")
    assert [w.value for w in at.warning] == [
        "A link parameter was not recognised and was ignored: "
        "`` city=[x](javascript:alert(1)) :red[r] $x$ `y` ``"]


def test_hidden_tabs_are_not_computed():
    at = start()
    assert not at.get("vega_lite_chart")
    assert not at.dataframe
    assert len(at.get("component_instance")) == 1


def test_a_row_chosen_in_the_table_shows_the_city_on_the_map():
    at = start(region="north")
    assert table_names(at) == ["Kajaani", "Kokkola", "Oulu", "Rovaniemi", "Sotkamo"]
    assert at.download_button(key="download").label == "CSV for data tools"
    assert "Choose a row" in at.caption[0].value
    at.session_state["table"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert at.session_state["view"] == "Map"
    assert at.selectbox(key="city").value == "oulu"
    assert city_layer(at)["selected"] == "oulu"
    assert url(at)["city"] == ["oulu"]


def test_overview_chart_matrix_and_about_follow_the_filters():
    at = start(region="east")
    open_tab(at, "Focus areas")
    assert len(at.get("vega_lite_chart")) == 1
    assert not at.get("component_instance")
    open_tab(at, "Municipalities × focus areas")
    assert list(at.dataframe[0].value.index) == ["Joensuu", "Kuopio", "Mikkeli"]
    open_tab(at, "About the programme")
    about = plain(" ".join(m.value for m in at.markdown))
    assert "8% of the programme's ERDF funds" in about
    assert "The Council of Tampere Region (Pirkanmaan liitto) coordinates" in about
    facts = " ".join(html_blocks(at, "innomap-about"))
    assert "The ecosystem agreements were signed on 9 February 2021 and are valid until " \
           "31 December 2027." in facts
    assert "Digital health knowledge network · member cities not confirmed" in facts
    # R2-5: the publisher in English, without nested brackets.
    provenance = " ".join(html_blocks(at, "innomap-provenance"))
    assert ("Data: Kestävä kaupunkikehittäminen (Ministry of Economic Affairs and Employment, "
            "rakennerahastot.fi), https://rakennerahastot.fi/kestava-kaupunkikehittaminen") \
        in provenance
    # The data version's day and the change log's newest entry (data/CHANGES.md), in English.
    version = " ".join(html_blocks(at, "innomap-version"))
    assert re.search(r"^Data version [0-9a-f]{8}, 27 November 2026\. Changes 27 November 2026 "
                     r"First published version: 20 municipalities", version), version


def test_a_broken_edit_while_running_keeps_the_last_good_data(write_cities, monkeypatch, collection):
    path = write_cities()
    monkeypatch.setenv("INNOMAP_DATA", str(path))
    at = start()
    assert headline(at) == "20 of 20 municipalities"
    path.write_text(json.dumps(collection)[:1000], encoding="utf-8")  # a half-written file
    at.run()
    assert headline(at) == "20 of 20 municipalities"
    assert [plain(w.value) for w in at.warning] == [
        f"The file {path} could not be read, so the last good version is shown. The command "
        "innomap validate tells why."]
    smaller = dict(collection, features=collection["features"][:4])
    path.write_text(json.dumps(smaller), encoding="utf-8")
    at.run()
    assert headline(at) == "4 of 4 municipalities"
    assert not at.warning


STALE = {
    "fi": ("Tiedostoa {path} ei voi käyttää (virheitä: 2, ensimmäinen kohdassa features[0] "
           "(helsinki).role), joten näytetään viimeisin toimiva versio. Kaikki virheet näkee "
           "komennolla innomap validate.",
           "Tiedostoa {path} ei voitu lukea, joten näytetään viimeisin toimiva versio. Syyn näkee "
           "komennolla innomap validate."),
    "sv": ("Filen {path} kan inte användas (antal fel: 2, det första i features[0] "
           "(helsinki).role), så den senaste fungerande versionen visas. Kommandot innomap "
           "validate visar alla fel.",
           "Filen {path} kunde inte läsas, så den senaste fungerande versionen visas. Kommandot "
           "innomap validate visar orsaken."),
}


@pytest.mark.parametrize("lang", STALE)
def test_the_last_good_data_warning_speaks_the_pages_language(write_cities, monkeypatch,
                                                              collection, lang):
    """The problems' own texts are English; the warning names the file and the place only."""
    def break_two(data):
        data["features"][0]["properties"]["role"] = "capital"
        data["features"][1]["properties"]["themes"] = []

    path = write_cities()
    monkeypatch.setenv("INNOMAP_DATA", str(path))
    at = start(lang)
    broken, unreadable = STALE[lang]
    write_cities(break_two)
    at.run()
    assert [plain(w.value) for w in at.warning] == [broken.format(path=path)]
    path.write_bytes(b"")  # emptied by an editor, mid-save
    at.run()
    assert [plain(w.value) for w in at.warning] == [unreadable.format(path=path)]


TOO_LONG = {
    "fi": ("Excel-tiedostoa ei voi tehdä: sarakkeen painopisteet rivin Helsinki teksti on 40 000 "
           "merkkiä pitkä, ja Excelin soluun mahtuu enintään 32 767 merkkiä. CSV-tiedostossa on "
           "koko teksti."),
    "sv": ("Excel-filen kan inte skapas: texten i kolumnen tyngdpunkter, raden Helsingfors, är "
           "40 000 tecken lång, och en cell i Excel rymmer högst 32 767 tecken. CSV-filen har "
           "hela texten."),
    "en": ("The Excel file cannot be made: the text in column priorities, row Helsinki, is "
           "40,000 characters long, and an Excel cell holds at most 32,767. The CSV file has the "
           "full text."),
}


@pytest.mark.parametrize("lang", TOO_LONG)
def test_a_text_too_long_for_excel_leaves_a_notice_and_the_other_files(write_cities,
                                                                        monkeypatch, lang):
    def lengthen(data):
        data["features"][0]["properties"]["priorities"][lang] = "x" * 40_000

    monkeypatch.setenv("INNOMAP_DATA", str(write_cities(lengthen)))
    at = start(lang)
    assert [b.proto.label for b in at.get("download_button")] == [
        t(f"download.{fmt}", lang) for fmt in ("geojson", "csv", "png", "svg")]
    assert [plain(w.value) for w in at.warning] == [TOO_LONG[lang]]
    # The number as the language writes it (plain() turns fi/sv's no-break space into a space).
    assert format_number(40_000, lang) in at.warning[0].value


def test_a_too_long_text_on_the_about_sheet_is_named_by_its_label(write_cities, monkeypatch):
    def lengthen(data):
        data["metadata"]["attribution"]["sv"] = "x" * 40_000

    monkeypatch.setenv("INNOMAP_DATA", str(write_cities(lengthen)))
    at = start("sv")
    assert [plain(w.value) for w in at.warning] == [
        "Excel-filen kan inte skapas: texten i Källhänvisning är 40 000 tecken lång, och en cell "
        "i Excel rymmer högst 32 767 tecken. CSV-filen har hela texten."]


def test_filters_offer_no_select_all():
    """Every option at once filters nothing (any) or all away (all); under load a hurried click
    on the first option landed on Streamlit's "Select all" and chose every region."""
    at = start()
    keys = ("focus", "theme", "region", "body", "network")
    assert {key: at.multiselect(key=key).proto.select_all for key in keys} == dict.fromkeys(keys, 0)
