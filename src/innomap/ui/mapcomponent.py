"""The map on the page: streamlit-folium's component, with the base map rendered once.

`st_folium` renders the whole folium map (twice) on every rerun, which costs far more than
everything else on the page. The base map here depends only on the language, so its parts
are rendered once per language and cached; each rerun sends only the city layer's script.
This is the one module that uses streamlit-folium's private helpers and component (pinned to
0.27.x in pyproject.toml); tests/test_mapcomponent.py fails by name when an upgrade changes
them, and tests/test_app.py and the browser tests check the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
import streamlit_folium as stf

from innomap.assets import css_links, js_links, publish
from innomap.mapview import build_base_map, city_layer_script, city_payload, place_texts
from innomap.view import View

# Every private name of streamlit-folium this module uses (checked by tests/test_mapcomponent.py).
PRIVATE_API = ("_component_func", "_get_html", "_get_map_string", "get_full_id",
               "generate_js_hash")
# folium's page header (its styles and a zoom-blocking viewport tag) is replaced by innomap.css,
# loaded once per page; the header travels with every rerun.
HEADER = '<meta name="viewport" content="width=device-width, initial-scale=1">'
# The component arguments show_map passes, as streamlit-folium's own st_folium passes them.
COMPONENT_ARGS = ("script", "header", "html", "id", "key", "height", "width", "returned_objects",
                  "default", "zoom", "center", "feature_group", "return_on_hover",
                  "layer_control", "pixelated", "css_links", "js_links", "on_change",
                  "wrap_longitude")
# streamlit-folium names the Leaflet map `map_div` and removes `window.feature_group`
# layers before it evaluates a new feature-group script.
MAP_VAR = "map_div"
GROUP_VAR = "feature_group_feature_group_0"


@st.cache_resource(show_spinner=False, max_entries=8)
def _base(lang: str, height: int) -> dict[str, Any]:
    """Render the language's base map into the component's arguments (once per language)."""
    base = build_base_map(lang, height=height)
    base.get_root().render()
    base.render()
    return {"script": stf._get_map_string(base), "html": stf._get_html(base), "header": HEADER,
            "id": stf.get_full_id(base)}


def group_script(data: dict[str, Any]) -> str:
    """Return the feature-group script streamlit-folium evaluates after the base map."""
    return (
        f"var {GROUP_VAR} = L.featureGroup({{}});\n"
        f"{city_layer_script(MAP_VAR, GROUP_VAR, data)}\n"
        f"{MAP_VAR}.addLayer({GROUP_VAR});\n"
        f"window.feature_group = window.feature_group || [];\n"
        f"window.feature_group.push({GROUP_VAR});\n"
    )


def show_map(lang: str, data: dict[str, Any], key: str, height: int = 600,
             returned_objects: tuple[str, ...] = ("last_object_clicked",)) -> Any:
    """Show the map with the given city layer; return what the component sends back."""
    base = _base(lang, height)
    hash_key = stf.generate_js_hash(base["script"], key, False)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return stf._component_func(
        script=base["script"], header=base["header"], html=base["html"], id=base["id"],
        key=hash_key, height=height, width=None, returned_objects=list(returned_objects),
        default={name: None for name in returned_objects}, zoom=None, center=None,
        feature_group=group_script(data), return_on_hover=False, layer_control=None,
        pixelated=False, css_links=css_links(), js_links=js_links(), on_change=on_change,
        wrap_longitude=False,
    )


def show_cities(view: View, static_dir: Path, selected: str = "", key: str = "map") -> Any:
    """Show the view's rows on the map, with its chosen networks' links; their texts go once
    per data version as a file in static_dir."""
    lang = view.lang
    catalogue = view.dataset.derive(("catalogue_url", lang), lambda: publish(
        static_dir, f"places-{lang}", place_texts(view)))
    data = city_payload(view, selected, catalogue)
    # Only clicks come back: panning and zooming must not rerun the script.
    return show_map(lang, data, key=key, returned_objects=("last_object_clicked",))

