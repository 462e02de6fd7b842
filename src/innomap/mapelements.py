"""The folium element that sets the map up through the browser runtime (web/*.js).

The runtime ships as files, loaded once per page after Leaflet; this template holds only what
varies per map: its set-up (colours, regions file, legend texts, tiles). The cities reach the
runtime through streamlit-folium's feature-group script (innomap.ui.mapcomponent.group_script).
"""

from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from folium.template import Template

from innomap.i18n import t

# Okabe–Ito: distinguishable with the common forms of colour blindness.
REGION_COLOURS = {"south": "#0072B2", "west": "#D55E00", "east": "#009E73", "north": "#CC79A7"}
NO_REGION_COLOUR = "#9a9a9a"
# Network links: solid and near-black, unlike the dashed partner lines in a region's colour.
NETWORK_COLOUR = "#1b1b1b"
MAX_FIT_ZOOM = 7
SELECT_ZOOM = 7


class Runtime(MacroElement):
    """Set the map up through the browser runtime: regions, optional tiles, legend, framing."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.innomap.setup({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
    """)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self._name = "Runtime"
        self.config = config


def legend_texts(lang: str) -> dict[str, Any]:
    """Return the legend's title and items (colour, label, key: dot, ring, dashed or solid)."""
    items = [{"colour": colour, "label": t(f"region.{key}", lang)}
             for key, colour in REGION_COLOURS.items()]
    items += [{"colour": "#555", "label": t("role.ecosystem_city", lang)},
              {"colour": "#555", "label": t("role.partner_town", lang), "key": "ring"},
              {"colour": "#555", "label": t("map.partner_line", lang), "key": "dashed"},
              {"colour": NETWORK_COLOUR, "label": t("map.network_link", lang), "key": "solid"}]
    return {"title": t("map.legend", lang), "items": items}


# The map's own words (controls, the frame's heading and label), in the page's language.
MAP_TEXTS = ("heading", "label", "zoom_in", "zoom_out", "layers", "leaflet", "close")


def map_texts(lang: str) -> dict[str, str]:
    """Return the texts setup() puts on Leaflet's controls and the map frame."""
    return {key: t(f"map.{key}", lang) for key in MAP_TEXTS}


def runtime_config(lang: str, regions_url: str, tiles: dict[str, Any] | None,
                   bounds: list[list[float]], wire: dict[str, Any]) -> dict[str, Any]:
    """Return what setup() needs for one map: colours, zooms, regions, tiles, legend, bounds,
    and the payload's field names (`wire`, for the decoder)."""
    return {"colours": list(REGION_COLOURS.values()), "regions": list(REGION_COLOURS),
            "other": NO_REGION_COLOUR, "network": NETWORK_COLOUR, "selectZoom": SELECT_ZOOM,
            "maxZoom": MAX_FIT_ZOOM, "wire": wire,
            "regionsUrl": regions_url, "tiles": tiles, "legend": legend_texts(lang),
            "bounds": bounds, "lang": lang, "texts": map_texts(lang),
            "regionStyle": {"color": "#6b6b6b", "weight": 0.8, "fillOpacity": 0.16,
                            "className": "innomap-region"}}

