"""Lead-theme networks: the file's contract, the filter, the CSV and CLI, and the map's links."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from innomap.cities import load_dataset
from innomap.cli import main
from innomap.export import to_csv
from innomap.filters import Filters, from_params, labels
from innomap.mapview import city_payload
from innomap.networks import display_name, load_networks
from innomap.schema import DataError
from innomap.shipped import CITIES, DATA_DIR, THEMES
from innomap.view import View
from innomap.views import city_details
from tests.support.payload import named

NETWORKS = json.loads((DATA_DIR / "networks.json").read_text(encoding="utf-8"))
BATTERY = ["kokkola", "vaasa", "pori", "turku", "lappeenranta", "jyvaskyla", "kuopio"]
CITY_IDS = {f["properties"]["id"] for f in json.loads(CITIES.read_text(encoding="utf-8"))[
    "features"]}


def write_networks(tmp_path: Path, edit) -> Path:
    """Write an edited copy of the shipped networks file; return its path."""
    data = copy.deepcopy(NETWORKS)
    edit(data)
    path = tmp_path / "networks.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def net(data: dict, index: int) -> dict:
    """Return network `index` of a parsed file."""
    return data["networks"][index]


TRANSLATED_RULE = ("expected a list of the languages (fi, sv, en) whose name is innomap's "
                   "translation, each once, leaving at least one published name")
CASES = [
    (lambda d: net(d, 0)["members"].append("atlantis"),
     'networks[0] (battery_chemistry).members[7]: expected a city id from the cities file, '
     'got "atlantis"'),
    (lambda d: net(d, 1).__setitem__("lead", "oulu"),
     'networks[1] (sport_suomi).lead: expected one of the network\'s members, got "oulu"'),
    (lambda d: net(d, 1).__setitem__("id", "battery_chemistry"),
     "networks[1] (battery_chemistry).id: expected a unique id (already used by networks[0])"),
    (lambda d: net(d, 0)["members"].append("vaasa"),
     "networks[0] (battery_chemistry).members: expected each city once"),
    (lambda d: net(d, 0).pop("sources"),
     "networks[0] (battery_chemistry).sources: expected a value (field is required)"),
    (lambda d: net(d, 0).__setitem__("sources", []),
     "networks[0] (battery_chemistry).sources: expected a non-empty list of source URLs"),
    (lambda d: net(d, 0).__setitem__("sources", ["javascript:alert(1)"]),
     'networks[0] (battery_chemistry).sources[0]: expected an http(s):// URL, '
     'got "javascript:alert(1)"'),
    (lambda d: net(d, 3).__setitem__("members", ["oulu", "kuopio"]),
     "networks[3] (digital_health).members: expected none for an unconfirmed network "
     "(enter only confirmed memberships)"),
    (lambda d: net(d, 3).__setitem__("lead", "oulu"),
     "networks[3] (digital_health).lead: expected none for an unconfirmed network"),
    (lambda d: net(d, 2).__setitem__("status", "probable"),
     'networks[2] (photonics).status: expected one of "confirmed", "unconfirmed", '
     'got "probable"'),
    (lambda d: net(d, 1).__setitem__("period", {"start": "2024-12", "end": "2023-04"}),
     'networks[1] (sport_suomi).period.end: expected not before the start "2024-12"'),
    (lambda d: net(d, 1).__setitem__("period", {"start": "April 2023", "end": None}),
     'networks[1] (sport_suomi).period.start: expected a year or month like "2023"'),
    (lambda d: net(d, 0)["name"].pop("sv"),
     "networks[0] (battery_chemistry).name.sv: expected a non-empty text"),
    (lambda d: net(d, 0).__setitem__("members", ["kokkola"]),
     "networks[0] (battery_chemistry).members: expected at least two confirmed member cities"),
    (lambda d: net(d, 0).__setitem__("colour", "red"),
     "networks[0] (battery_chemistry).colour: expected only known fields"),
    # R2-7: which names are innomap's translations.
    (lambda d: net(d, 2).__setitem__("translated", ["fi", "sv", "en"]),
     f'networks[2] (photonics).translated: {TRANSLATED_RULE}, got ["fi", "sv", "en"]'),
    (lambda d: net(d, 2).__setitem__("translated", ["se"]),
     f'networks[2] (photonics).translated: {TRANSLATED_RULE}, got ["se"]'),
    (lambda d: net(d, 2).__setitem__("translated", ["sv", "sv"]),
     f'networks[2] (photonics).translated: {TRANSLATED_RULE}, got ["sv", "sv"]'),
    (lambda d: net(d, 2).__setitem__("translated", "sv"),
     f'networks[2] (photonics).translated: {TRANSLATED_RULE}, got "sv"'),
]


@pytest.mark.parametrize(("edit", "message"), CASES, ids=[c[1][:60] for c in CASES])
def test_each_rule_reports_where_and_what(tmp_path, edit, message):
    with pytest.raises(DataError) as caught:
        load_networks(write_networks(tmp_path, edit), CITY_IDS)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_at_once(tmp_path):
    def break_four(data):
        net(data, 0)["members"].append("atlantis")
        net(data, 1)["lead"] = "oulu"
        net(data, 2)["id"] = "sport_suomi"
        net(data, 5)["sources"] = []

    with pytest.raises(DataError) as caught:
        load_networks(write_networks(tmp_path, break_four), CITY_IDS)
    assert [p.where for p in caught.value.problems] == [
        "networks[0] (battery_chemistry)", "networks[1] (sport_suomi)",
        "networks[2] (sport_suomi)", "networks[5] (sixpoe)"]


def test_a_broken_networks_file_beside_the_cities_stops_the_load(tmp_path, write_cities):
    cities = write_cities()
    write_networks(tmp_path, lambda d: net(d, 0)["members"].append("atlantis"))
    with pytest.raises(DataError) as caught:
        load_dataset(cities, THEMES)
    assert caught.value.path == str(tmp_path / "networks.json")


def test_cities_without_a_networks_file_have_none(write_cities):
    dataset = load_dataset(write_cities(), THEMES)
    assert dataset.networks == ()
    assert set(dataset.cities["networks"]) == {()}


def test_the_shipped_networks(dataset):
    battery = dataset.network("battery_chemistry")
    assert (battery.lead, list(battery.members), battery.status) == ("kokkola", BATTERY,
                                                                     "confirmed")
    sport = dataset.network("sport_suomi")
    assert (sport.lead, sport.members, sport.period) == ("jyvaskyla",
                                                         ("jyvaskyla", "lahti", "kuopio"),
                                                         ("2023-04", "2024-12"))
    photonics = dataset.network("photonics")
    assert (photonics.lead, photonics.members) == (None, ("joensuu", "tampere", "oulu"))
    unpublished = [n.id for n in dataset.networks if n.status == "unconfirmed"]
    assert unpublished == ["digital_health", "green_electrification_hydrogen", "sixpoe"]
    assert all(not dataset.network(n).members and dataset.network(n).lead is None
               for n in unpublished)
    assert [n.id for n in dataset.mapped_networks] == ["battery_chemistry", "sport_suomi",
                                                       "photonics"]


def test_choosing_battery_chemistry_shows_exactly_its_seven_cities(dataset, broad_of):
    rows = Filters(network=("battery_chemistry",)).apply(dataset.cities, broad_of)
    assert sorted(rows["id"]) == sorted(BATTERY)


def test_networks_combine_with_or_and_with_other_filters_with_and(dataset, broad_of):
    both = Filters(network=("sport_suomi", "photonics")).apply(dataset.cities, broad_of)
    assert list(both["id"]) == ["lahti", "jyvaskyla", "tampere", "joensuu", "kuopio", "oulu"]
    west = Filters(network=("battery_chemistry",), region=("west",), match="all")
    assert list(west.apply(dataset.cities, broad_of)["id"]) == ["jyvaskyla", "pori", "vaasa"]


@pytest.mark.parametrize(("lang", "words"), [
    ("fi", "Akkukemian osaamisverkosto tai Sport Suomi -ekosysteemi (innomapin suomennos; "
           "päättynyt 12/2024)"),
    ("sv", "Kompetensnätverket för batterikemi (innomaps översättning) eller Ekosystemet Sport "
           "Suomi (innomaps översättning; avslutat 12/2024)"),
    ("en", "Battery chemistry expertise network or Sport Suomi ecosystem (ended 12/2024)"),
])
def test_the_headline_names_the_networks_with_or(dataset, lang, words):
    filters = Filters(network=("battery_chemistry", "sport_suomi"), match="all")
    assert filters.describe(labels(dataset, lang)) == words


def test_network_lives_in_the_url_and_unknown_or_unpublished_ones_are_flagged():
    choices = {"network": ("battery_chemistry", "photonics")}
    filters = Filters(network=("battery_chemistry",))
    assert filters.to_params() == {"network": ["battery_chemistry"]}
    assert from_params(filters.to_params(), choices) == (filters, [])
    assert from_params({"network": ["photonics", "digital_health"]}, choices) == (
        Filters(network=("photonics",)), ["network=digital_health"])
    assert Filters(network=("battery_chemistry",)).slug() == "battery-chemistry"


def test_the_map_links_kokkola_to_each_other_member(dataset, broad_of):
    rows = Filters(network=("battery_chemistry",)).apply(dataset.cities, broad_of)
    data = city_payload(View(dataset, "fi", rows, Filters(network=("battery_chemistry",))))
    kokkola = dataset.by_id["kokkola"]
    assert [link[4:] for link in data["links"]] == [
        ["battery_chemistry", m] for m in BATTERY if m != "kokkola"]
    assert all(link[:2] == [kokkola.lat, kokkola.lon] for link in data["links"])
    vaasa = dataset.by_id["vaasa"]
    assert data["links"][0][2:4] == [vaasa.lat, vaasa.lon]


def test_links_are_drawn_only_for_chosen_networks_between_shown_cities(dataset, broad_of):
    assert city_payload(View(dataset, "fi", dataset.cities))["links"] == []
    # Photonics has no confirmed lead: its members show, joined by nothing.
    assert city_payload(View(dataset, "fi", dataset.cities, Filters(network=("photonics",))))["links"] == []
    west = Filters(network=("battery_chemistry",), region=("west",)).apply(dataset.cities,
                                                                          broad_of)
    assert city_payload(View(dataset, "fi", west, Filters(network=("battery_chemistry",))))["links"] == []
    # An unpublished network is never drawn, even if asked for.
    assert city_payload(View(dataset, "fi", dataset.cities, Filters(network=("sixpoe",))))["links"] == []


@pytest.mark.parametrize(("city", "lang", "text"), [
    ("kokkola", "fi", "Akkukemian osaamisverkosto (vetäjä)"),
    ("jyvaskyla", "en", "Battery chemistry expertise network (member); "
                        "Sport Suomi ecosystem (lead, ended 12/2024)"),
    ("oulu", "sv", "Städernas innovationsekosystem för fotonik (innomaps översättning; medlem)"),
    ("helsinki", "fi", ""),
])
def test_popups_name_each_citys_networks_and_its_role(dataset, city, lang, text):
    data = city_payload(View(dataset, lang, dataset.cities))
    place = next(p for p in named(data) if p["id"] == city)
    assert data["catalogue"]["texts"][place["networks"]] == text


def test_the_csv_has_a_networks_column(dataset):
    rows = Filters(network=("sport_suomi",)).apply(dataset.cities, {})
    table = list(csv.DictReader(io.StringIO(to_csv(View(dataset, "en", rows)).decode("utf-8-sig"))))
    assert {r["id"]: r["networks"] for r in table} == {
        "lahti": "Sport Suomi ecosystem (member, ended 12/2024)",
        "jyvaskyla": "Battery chemistry expertise network (member); "
                     "Sport Suomi ecosystem (lead, ended 12/2024)",
        "kuopio": "Battery chemistry expertise network (member); "
                  "Sport Suomi ecosystem (member, ended 12/2024)"}


def test_cli_export_filters_by_network_like_the_dashboard(dataset):
    result = CliRunner().invoke(main, ["export", "--network", "battery_chemistry", "--lang",
                                       "sv", "-o", "-"])
    assert result.exit_code == 0, result.output
    rows = Filters(network=("battery_chemistry",)).apply(dataset.cities, {})
    assert result.stdout_bytes == to_csv(View(dataset, "sv", rows))
    assert len(rows) == 7


def test_cli_export_rejects_an_unpublished_network():
    result = CliRunner().invoke(main, ["export", "--network", "digital_health", "-o", "-"])
    assert result.exit_code == 2
    assert "expected one of battery_chemistry, sport_suomi, photonics; got " \
           "'digital_health'" in result.output.replace("\n", " ")


def test_the_shipped_load_uses_the_networks_beside_the_cities():
    assert len(load_dataset(CITIES, THEMES).networks) == 6


@pytest.mark.parametrize(("period", "today", "lang", "name"), [
    (("2023-04", "2024-12"), date(2025, 1, 1), "fi",
     "Sport Suomi -ekosysteemi (innomapin suomennos; päättynyt 12/2024)"),
    (("2023-04", "2024-12"), date(2026, 11, 29), "sv",
     "Ekosystemet Sport Suomi (innomaps översättning; avslutat 12/2024)"),
    (("2023-04", "2024-12"), date(2024, 12, 31), "en", "Sport Suomi ecosystem"),
    (("2023", "2024"), date(2025, 1, 1), "en", "Sport Suomi ecosystem (ended 2024)"),
    (("2023", "2024"), date(2024, 12, 1), "en", "Sport Suomi ecosystem"),
    (("2023", None), date(2099, 1, 1), "en", "Sport Suomi ecosystem"),
])
def test_a_network_is_named_ended_once_its_period_is_over(dataset, period, today, lang, name):
    """The mark comes from the data's period end, not from a fixed string."""
    sport = replace(dataset.network("sport_suomi"), period=period)
    assert display_name(sport, lang, today) == name


