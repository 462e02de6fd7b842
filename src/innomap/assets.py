"""Leaflet's files, served by the dashboard itself so the map works with no internet.

They come from the pinned XStatic-Leaflet package; `install_static` copies them under the
app's `static/` folder, which Streamlit serves at `app/static/` when static serving is on.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

LEAFLET_DIR = f"vendor/leaflet-{xleaflet.VERSION}"
# Relative to streamlit-folium's component iframe (…/component/<name>/index.html), so the
# URLs also work behind server.baseUrlPath, where an absolute /app/static would 404.
STATIC_URL = "../../app/static"


def js_links(prefix: str = STATIC_URL) -> list[str]:
    """Return the script URLs the map needs."""
    return [f"{prefix}/{LEAFLET_DIR}/leaflet.js"]


def css_links(prefix: str = STATIC_URL) -> list[str]:
    """Return the stylesheet URLs the map needs."""
    return [f"{prefix}/{LEAFLET_DIR}/leaflet.css"]


def install_static(static_dir: str | Path) -> Path:
    """Copy Leaflet's js, css and images into static_dir (once per version); return the folder."""
    target = Path(static_dir) / LEAFLET_DIR
    source = Path(xleaflet.BASE_DIR)
    if (target / "leaflet.js").is_file():
        return target
    staging = target.with_name(target.name + ".partial")
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
    return target
