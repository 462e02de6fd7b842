"""The dependency rule: nothing under src/innomap talks to Streamlit, and lint enforces it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "innomap"


def imported_modules(path: Path) -> set[str]:
    """Return the top-level names of every module a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_package_module_imports_streamlit():
    offenders = {p.name for p in PACKAGE.glob("*.py")
                 if imported_modules(p) & {"streamlit", "streamlit_folium"}}
    assert offenders == set()


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
