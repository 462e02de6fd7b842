"""Files the map loads in the browser, served by the dashboard itself (no CDN, no internet).

Leaflet comes from the pinned XStatic-Leaflet package, innomap's own runtime from the package's
`web/` folder and the region polygons from data/regions.geojson; `install_static` copies them
under the app's `static/` folder, which Streamlit serves at `app/static/` when static serving
is on. innomap's files are named by their content, so a browser may cache them for good.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

from innomap.shipped import REGIONS, WEB_DIR

LEAFLET_DIR = f"vendor/leaflet-{xleaflet.VERSION}"
# The runtime's parts in load order, after Leaflet: one concern and one file each, declared
# by part.js (loaded first); a part uses only parts before it (tests/test_web.py checks the
# order against each file's need() calls). innomap.js, the last, sets window.innomap.
RUNTIME_PARTS = ("veil", "dom", "state", "wire", "popup", "labels", "labelpane", "framing",
                 "keyboard", "legend", "controls", "print", "layer", "innomap")
RUNTIME_SCRIPTS = ("part.js", *(f"{part}.js" for part in RUNTIME_PARTS))
RUNTIME_STYLES = ("innomap.css",)
RUNTIME_FILES = (*RUNTIME_SCRIPTS, *RUNTIME_STYLES)
# Not the map's: the page's own script, on every tab (ui/sections.render_page_texts): Streamlit's
# English texts in the page's language.
PAGE_SCRIPTS = ("pagetexts.js",)
# Relative to streamlit-folium's component iframe (…/component/<name>/index.html), so the
# URLs also work behind server.baseUrlPath, where an absolute /app/static would 404.
STATIC_URL = "../../app/static"


def js_links(prefix: str = STATIC_URL) -> list[str]:
    """Return the script URLs the map needs, in load order: Leaflet, then the runtime's."""
    return [f"{prefix}/{LEAFLET_DIR}/leaflet.js",
            *(f"{prefix}/{hashed_name(WEB_DIR / name)}" for name in RUNTIME_SCRIPTS)]


def css_links(prefix: str = STATIC_URL) -> list[str]:
    """Return the stylesheet URLs the map needs, in load order."""
    return [f"{prefix}/{LEAFLET_DIR}/leaflet.css",
            *(f"{prefix}/{hashed_name(WEB_DIR / name)}" for name in RUNTIME_STYLES)]


@cache
def hashed_name(path: Path, suffix: str | None = None) -> str:
    """Return a shipped file's name under static/, versioned by its content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"innomap/{path.stem}-{digest}{suffix or path.suffix}"


def regions_name() -> str:
    """Return the regions file's name under static/, versioned by its content."""
    return hashed_name(REGIONS, ".json")


def publish(static_dir: str | Path, stem: str, data: object,
            prefix: str = STATIC_URL) -> str:
    """Write data as JSON under static_dir, named by its content (once); return its URL.

    The browser caches such a file for good: its name changes whenever its content does.
    """
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"innomap/{stem}-{hashlib.sha256(blob).hexdigest()[:12]}.json"
    _write_once(Path(static_dir) / name, blob)
    return f"{prefix}/{name}"


def regions_url(prefix: str = STATIC_URL) -> str:
    """Return the URL the browser fetches the region polygons from."""
    return f"{prefix}/{regions_name()}"


def install_static(static_dir: str | Path) -> Path:
    """Copy Leaflet, the runtime and the regions into static_dir (once per version)."""
    static_dir = Path(static_dir)
    _install_leaflet(static_dir / LEAFLET_DIR)
    for path in (REGIONS, *(WEB_DIR / name for name in (*RUNTIME_FILES, *PAGE_SCRIPTS))):
        _write_once(static_dir / hashed_name(path, ".json" if path == REGIONS else None),
                    path.read_bytes())
    return static_dir


def _write_once(path: Path, blob: bytes) -> None:
    """Write a content-named file unless it is there; a browser never gets half of it."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed; the process and thread keep concurrent servers, and sessions
    # of one server publishing the same file at once, off each other's staging file.
    staging = path.with_name(f"{path.name}.{_writer()}.partial")
    staging.write_bytes(blob)
    staging.replace(path)


def _writer() -> str:
    return f"{os.getpid()}-{threading.get_ident()}"


def _install_leaflet(target: Path) -> None:
    if (target / "leaflet.js").is_file():
        return
    source = Path(xleaflet.BASE_DIR)
    # Replicas that start at once keep off each other's staging folder.
    staging = target.with_name(f"{target.name}.{_writer()}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(source / name, staging / name)
    shutil.copytree(source / "images", staging / "images")
    # Rename last so that a concurrent server never serves a half-copied folder.
    try:
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
