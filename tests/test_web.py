"""The browser files under src/innomap/web: valid JavaScript, and named in the page they load in."""

from __future__ import annotations

import subprocess

import pytest

from innomap.assets import css_links, js_links
from innomap.shipped import WEB_DIR
from tests.support.tools import require_tool

SCRIPTS = sorted(WEB_DIR.glob("*.js"))


def node() -> str:
    """Return Debian's node; skip without it, but fail on CI, where it must be there."""
    return require_tool("node", "node is not installed: apt-get install nodejs")


def test_there_is_browser_code_to_check():
    assert [p.name for p in SCRIPTS] == ["innomap.js"]


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


def test_every_runtime_file_is_loaded_by_the_map():
    links = js_links() + css_links()
    for name in ("innomap.js", "innomap.css"):
        stem, suffix = name.split(".")
        assert any(f"/innomap/{stem}-" in a and a.endswith(f".{suffix}") for a in links), name
