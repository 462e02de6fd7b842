"""The architecture: import-linter's contracts (pyproject.toml) hold, and can fail; ruff's
TID251 keeps Streamlit out of every file but the shell's, dashboard.py included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "innomap"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LAYERS = "Layers: the shells over ops and the views, down to schema and shipped"
STREAMLIT = "Only innomap.ui imports Streamlit"
SHELL = "The core and ops never import the Streamlit shell innomap.ui"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contracts on the package under `src`."""
    # PYTHONPATH comes before the editable install's path, so `innomap` is the copy under src.
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config",
                           str(ROOT / "pyproject.toml")], cwd=src, capture_output=True,
                          text=True, env=os.environ | {"PYTHONPATH": str(src)}, check=False)


def edited_copy(tmp_path: Path, module: str, line: str) -> Path:
    """Copy the package to tmp_path/src and append a line to one module (created if new)."""
    copy = tmp_path / "src" / "innomap"
    shutil.copytree(PACKAGE, copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / module
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + line + "\n",
                    encoding="utf-8")
    return tmp_path / "src"


def test_the_contracts_hold():
    done = lint_imports(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("filters.py", "import streamlit", {STREAMLIT}),
    ("ops/launcher.py", "import streamlit_folium", {STREAMLIT}),
    ("views.py", "from innomap.ui import state", {LAYERS, SHELL}),
    ("schema.py", "from innomap import cities", {LAYERS}),
    ("extra.py", "", {LAYERS}),
], ids=["streamlit-in-core", "streamlit_folium-in-ops", "core-imports-ui", "schema-imports-up",
        "module-in-no-layer"])
def test_a_broken_rule_fails_its_contract(tmp_path, module, line, broken):
    done = lint_imports(edited_copy(tmp_path, module, line))
    assert done.returncode != 0
    assert {name for name in (LAYERS, STREAMLIT, SHELL) if f"{name} BROKEN" in done.stdout} \
        == broken, done.stdout


def test_the_readme_shows_the_contracts_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c["layers"] for c in config["tool"]["importlinter"]["contracts"]
                  if c["name"] == LAYERS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```\n" + "\n".join(layers) + "\n```" in readme


def test_ruff_rejects_a_streamlit_import_under_src():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--stdin-filename",
         str(PACKAGE / "new_module.py"), "-"],
        input="import streamlit as st\n", capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 1
    assert "TID251" in done.stdout and "keep the core free of it" in done.stdout


def test_ruff_allows_streamlit_in_the_dashboard():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID251",
         "--stdin-filename", str(ROOT / "dashboard.py"), "-"],
        input="import streamlit as st\n\nst.write(1)\n", capture_output=True, text=True, cwd=ROOT,
        check=False)
    assert done.returncode == 0, done.stdout
