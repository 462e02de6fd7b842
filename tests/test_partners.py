"""Partner finder: ranking by shared focus areas, ties, and the CLI over it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innomap.cli import main
from innomap.partners import find_city, rank_partners


@pytest.mark.parametrize(("city", "lang", "top"), [
    # 4 shared each; Helsinki/Espoo/Vantaa have the closer profile (4 of 6 areas vs 4 of 8).
    ("oulu", "en", [("espoo", 4), ("helsinki", 4), ("vantaa", 4), ("tampere", 4), ("kuopio", 2)]),
    # Same tie in Swedish order: Esbo, Helsingfors, Vanda.
    ("oulu", "sv", [("espoo", 4), ("helsinki", 4), ("vantaa", 4), ("tampere", 4), ("kuopio", 2)]),
    # 1 shared each: Seinäjoki has 1 of 3 areas in common, the others 1 of 4 (then A–Ö).
    ("turku", "fi", [("tampere", 2), ("seinajoki", 1), ("jyvaskyla", 1), ("kokkola", 1),
                     ("kuopio", 1)]),
    ("mikkeli", "fi", [("lahti", 1), ("joensuu", 1), ("kokkola", 1), ("kuopio", 1), ("pori", 1),
                       ("oulu", 1)]),
    ("lappeenranta", "fi", [("vaasa", 1), ("tampere", 1)]),
])
def test_ranking(dataset, city, lang, top):
    ranked = [(m.city, len(m.shared)) for m in rank_partners(dataset, city, lang)]
    assert ranked[:len(top)] == top


def test_own_agreement_is_left_out_and_shared_areas_are_named(dataset):
    ranked = rank_partners(dataset, "kajaani")
    assert "sotkamo" not in [m.city for m in ranked]
    assert [(m.city, m.shared) for m in ranked] == [
        ("joensuu", ("photonics_measurement",)), ("espoo", ("digitalisation",)),
        ("helsinki", ("digitalisation",)), ("oulu", ("digitalisation",)),
        ("vantaa", ("digitalisation",)), ("tampere", ("digitalisation",))]


def test_a_partner_town_finds_what_its_lead_finds(dataset):
    assert rank_partners(dataset, "imatra") == rank_partners(dataset, "lappeenranta")


def test_unknown_city_raises(dataset):
    with pytest.raises(KeyError):
        rank_partners(dataset, "atlantis")


@pytest.mark.parametrize(("text", "city"), [("Åbo", "turku"), ("ULEÅBORG", "oulu"),
                                            (" jyvaskyla ", "jyvaskyla"), ("Jyväskylä", "jyvaskyla"),
                                            ("Stockholm", None)])
def test_find_city_by_id_or_any_name(dataset, text, city):
    assert find_city(dataset, text) == city


def test_cli_partners_lists_the_ranking():
    result = CliRunner().invoke(main, ["partners", "Åbo", "--lang", "sv", "--limit", "2"])
    assert result.exit_code == 0
    assert result.output == (
        "Åbo – liknande kommuner: 2\n"
        "  1. Tammerfors (2): Industri och industriell förnyelse, Hälsoteknik och life science\n"
        "  2. Seinäjoki (1): Industri och industriell förnyelse\n"
    )


def test_cli_partners_unknown_city():
    result = CliRunner().invoke(main, ["partners", "Atlantis"])
    assert result.exit_code == 2
    assert "expected a city id or name" in result.output and "'Atlantis'" in result.output