@pytest.mark.parametrize(("lang", "shown"), [
    ("fi", "Sport Suomi -ekosysteemi (innomapin suomennos; päättynyt 12/2024)"),
    ("sv", "Ekosystemet Sport Suomi (innomaps översättning; avslutat 12/2024)"),
    ("en", "Sport Suomi ecosystem (ended 12/2024)"),
])
def test_sport_suomi_is_shown_ended_in_the_filter_details_and_partner_finder(dataset, lang,
                                                                              shown):
    """Sport Suomi ran 4/2023–12/2024: every place that names it says it has ended."""
    assert labels(dataset, lang)["network"]["sport_suomi"] == shown
    similar = city_details(View.of(dataset, lang=lang), "lahti").similar
    assert any(shown in networks for _, _, networks, _ in similar)


# R2-7: only the Finnish name of battery chemistry and the English names are published
# (programme-facts.md); every other name is innomap's translation and is marked as one.
TRANSLATED = {"battery_chemistry": ("sv",), "sport_suomi": ("fi", "sv"),
              "photonics": ("fi", "sv"), "digital_health": ("fi", "sv"),
              "green_electrification_hydrogen": ("fi", "sv"), "sixpoe": ("fi", "sv")}


def test_the_names_no_source_gives_are_listed_as_translations(dataset):
    assert {n.id: n.translated for n in dataset.networks} == TRANSLATED
    battery = dataset.network("battery_chemistry")
    assert battery.name["fi"] == "Akkukemian osaamisverkosto"
    assert dataset.network("green_electrification_hydrogen").name["fi"] == (
        "Vihreän sähköistämisen ja vedyn ekosysteemivetovastuu")


