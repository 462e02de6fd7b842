"""The browser files under src/innomap/web: valid JavaScript, and named in the page they load in."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from innomap.assets import RUNTIME_FILES, RUNTIME_SCRIPTS, css_links, js_links
from innomap.shipped import WEB_DIR

SCRIPTS = sorted(WEB_DIR.glob("*.js"))
# Each runtime file names its part, and the parts it uses: })("name", … need("other").
PART = re.compile(r'^\}\)\("(\w+)", function', re.M)
NEED = re.compile(r'need\("(\w+)"\)')


def node() -> str:
    """Return Debian's node; skip without it, but fail on CI, where it must be there."""
    path = shutil.which("node")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing (CI=true: the JavaScript check must run)")
        pytest.skip("node is not installed: apt-get install nodejs")
    return path


def test_there_is_browser_code_to_check():
    """Every script under web/ is a part of the runtime that the map loads."""
    assert sorted(RUNTIME_SCRIPTS) == [p.name for p in SCRIPTS]
    assert RUNTIME_SCRIPTS[-1] == "innomap.js"


@pytest.mark.parametrize("index", range(len(RUNTIME_SCRIPTS)),
                         ids=lambda i: RUNTIME_SCRIPTS[i])
def test_each_part_loads_after_the_parts_it_needs(index):
    """A part takes the parts it needs when it loads: they must come earlier in the order."""
    script = RUNTIME_SCRIPTS[index]
    source = (WEB_DIR / script).read_text(encoding="utf-8")
    # Under Node, need("x") is require("./x.js"): the part's name is its file's name.
    assert PART.findall(source) == [script.removesuffix(".js")]
    earlier = {name.removesuffix(".js") for name in RUNTIME_SCRIPTS[:index]}
    assert set(NEED.findall(source)) - earlier == set()


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
