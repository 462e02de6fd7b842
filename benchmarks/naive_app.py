"""The naive pattern, as the benchmark's baseline: one folium.Marker with a Popup per row.

    INNOMAP_DATA=cities.geojson streamlit run naive_app.py

Reads the same data through innomap.cities.load_dataset, filters with the same Filters, then
builds a fresh folium.Map with one Marker(popup=Popup(html), tooltip=name) per row on every
rerun and shows it with a plain `st_folium(m)` (default returned objects: every pan and zoom
comes back to the server).

Only what is needed to load offline is added (see the field notes): per-instance
default_js/default_css pointing at static Leaflet and jQuery (folium's Popup calls `$`),
served by Streamlit from `static/` next to this script, and `L.Icon.Default.imagePath` for
the default marker images. The data loading is cached, so that the baseline's cost is the map;
like ours, it accepts the repeated municipality codes of synthetic data above 1,000 places.
benchmarks/bench.py runs a copy of this file from a temporary folder, so that its `static/`
does not land in the repository. Benchmark-only dependency: xstatic-jquery.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import folium
import streamlit as st
import xstatic.pkg.jquery as xjquery
from branca.element import MacroElement
from folium.template import Template
from streamlit_folium import st_folium

from innomap.assets import LEAFLET_DIR, STATIC_URL, css_links, install_static, js_links
from innomap.cities import Dataset, file_version, load_dataset
from innomap.filters import Filters
from innomap.shipped import data_paths

HERE = Path(__file__).resolve().parent
JQUERY = f"vendor/jquery-{xjquery.VERSION}/jquery.min.js"
LANG = "en"


class IconPath(MacroElement):
    """Point Leaflet's default marker icon at the static Leaflet images."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
    """)

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self.path = path


@st.cache_resource(show_spinner=False)
def serve_assets() -> None:
    """Put Leaflet, the regions and jQuery under ./static (served at app/static)."""
    static = install_static(HERE / "static")
    target = static / JQUERY
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(xjquery.BASE_DIR) / "jquery.min.js", target)


@st.cache_resource(show_spinner=False, max_entries=4)
def dataset(path: str, themes: str, version: tuple) -> Dataset:
    """Load and validate the data once per file version (repeated codes allowed: synthetic)."""
    return load_dataset(path, themes, unique_codes=False)


def popup_html(row, data: Dataset) -> str:
    themes = ", ".join(data.taxonomy.focus_label(f, LANG) for f in row.themes)
    return (f"<h4>{html.escape(getattr(row, f'name_{LANG}'))}</h4>"
            f"<p><b>Priorities:</b> {html.escape(getattr(row, f'priorities_{LANG}'))}</p>"
            f"<p>{html.escape(themes)}</p>"
            f"<p><b>Region:</b> {html.escape(getattr(row, f'maakunta_{LANG}'))}<br>"
            f"<b>Body:</b> {html.escape(getattr(row, f'body_{LANG}'))}</p>")


serve_assets()
cities_path, themes_path = data_paths()
data = dataset(str(cities_path), str(themes_path), file_version(cities_path, themes_path))
tax = data.taxonomy
st.sidebar.multiselect("Focus areas", tax.focus_ids, key="focus",
                       format_func=lambda f: tax.focus_label(f, LANG))
rows = Filters(focus=tuple(st.session_state.get("focus") or ())).apply(
    data.cities, {f.id: set(f.broad_themes) for f in tax.focus_areas})
st.caption(f"{len(rows)} of {len(data.cities)} places")

m = folium.Map(location=[65.0, 26.0], zoom_start=5, tiles=None)
m.default_js = [("leaflet", url) for url in js_links()] + [("jquery", f"{STATIC_URL}/{JQUERY}")]
m.default_css = [("leaflet_css", url) for url in css_links()]
IconPath(f"{STATIC_URL}/{LEAFLET_DIR}/images/").add_to(m)
for row in rows.itertuples(index=False):
    folium.Marker([row.lat, row.lon], popup=folium.Popup(popup_html(row, data), max_width=300),
                  tooltip=getattr(row, f"name_{LANG}")).add_to(m)
st_folium(m)
