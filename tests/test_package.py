"""The wheel as a user installs it: built, installed outside the checkout, run from an empty folder.

Its dependencies come from uv.lock, so this also proves the lock installs. Marked `package`
(about half a minute); the serve test also needs the browser.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.package


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; fail with its output if it fails; return its standard output."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def user_env(home: Path) -> dict[str, str]:
    """Return an environment like a new user's: no checkout on the path, no innomap settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("INNOMAP_", "STREAMLIT_", "VIRTUAL_ENV", "PYTHONPATH"))}
    return env | {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel, install it with the locked dependencies into a new venv; return its bin."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is not installed (python3 dev.py installs it into .venv)"
    built = tmp_path_factory.mktemp("dist")
    run(uv, "build", "--quiet", "--wheel", "--out-dir", built, ROOT, cwd=ROOT)
    (wheel,) = built.glob("innomap-*.whl")
    requirements = built / "requirements.txt"
    run(uv, "export", "--quiet", "--frozen", "--no-emit-project", "--no-dev", "--output-file",
        requirements, cwd=ROOT)
    venv = tmp_path_factory.mktemp("venv")
    env = {**os.environ, "UV_COMPILE_BYTECODE": "1"}
    run(uv, "venv", "--quiet", "--python", sys.executable, venv, cwd=venv, env=env)
    python = venv / "bin" / "python"
    run(uv, "pip", "install", "--quiet", "--python", python, "--require-hashes", "-r",
        requirements, cwd=venv, env=env)
    run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", wheel, cwd=venv, env=env)
    return venv / "bin"


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """Return an empty working folder outside the checkout."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_the_wheel_carries_data_and_browser_files(installed):
    site = run(installed / "python", "-c", "import innomap.shipped as s; print(s.DATA_DIR)",
               cwd=installed)
    data = Path(site.strip())
    assert ROOT not in data.parents, f"the installed package reads the checkout: {data}"
    assert not data.is_symlink()
    for name in ("cities.geojson", "themes.json", "regions.geojson", "i18n/fi.json",
                 "../web/innomap.js", "../web/innomap.css", "../web/wire.json",
                 "../ui/streamlit.toml"):
        assert (data / name).is_file(), name


def test_installed_validate_checks_the_shipped_data(installed, empty):
    out = run(installed / "innomap", "validate", cwd=empty, env=user_env(empty))
    assert out.endswith(": OK, 20 municipalities\n"), out
    assert "site-packages/innomap/data/cities.geojson" in out


def test_installed_export_writes_twenty_rows(installed, empty):
    run(installed / "innomap", "export", "--lang", "en", "-o", "x.csv", cwd=empty,
        env=user_env(empty))
    rows = list(csv.DictReader(io.StringIO((empty / "x.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 20
    assert [r["id"] for r in rows if r["municipality"] == "Oulu"] == ["oulu"]
    assert sorted(os.listdir(empty)) == ["x.csv"]


@pytest.mark.browser
def test_installed_serve_shows_the_map(installed, empty, page):
    from tests.support.browser import wait_for_markers
    from tests.support.harness import free_port, launch

    port = free_port()
    server = launch([installed / "innomap", "serve", "--dir", empty / "run", "--port", port,
                     "--server.address", "127.0.0.1"], port, empty / "serve.log",
                    user_env(empty), cwd=empty)
    try:
        page.goto(server.url("lang=en"))
        wait_for_markers(page, set(installed_ids(installed)))
        assert (empty / "run" / ".streamlit" / "config.toml").is_file()
        assert list((empty / "run" / "static" / "innomap").glob("innomap-*.js"))
    finally:
        server.stop()
    # SIGTERM stops `innomap serve` (exec'd into streamlit) cleanly, not killed after a wait.
    assert server.process.returncode == 0, server.log()


def installed_ids(installed: Path) -> list[str]:
    """Return the city ids of the data the installed package ships."""
    out = run(installed / "python", "-c", "import json, innomap.shipped as s; print(' '.join("
              "f['properties']['id'] for f in json.loads(s.CITIES.read_text())['features']))",
              cwd=installed)
    return out.split()
