"""The command line: every command documented, thin over the library, honest exit codes."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from innomap.cli import main
from innomap.export import FORMATS, export_bytes, to_csv
from innomap.filters import Filters
from innomap.view import View
from tests.support.workbook import cells

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def runner() -> CliRunner:
    """Return a Click runner."""
    return CliRunner()


def test_every_command_has_help_and_is_in_the_readme(runner):
    readme = README.read_text(encoding="utf-8")
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert command.help.splitlines()[0] in result.output
        assert f"innomap {name}" in readme, f"README does not show `innomap {name}`"


def test_validate_accepts_the_shipped_file(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert result.output.endswith(": OK, 20 municipalities\n")


def test_validate_lists_every_problem_and_exits_1(runner, write_cities):
    def break_two(data):
        data["features"][18]["geometry"]["coordinates"] = [65.0121, 25.4651]
        data["features"][5]["properties"]["lead_city"] = "atlantis"

    path = write_cities(break_two)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: 2 problems\n" in result.output
    assert "features[18] (oulu).geometry: expected [lon, lat] inside Finland, got " \
           "[65.0121, 25.4651] (swapped? GeoJSON wants [lon, lat])" in result.output
    assert 'features[5] (imatra).lead_city: expected the id of an ecosystem city' in result.output


def test_validate_a_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.geojson")])
    assert result.exit_code == 1
    assert "expected an existing GeoJSON file" in result.output


def test_export_writes_what_the_dashboard_downloads(runner, dataset, broad_of):
    result = runner.invoke(main, ["export", "--focus", "circular_economy", "--region", "east",
                                  "--lang", "sv", "-o", "-"])
    assert result.exit_code == 0
    rows = Filters(focus=("circular_economy",), region=("east",)).apply(dataset.cities, broad_of)
    assert result.stdout_bytes == to_csv(View(dataset, "sv", rows))


def test_export_default_file_name_matches_the_dashboard(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["export", "--focus", "water", "--no-partners"])
    assert result.exit_code == 0
    written = tmp_path / "innomap_fi_water_no-partners.csv"
    assert written.read_bytes().startswith(b"\xef\xbb\xbftunniste,kunta")
    assert "2 of 20 municipalities" in result.output


def test_export_offers_every_format_csv_by_default():
    choices = next(p for p in main.commands["export"].params if p.name == "fmt").type.choices
    assert list(choices) == ["csv", "xlsx", "geojson", "png", "svg"]
    assert set(choices) == set(FORMATS)


@pytest.mark.parametrize(("fmt", "size", "name"), [
    ("svg", [], "innomap_en_circular-economy_east.svg"),
    ("png", ["--size", "a4"], "innomap_en_circular-economy_east_a4.png"),
])
def test_export_images_are_the_dashboards_in_another_process(dataset, tmp_path, fmt, size,
                                                             name):
    """A separate process (python -m innomap) writes what export_bytes gives here: the SVG
    byte for byte, the PNG pixel for pixel (and byte for byte: no date, no version in it)."""
    done = subprocess.run(
        [sys.executable, "-m", "innomap", "export", "--focus", "circular_economy", "--region",
         "east", "--lang", "en", "--format", fmt, *size, "--url", "https://innomap.example.fi/"],
        cwd=tmp_path, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode() == f"{name}: 2 of 20 municipalities\n"
    written = (tmp_path / name).read_bytes()
    view = View.of(dataset, Filters(focus=("circular_economy",), region=("east",)), "en",
                   "https://innomap.example.fi/")
    here = export_bytes(fmt, view, size[-1] if size else "slide")
    if fmt == "png":
        assert pixels(written) == pixels(here)
    assert written == here


def pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    """Return a PNG's size and RGBA pixels."""
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    return image.size, image.tobytes()


def test_export_refuses_an_unknown_image_size(runner):
    result = runner.invoke(main, ["export", "--format", "png", "--size", "a3"])
    assert result.exit_code == 2
    assert "Invalid value for '--size': 'a3' is not one of 'slide', 'a4'." in result.output


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_formats_byte_for_byte(runner, dataset, broad_of, fmt):
    filters = Filters(focus=("circular_economy",), partners=False)
    result = runner.invoke(main, ["export", "--focus", "circular_economy", "--no-partners",
                                  "--format", fmt, "--lang", "sv", "-o", "-"])
    assert result.exit_code == 0, result.output
    rows = filters.apply(dataset.cities, broad_of)
    assert result.stdout_bytes == export_bytes(fmt, View(dataset, "sv", rows, filters))


@pytest.mark.parametrize(("args", "url"), [
    ([], "?focus=circular_economy&region=east&lang=fi"),
    (["--url", "https://innomap.example.fi/kartta/"],
     "https://innomap.example.fi/kartta/?focus=circular_economy&region=east&lang=fi"),
])
def test_export_xlsx_has_the_dashboards_cells(runner, dataset, broad_of, args, url):
    """The same cells and types; only the zip's timestamps may differ."""
    filters = Filters(focus=("circular_economy",), region=("east",))
    result = runner.invoke(main, ["export", "--focus", "circular_economy", "--region", "east",
                                  "--format", "xlsx", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    dashboard = export_bytes("xlsx", View.of(dataset, filters, "fi", args[1] if args else None))
    assert cells(result.stdout_bytes) == cells(dashboard)
    assert cells(result.stdout_bytes)["Tietoja"][3][1] == (url, "s")


def test_export_url_from_the_environment(runner, monkeypatch):
    monkeypatch.setenv("INNOMAP_URL", "https://innomap.example.fi/")
    result = runner.invoke(main, ["export", "--format", "xlsx", "-o", "-"])
    assert cells(result.stdout_bytes)["Tietoja"][3][1] == ("https://innomap.example.fi/?lang=fi",
                                                         "s")


@pytest.mark.parametrize("fmt", ["xlsx", "geojson"])
def test_export_default_file_name_per_format(runner, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["export", "--focus", "water", "--format", fmt, "--lang", "sv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"innomap_sv_water.{fmt}").stat().st_size > 0
    assert "2 of 20 municipalities" in result.output


def test_export_a_text_too_long_for_excel_fails_with_a_hint(runner, write_cities):
    def lengthen(data):
        data["features"][0]["properties"]["priorities"]["fi"] = "ä" * 40_000

    result = runner.invoke(main, ["export", "--data", str(write_cities(lengthen)), "--format",
                                  "xlsx", "-o", "-"])
    assert result.exit_code == 1
    assert "Kunnat!K2: 40,000 characters of text; an Excel cell holds at most 32,767" in (
        result.output)
    assert "try --format csv" in result.output


def test_export_rejects_an_unknown_focus_area(runner):
    result = runner.invoke(main, ["export", "--focus", "teleportation", "-o", "-"])
    assert result.exit_code == 2
    assert re.search(r"--focus.*expected one of circular_economy, .*got 'teleportation'",
                     result.output.replace("\n", " "))


def test_export_follows_innomap_data(runner, write_cities, monkeypatch):
    monkeypatch.setenv("INNOMAP_DATA", str(write_cities(lambda d: d["features"].pop())))
    result = runner.invoke(main, ["export", "-o", "-"])
    assert result.stdout_bytes.count(b"\r\n") == 1 + 19


def test_console_script_is_installed():
    done = subprocess.run([sys.executable, "-m", "innomap", "--help"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout and "export" in done.stdout


def test_serve_hosts_needs_replicas(runner):
    result = runner.invoke(main, ["serve", "--hosts", "2"])
    assert result.exit_code == 2
    assert "Error: --hosts needs --replicas: how many replicas each host runs\n" in result.output
