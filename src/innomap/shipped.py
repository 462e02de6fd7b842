"""Where the shipped files are: package resources, the same in a checkout and in a wheel.

`data/` at the top of the checkout is the one editable copy. The package reaches it as
`innomap/data` (a symbolic link in the checkout; the wheel build copies the folder in), and the
browser files as `innomap/web`. The shells (dashboard, CLI) pass these paths to the library.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib.resources import as_file, files
from pathlib import Path


def _package_dir(name: str) -> Path:
    # A wheel installs as plain files, so as_file returns the real path and nothing is extracted.
    with as_file(files("innomap") / name) as path:
        return Path(path)


DATA_DIR = _package_dir("data")
WEB_DIR = _package_dir("web")
# HAProxy, supervisor and systemd files for running replicas (SECURITY.md quotes them).
DEPLOY_DIR = _package_dir("ops") / "deploy"
CITIES = DATA_DIR / "cities.geojson"
THEMES = DATA_DIR / "themes.json"
REGIONS = DATA_DIR / "regions.geojson"
I18N_DIR = DATA_DIR / "i18n"
# The production Streamlit settings (.streamlit/config.toml in the checkout).
STREAMLIT_CONFIG = _package_dir("ui") / "streamlit.toml"


def data_paths(environ: Mapping[str, str] = os.environ) -> tuple[Path, Path]:
    """Return the cities and themes files, honouring INNOMAP_DATA and INNOMAP_THEMES."""
    return (Path(environ.get("INNOMAP_DATA") or CITIES),
            Path(environ.get("INNOMAP_THEMES") or THEMES))
