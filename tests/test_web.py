"""The browser files under src/innomap/web: valid JavaScript, and named in the page they load in."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from innomap.assets import (
    PAGE_SCRIPTS,
    RUNTIME_FILES,
    RUNTIME_PARTS,
    RUNTIME_SCRIPTS,
    css_links,
    js_links,
)
from innomap.filters import Filters
from innomap.i18n import t
from innomap.mapelements import REGION_COLOURS
from innomap.mapview import build_base_map, city_layer_data, city_payload
from innomap.schema import LANGS
from innomap.shipped import WEB_DIR
from innomap.ui.mapcomponent import group_script
from innomap.view import View
from tests.support.tools import require_tool

SCRIPTS = sorted(WEB_DIR.glob("*.js"))
# Decodes a city layer with the browser's decoder (web/wire.js) and prints it.
DECODE = Path(__file__).parent / "js" / "decode.js"
SETUP_CALL = "window.innomap.setup("
# The most lines a file of the runtime may have (the largest, labels.js, has 150).
MAX_PART_LINES = 250
# Each runtime file names its part, and the parts it uses: })("name", … need("other").
PART = re.compile(r'window\.innomapPart\)\("(\w+)", function')
NEED = re.compile(r'need\("(\w+)"\)')


def node() -> str:
    """Return Debian's node; skip without it, but fail on CI, where it must be there."""
    return require_tool("node", "node is not installed: apt-get install nodejs npm")


def test_there_is_browser_code_to_check():
    """Every script under web/ is a part of the runtime that the map loads, or the page's."""
    assert sorted((*RUNTIME_SCRIPTS, *PAGE_SCRIPTS)) == [p.name for p in SCRIPTS]
    assert not set(RUNTIME_SCRIPTS) & set(PAGE_SCRIPTS)
    assert (RUNTIME_SCRIPTS[0], RUNTIME_SCRIPTS[-1]) == ("part.js", "innomap.js")


def test_each_part_stays_small():
    """One concern per file (issue 20): none grows back into a file that does everything."""
    lines = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in SCRIPTS}
    assert {name: n for name, n in lines.items() if n > MAX_PART_LINES} == {}


@pytest.mark.parametrize("index", range(len(RUNTIME_PARTS)), ids=lambda i: RUNTIME_PARTS[i])
def test_each_part_loads_after_the_parts_it_needs(index):
    """A part takes the parts it needs when it loads: they must come earlier in the order."""
    name = RUNTIME_PARTS[index]
    source = (WEB_DIR / f"{name}.js").read_text(encoding="utf-8")
    # Under Node, need("x") is require("./x.js"): the part's name is its file's name.
    assert PART.findall(source) == [name]
    assert set(NEED.findall(source)) - set(RUNTIME_PARTS[:index]) == set()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse(script):
    done = subprocess.run([node(), "--check", str(script)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_a_syntax_error_is_caught(tmp_path):
    broken = tmp_path / "broken.js"
    broken.write_text("window.innomap = (function () {\n", encoding="utf-8")
    done = subprocess.run([node(), "--check", str(broken)], capture_output=True, text=True,
                          check=False)
    assert done.returncode != 0 and "SyntaxError" in done.stderr


def test_every_runtime_file_is_loaded_by_the_map_in_order():
    links = js_links() + css_links()
    pattern = r"\.\./\.\./app/static/innomap/{}-[0-9a-f]{{12}}\.{}"
    runtime = [link for link in links if "/innomap/" in link]
    assert len(runtime) == len(RUNTIME_FILES)
    for link, name in zip(runtime, RUNTIME_FILES, strict=True):
        assert re.fullmatch(pattern.format(*name.split(".")), link), (name, link)


def decoded_layer(dataset, lang: str, tmp_path: Path) -> dict:
    """Return the shipped cities' payload, all networks chosen, as the browser decodes it: the
    payload from the dashboard's feature-group script, the field names from the base map's
    setup() call."""
    page = build_base_map(lang).get_root().render()
    config = json.JSONDecoder().raw_decode(page, page.index("{", page.index(SETUP_CALL)))[0]
    networks = tuple(network.id for network in dataset.mapped_networks)
    payload = city_layer_data(group_script(city_payload(View(
        dataset, lang, dataset.cities, Filters(network=networks)))))
    layer = tmp_path / f"layer-{lang}.json"
    layer.write_text(json.dumps({"wire": config["wire"], "payload": payload}), encoding="utf-8")
    done = subprocess.run([node(), str(DECODE), str(layer)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("lang", LANGS)
def test_the_browser_decodes_each_city_as_mapview_meant_it(dataset, tmp_path, lang):
    """Python and the browser agree on the payload's fields: decoded by name, every shipped
    city has its own id, place, role, region and texts."""
    data = decoded_layer(dataset, lang, tmp_path)
    texts, sets = data["catalogue"]["texts"], data["catalogue"]["sets"]
    assert [place["id"] for place in data["places"]] == list(dataset.cities["id"])
    for place in data["places"]:
        row = dataset.by_id[place["id"]]
        assert (place["lat"], place["lon"]) == (round(row.lat, 5), round(row.lon, 5))
        assert place["partner"] == int(row.role == "partner_town")
        assert list(REGION_COLOURS)[place["region"]] == row.macro_region
        assert texts[place["name"]] == getattr(row, f"name_{lang}")
        assert texts[place["area"]].startswith(getattr(row, f"maakunta_{lang}") + " · ")
        assert texts[place["role"]] == t(f"role.{row.role}", lang)
        assert texts[place["body"]] == getattr(row, f"body_{lang}")
        assert texts[place["priorities"]] == getattr(row, f"priorities_{lang}")
        assert [texts[i] for i in sets[place["focus"]]] == [
            dataset.taxonomy.focus_label(focus, lang) for focus in row.themes]
        assert texts[place["agreement"]] and texts[place["networks"]] is not None


def test_the_browser_decodes_partner_lines_and_network_links(dataset, tmp_path):
    """Each partner line runs from its partner town to the lead city, each network link from
    the network's lead to a member."""
    data = decoded_layer(dataset, "en", tmp_path)
    partners = [row for row in dataset.by_id.values() if row.role == "partner_town"]
    assert len(data["lines"]) == len(partners) > 0
    for line, town in zip(data["lines"], partners, strict=True):
        lead = dataset.by_id[town.lead_city]
        assert [line["lat"], line["lon"], line["leadLat"], line["leadLon"]] == [
            town.lat, town.lon, lead.lat, lead.lon]
        assert list(REGION_COLOURS)[line["region"]] == town.macro_region
    leads = {network.id: dataset.by_id[network.lead] for network in dataset.mapped_networks
             if network.lead}  # a network with no confirmed lead has no links
    assert data["links"]
    for link in data["links"]:
        lead, member = leads[link["network"]], dataset.by_id[link["member"]]
        assert [link["leadLat"], link["leadLon"], link["memberLat"], link["memberLon"]] == [
            lead.lat, lead.lon, member.lat, member.lon]
