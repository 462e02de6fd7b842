"""Folium elements of the map: each one call into the browser runtime (web/innomap.js).

The runtime ships as a file, loaded once per page after Leaflet; these templates hold only
what varies per map: the colours, the regions file's URL, the legend's texts, the city data.
"""

from __future__ import annotations

import html
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


def escape(text: object) -> str:
    """Escape text for HTML that folium places inside a JavaScript template literal."""
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


class Runtime(MacroElement):
    """Configure the browser runtime for this map: colours per macro-region, zoom limits."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.innomap.setup({{ this.config|tojson }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "Runtime"
        self.config = {"colours": list(REGION_COLOURS.values()), "regions": list(REGION_COLOURS),
                       "other": NO_REGION_COLOUR, "network": NETWORK_COLOUR,
                       "selectZoom": SELECT_ZOOM,
                       "maxZoom": MAX_FIT_ZOOM}


class RegionsLayer(MacroElement):
    """Finland's regions, lightly shaded by macro-region, fetched from the app itself."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.innomap.regions({{ this._parent.get_name() }}, {{ this.url|tojson }},
                               {{ this.style|tojson }});
        {% endmacro %}
    """)

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "RegionsLayer"
        self.url = url
        self.style = {"color": "#6b6b6b", "weight": 0.8, "fillOpacity": 0.16,
                      "className": "innomap-region"}


class CityLayer(MacroElement):
    """The cities shown, drawn by the browser-side runtime into the parent FeatureGroup."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.innomap.show({{ this._parent._parent.get_name() }},
                            {{ this._parent.get_name() }}, {{ this.data|tojson }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CityLayer"
        self.data = data


class Legend(MacroElement):
    """A Leaflet control explaining colours (macro-regions) and symbols (roles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.innomap.legend({{ this._parent.get_name() }}, {{ this.html|tojson }});
        {% endmacro %}
    """)

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "Legend"
        items = [f'<div><i style="background:{colour}"></i>{escape(t("region." + key, lang))}'
                 f"</div>" for key, colour in REGION_COLOURS.items()]
        items.append(f'<div><i style="background:#555"></i>{escape(t("role.ecosystem_city", lang))}'
                     f"</div>")
        items.append('<div><i style="background:#fff;border:2px solid #555;width:8px;height:8px">'
                     f'</i>{escape(t("role.partner_town", lang))}</div>')
        items.append('<div><i class="innomap-line" style="border-top:2px dashed #555"></i>'
                     f'{escape(t("map.partner_line", lang))}</div>')
        items.append(f'<div><i class="innomap-line" style="border-top:3px solid {NETWORK_COLOUR}">'
                     f'</i>{escape(t("map.network_link", lang))}</div>')
        self.html = f"<b>{escape(t('map.legend', lang))}</b>" + "".join(items)
