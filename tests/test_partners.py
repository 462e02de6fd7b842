"""Partner finder: ranking by shared focus areas, ties, and the CLI over it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innomap.cli import main
from innomap.partners import find_city, rank_partners


@pytest.mark.parametrize(("city", "lang", "top"), [
    # (city, shared focus areas, shared networks): networks first, then focus areas.
    # Tampere and Joensuu share the photonics network with Oulu; then 4 shared areas each,
    # Helsinki/Espoo/Vantaa having the closer profile (4 of 6 areas vs 4 of 8).
    ("oulu", "en", [("tampere", 4, ("photonics",)), ("joensuu", 1, ("photonics",)),
                    ("espoo", 4, ()), ("helsinki", 4, ()), ("vantaa", 4, ()), ("kuopio", 2, ())]),
    # Same tie in Swedish order: Esbo, Helsingfors, Vanda.
    ("oulu", "sv", [("tampere", 4, ("photonics",)), ("joensuu", 1, ("photonics",)),
                    ("espoo", 4, ()), ("helsinki", 4, ()), ("vantaa", 4, ())]),
    # Turku's battery-chemistry partners first, even those with no focus area in common.
    ("turku", "fi", [("jyvaskyla", 1, ("battery_chemistry",)), ("kokkola", 1, ("battery_chemistry",)),
                     ("kuopio", 1, ("battery_chemistry",)), ("lappeenranta", 0, ("battery_chemistry",)),
                     ("pori", 0, ("battery_chemistry",)), ("vaasa", 0, ("battery_chemistry",)),
                     ("tampere", 2, ())]),
    # In no network: focus areas alone, 1 shared each, Lahti closest (1 of 3), then A–Ö.
    ("mikkeli", "fi", [("lahti", 1, ()), ("joensuu", 1, ()), ("kokkola", 1, ()), ("kuopio", 1, ()),
                       ("pori", 1, ()), ("oulu", 1, ())]),
])
def test_ranking(dataset, city, lang, top):
    ranked = [(m.city, len(m.shared), m.networks) for m in rank_partners(dataset, city, lang)]
    assert ranked[:len(top)] == top


def test_own_agreement_is_left_out_and_shared_areas_are_named(dataset):
    ranked = rank_partners(dataset, "kajaani")
    assert "sotkamo" not in [m.city for m in ranked]
    assert [(m.city, m.shared) for m in ranked] == [
        ("joensuu", ("photonics_measurement",)), ("espoo", ("digitalisation",)),
        ("helsinki", ("digitalisation",)), ("oulu", ("digitalisation",)),
        ("vantaa", ("digitalisation",)), ("tampere", ("digitalisation",))]


def test_a_partner_town_shares_its_leads_focus_areas_but_not_its_networks(dataset):
    """Imatra is in the Lappeenranta agreement but not in the battery-chemistry network."""
    imatra = rank_partners(dataset, "imatra")
    lappeenranta = rank_partners(dataset, "lappeenranta")
    assert all(not m.networks for m in imatra)
    assert {(m.city, m.shared) for m in imatra} == {(m.city, m.shared) for m in lappeenranta
                                                      if m.shared}


def test_unknown_city_raises(dataset):
    with pytest.raises(KeyError):
        rank_partners(dataset, "atlantis")


@pytest.mark.parametrize(("text", "city"), [("Åbo", "turku"), ("ULEÅBORG", "oulu"),
                                            (" jyvaskyla ", "jyvaskyla"), ("Jyväskylä", "jyvaskyla"),
                                            ("Stockholm", None)])
def test_find_city_by_id_or_any_name(dataset, text, city):
    assert find_city(dataset, text) == city


def test_cli_partners_lists_the_ranking():
    result = CliRunner().invoke(main, ["partners", "Åbo", "--lang", "sv", "--limit", "5"])
    assert result.exit_code == 0
    assert result.output == (
        "Åbo – liknande kommuner: 5\n"
        "  1. Jyväskylä [Kompetensnätverket för batterikemi (innomaps översättning)] (1): Industri och industriell "
        "förnyelse\n"
        "  2. Karleby [Kompetensnätverket för batterikemi (innomaps översättning)] (1): Industri och industriell "
        "förnyelse\n"
        "  3. Kuopio [Kompetensnätverket för batterikemi (innomaps översättning)] (1): Hälsoteknik och life science\n"
        "  4. Björneborg [Kompetensnätverket för batterikemi (innomaps översättning)]\n"
        "  5. Vasa [Kompetensnätverket för batterikemi (innomaps översättning)]\n"
    )


def test_cli_partners_unknown_city():
    result = CliRunner().invoke(main, ["partners", "Atlantis"])
    assert result.exit_code == 2
    assert "expected a city id or name" in result.output and "'Atlantis'" in result.output