@pytest.mark.parametrize(("network", "lang", "shown"), [
    ("battery_chemistry", "fi", "Akkukemian osaamisverkosto"),
    ("battery_chemistry", "sv", "Kompetensnätverket för batterikemi (innomaps översättning)"),
    ("battery_chemistry", "en", "Battery chemistry expertise network"),
    ("photonics", "fi", "Kaupunkien fotoniikan innovaatioekosysteemi (innomapin suomennos)"),
    ("photonics", "en", "Photonics innovation ecosystem in cities"),
])
def test_a_translated_name_is_marked_in_the_filter_and_headline(dataset, network, lang, shown):
    assert labels(dataset, lang)["network"][network] == shown
    assert Filters(network=(network,)).describe(labels(dataset, lang)) == shown


@pytest.mark.parametrize(("lang", "line"), [
    ("fi", "Kaupunkien fotoniikan innovaatioekosysteemi (innomapin suomennos; julkaistu nimi: "
           "Photonics innovation ecosystem in cities) · vetäjäkaupunkia ei ole vahvistettu"),
    ("fi", "Vihreän sähköistämisen ja vedyn ekosysteemivetovastuu (innomapin suomennos; "
           "julkaistu nimi: Green electrification and hydrogen ecosystem stewardship) · "
           "jäsenkaupunkeja ei ole vahvistettu"),
    ("sv", "Kompetensnätverket för batterikemi (innomaps översättning; publicerat namn: "
           "Akkukemian osaamisverkosto) · ledande stad: Karleby"),
    ("sv", "Städernas innovationsekosystem för fotonik (innomaps översättning; publicerat namn: "
           "Photonics innovation ecosystem in cities) ·"),
    ("fi", "Akkukemian osaamisverkosto · vetäjä: Kokkola"),
    ("en", "Digital health knowledge network · member cities not confirmed"),
])
def test_about_gives_the_published_name_beside_a_translation(dataset, lang, line):
    from innomap.about import about_html
    assert line in html.unescape(re.sub(r"<[^>]+>", "", about_html(View.of(dataset, lang=lang))))


@pytest.mark.parametrize(("lang", "marked"), [
    ("fi", '(innomapin suomennos; julkaistu nimi: <span lang="en">Photonics innovation ecosystem '
           'in cities</span>)'),
    ("sv", '(innomaps översättning; publicerat namn: <span lang="fi">Akkukemian '
           'osaamisverkosto</span>)'),
])
def test_a_published_name_in_another_language_is_marked_with_it(dataset, lang, marked):
    """Issue 21 §4 (WCAG 3.1.2): a screen reader reads the English or Finnish name in its own
    language on a Finnish or Swedish page."""
    from innomap.about import about_html
    assert marked in about_html(View.of(dataset, lang=lang))


def test_the_exports_and_popups_mark_a_translated_name(dataset):
    text = to_csv(View.of(dataset, Filters(network=("photonics",)), "fi")).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["tunniste"] == "joensuu")
    assert row["verkostot"] == "Kaupunkien fotoniikan innovaatioekosysteemi (innomapin " \
                               "suomennos; jäsen)"
    details = city_details(View.of(dataset, lang="en"), "joensuu")
    assert details.networks == ["Photonics innovation ecosystem in cities (member)"]
