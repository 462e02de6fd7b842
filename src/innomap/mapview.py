"""Build the folium map: a constant offline base (regions, legend) and a layer of cities.

The base map depends only on the language, so streamlit-folium keeps the same Leaflet map
across filter changes; the cities travel as a separate FeatureGroup. All text from the data
is escaped here, on the server, before it reaches Leaflet.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template

from innomap.assets import css_links, js_links
from innomap.cities import DATA_DIR, Dataset
from innomap.i18n import t

REGIONS_FILE = DATA_DIR / "regions.geojson"
# Okabe–Ito: distinguishable with the common forms of colour blindness.
REGION_COLOURS = {"south": "#0072B2", "west": "#D55E00", "east": "#009E73", "north": "#CC79A7"}
NO_REGION_COLOUR = "#9a9a9a"
FINLAND_BOUNDS = [[59.7, 19.4], [70.1, 31.6]]
MAX_FIT_ZOOM = 7
SELECT_ZOOM = 7
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def escape(text: object) -> str:
    """Escape text for HTML that folium places inside a JavaScript template literal."""
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def build_base_map(lang: str, height: int = 600, tiles: bool = True) -> folium.Map:
    """Return the language's base map: Finland's regions, legend, optional web tiles."""
    base = folium.Map(location=[65.0, 26.0], zoom_start=5, tiles=None, min_zoom=4,
                      max_zoom=12, control_scale=True, height=height, prefer_canvas=False)
    # Per-instance lists: class-level default_js is shared by every map in the process.
    base.default_js = [("leaflet", url) for url in js_links()]
    base.default_css = [("leaflet_css", url) for url in css_links()]
    RegionsLayer(regions_geojson(), lang).add_to(base)
    if tiles:
        folium.TileLayer(TILE_URL, attr=TILE_ATTRIBUTION, name=t("map.tiles", lang),
                         overlay=True, show=False, max_zoom=18).add_to(base)
        folium.LayerControl(collapsed=True, position="topright").add_to(base)
    Legend(lang).add_to(base)
    base.fit_bounds(FINLAND_BOUNDS)
    return base


def build_city_layer(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str,
                     selected: str = "") -> folium.FeatureGroup:
    """Return the cities as one FeatureGroup: markers, partner lines, popups, tooltips.

    The map frames the cities shown, or centres on the selected city and opens its popup.
    """
    group = folium.FeatureGroup(name="cities")
    # Everything (or nothing) shown: frame all of Finland, not just the cities' extent.
    whole = rows.empty or len(rows) == len(dataset.cities)
    bounds = FINLAND_BOUNDS if whole else fit_bounds(rows)
    CityLayer(city_features(rows, dataset, lang), partner_lines(rows, dataset),
              bounds, selected).add_to(group)
    return group


def build_map(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str) -> folium.Map:
    """Return a complete standalone map (base plus cities), e.g. for an HTML export."""
    base = build_base_map(lang)
    build_city_layer(rows, dataset, lang).add_to(base)
    return base


def nearest_city(rows: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """Return the id of the city nearest to a clicked point, or None for no rows."""
    if rows.empty:
        return None
    distance = (rows["lat"] - lat) ** 2 + (rows["lon"] - lon) ** 2
    return str(rows.loc[distance.idxmin(), "id"])


def fit_bounds(rows: gpd.GeoDataFrame) -> list[list[float]] | None:
    """Return [[south, west], [north, east]] of the rows, or None for no rows."""
    if rows.empty:
        return None
    return [[float(rows["lat"].min()), float(rows["lon"].min())],
            [float(rows["lat"].max()), float(rows["lon"].max())]]


def city_features(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str) -> list[dict[str, Any]]:
    """Return one compact GeoJSON feature per city with its style, tooltip and popup HTML."""
    features = []
    for row in rows.itertuples(index=False):
        partner = row.role == "partner_town"
        colour = REGION_COLOURS.get(row.macro_region, NO_REGION_COLOUR)
        style = {
            "radius": 6 if partner else 9,
            "color": colour,
            "weight": 3 if partner else 1.5,
            "fillColor": "#ffffff" if partner else colour,
            "fillOpacity": 1 if partner else 0.9,
            "className": f"innomap-city innomap-city--{row.id}",
        }
        if not partner:
            style["color"] = "#ffffff"
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
            "properties": {"id": row.id, "style": style,
                           "tooltip": escape(getattr(row, f"name_{lang}")),
                           "popup": popup_html(row, dataset, lang)},
        })
    return features


def partner_lines(rows: gpd.GeoDataFrame, dataset: Dataset) -> list[dict[str, Any]]:
    """Return a line from each shown partner town to its lead city."""
    where = dataset.cities.set_index("id")
    lines = []
    for row in rows.itertuples(index=False):
        if row.role == "partner_town" and row.lead_city in where.index:
            lead = where.loc[row.lead_city]
            lines.append({"latlngs": [[row.lat, row.lon], [float(lead["lat"]),
                                                            float(lead["lon"])]],
                          "color": REGION_COLOURS.get(row.macro_region, NO_REGION_COLOUR)})
    return lines


def popup_html(row: Any, dataset: Dataset, lang: str) -> str:
    """Return the popup of one city as escaped HTML."""
    cities = dataset.cities
    members = cities.loc[(cities["agreement"] == row.agreement) & (cities["id"] != row.id)]
    chips = "".join(f'<span class="innomap-chip">{escape(dataset.taxonomy.focus_label(f, lang))}'
                    f"</span>" for f in row.themes)
    facts = [
        (t("popup.region", lang), f"{getattr(row, f'maakunta_{lang}')} · "
                                  f"{t('region.' + row.macro_region, lang)}"),
        (t("popup.role", lang), t(f"role.{row.role}", lang)),
        (t("popup.agreement", lang), _agreement_text(row, members, lang)),
        (t("popup.body", lang), getattr(row, f"body_{lang}")),
    ]
    rows_html = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts if v)
    return (
        f'<div class="innomap-popup" data-city="{escape(row.id)}">'
        f"<h4>{escape(getattr(row, f'name_{lang}'))}</h4>"
        f"<p class=\"innomap-priorities\"><b>{escape(t('popup.priorities', lang))}:</b> "
        f"{escape(getattr(row, f'priorities_{lang}'))}</p>"
        f'<div class="innomap-chips">{chips}</div><dl>{rows_html}</dl></div>'
    )


def _agreement_text(row: Any, members: gpd.GeoDataFrame, lang: str) -> str:
    names = [str(n) for n in members[f"name_{lang}"]]
    if row.role == "partner_town":
        return t("popup.partner_of", lang, lead=", ".join(names))
    if not names:
        return t("popup.own_agreement", lang)
    partners = members["role"] == "partner_town"
    parts = []
    shared = [str(n) for n in members.loc[~partners, f"name_{lang}"]]
    towns = [str(n) for n in members.loc[partners, f"name_{lang}"]]
    if shared:
        parts.append(t("popup.shared_with", lang, names=", ".join(shared)))
    if towns:
        parts.append(t("popup.partner_towns", lang, names=", ".join(towns)))
    return "; ".join(parts)


@cache
def _regions_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def regions_geojson(path: Path = REGIONS_FILE) -> dict[str, Any]:
    """Return the regions base layer (Finland's maakunnat) as GeoJSON."""
    return json.loads(_regions_text(path))


class RegionsLayer(MacroElement):
    """Finland's regions, lightly shaded by macro-region; drawn without any tile server."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
            interactive: false,
            style: function (f) { return {{ this.styles|tojson }}[f.properties.macro_region]
                                         || {{ this.fallback|tojson }}; }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any], lang: str) -> None:
        super().__init__()
        self._name = "RegionsLayer"
        self.data = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": f["geometry"],
             "properties": {"macro_region": f["properties"].get("macro_region") or ""}}
            for f in data["features"]]}
        self.styles = {key: _region_style(colour) for key, colour in REGION_COLOURS.items()}
        self.fallback = _region_style(NO_REGION_COLOUR)


def _region_style(colour: str) -> dict[str, Any]:
    return {"color": "#6b6b6b", "weight": 0.8, "fillColor": colour, "fillOpacity": 0.16}


class CityLayer(MacroElement):
    """All cities as one GeoJSON layer of circle markers, with lines to lead cities."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.features|tojson }}, {
            pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, f.properties.style);
            },
            onEachFeature: function (f, layer) {
                layer.bindTooltip(f.properties.tooltip);
                layer.bindPopup(f.properties.popup, {maxWidth: 340, minWidth: 220});
            }
        });
        {% for line in this.lines %}
        L.polyline({{ line.latlngs|tojson }}, {color: {{ line.color|tojson }}, weight: 2,
                   dashArray: "5 5", interactive: false, className: "innomap-partner-line"})
            .addTo({{ this._parent.get_name() }});
        {% endfor %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% if this.bounds %}
        (function (map) {
            // The component iframe starts 0 px wide: fitting then would zoom all the way out.
            var fit = function () {
                var chosen = null;
                {{ this.get_name() }}.eachLayer(function (layer) {
                    if (layer.feature.properties.id === {{ this.selected|tojson }}) {
                        chosen = layer;
                    }
                });
                if (chosen) {
                    var zoom = Math.max(map.getZoom(), {{ this.select_zoom }});
                    map.setView(chosen.getLatLng(), zoom);
                    chosen.openPopup();
                } else {
                    map.fitBounds({{ this.bounds|tojson }}, {maxZoom: {{ this.max_zoom }},
                                                             padding: [24, 24]});
                }
            };
            var size = map.getSize();
            if (size.x > 0 && size.y > 0) { fit(); } else { map.once("resize", fit); }
        })({{ this._parent._parent.get_name() }});
        {% endif %}
        {% endmacro %}
    """)

    def __init__(self, features: list[dict[str, Any]], lines: list[dict[str, Any]],
                 bounds: list[list[float]] | None, selected: str = "") -> None:
        super().__init__()
        self._name = "CityLayer"
        self.selected = selected
        self.select_zoom = SELECT_ZOOM
        self.features = {"type": "FeatureCollection", "features": features}
        self.lines = lines
        self.bounds = bounds
        self.max_zoom = MAX_FIT_ZOOM


class Legend(MacroElement):
    """A Leaflet control explaining colours (macro-regions) and symbols (roles)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .innomap-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; font: 12px/1.5
            system-ui, sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
        .innomap-legend b { display: block; margin-bottom: 2px; }
        .innomap-legend i { display: inline-block; width: 12px; height: 12px;
            border-radius: 50%; margin-right: 6px; vertical-align: -2px; }
        .innomap-popup h4 { margin: 0 0 4px; font-size: 15px; }
        .innomap-popup dl { margin: 6px 0 0; display: grid; grid-template-columns: auto 1fr;
            gap: 1px 8px; }
        .innomap-popup dt { font-weight: 600; color: #444; }
        .innomap-popup dd { margin: 0; }
        .innomap-chip { display: inline-block; background: #eef2f7; border: 1px solid #c9d3e0;
            border-radius: 10px; padding: 0 7px; margin: 2px 3px 0 0; font-size: 11px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "innomap-legend");
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
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
        self.html = f"<b>{escape(t('map.legend', lang))}</b>" + "".join(items)
