"""Build the folium map: a constant offline base map and a compact layer of cities.

The base map depends only on the language, so streamlit-folium keeps one Leaflet map across
filter changes and only the city layer travels again. The cities go to the browser as compact
JSON (texts deduplicated into one table); popups and tooltips are built there on demand with
`textContent`, so no text from the data is ever parsed as HTML.
"""

from __future__ import annotations

import html
import json
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template

from innomap.assets import css_links, js_links, regions_url
from innomap.cities import Dataset
from innomap.i18n import t

# Okabe–Ito: distinguishable with the common forms of colour blindness.
REGION_COLOURS = {"south": "#0072B2", "west": "#D55E00", "east": "#009E73", "north": "#CC79A7"}
NO_REGION_COLOUR = "#9a9a9a"
FINLAND_BOUNDS = [[59.7, 19.4], [70.1, 31.6]]
MAX_FIT_ZOOM = 7
SELECT_ZOOM = 7
# Above this many places, markers are drawn on one canvas instead of as SVG elements.
CANVAS_THRESHOLD = 1000
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
POPUP_FIELDS = ("region", "role", "agreement", "body")


def escape(text: object) -> str:
    """Escape text for HTML that folium places inside a JavaScript template literal."""
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def build_base_map(lang: str, height: int = 600, tiles: bool = True) -> folium.Map:
    """Return the language's base map: Finland's regions, legend, optional web tiles."""
    # Fractional zoom lets tall, narrow Finland fill the frame instead of a whole level less.
    base = folium.Map(location=[65.0, 26.0], zoom_start=5, tiles=None, min_zoom=4,
                      max_zoom=12, control_scale=True, height=height, zoom_snap=0.25,
                      zoom_delta=0.5)
    # Per-instance lists: class-level default_js is shared by every map in the process.
    base.default_js = [("leaflet", url) for url in js_links()]
    base.default_css = [("leaflet_css", url) for url in css_links()]
    Runtime().add_to(base)
    RegionsLayer(regions_url()).add_to(base)
    if tiles:
        folium.TileLayer(TILE_URL, attr=TILE_ATTRIBUTION, name=t("map.tiles", lang),
                         overlay=True, show=False, max_zoom=18).add_to(base)
        folium.LayerControl(collapsed=True, position="topright").add_to(base)
    Legend(lang).add_to(base)
    base.fit_bounds(FINLAND_BOUNDS)
    return base


def build_city_layer(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str,
                     selected: str = "") -> folium.FeatureGroup:
    """Return the cities as one FeatureGroup for streamlit-folium's feature_group_to_add."""
    group = folium.FeatureGroup(name="cities")
    CityLayer(city_payload(rows, dataset, lang, selected)).add_to(group)
    return group


def build_map(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str) -> folium.Map:
    """Return a complete map (base plus cities), as the dashboard shows it."""
    base = build_base_map(lang)
    build_city_layer(rows, dataset, lang).add_to(base)
    return base


def nearest_city(rows: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """Return the id of the city nearest to a clicked point, or None for no rows."""
    if rows.empty:
        return None
    distance = (rows["lat"] - lat) ** 2 + (rows["lon"] - lon) ** 2
    return str(rows.loc[distance.idxmin(), "id"])


def fit_bounds(rows: gpd.GeoDataFrame) -> list[list[float]]:
    """Return [[south, west], [north, east]] around the rows (all of Finland for none)."""
    if rows.empty:
        return FINLAND_BOUNDS
    return [[float(rows["lat"].min()), float(rows["lon"].min())],
            [float(rows["lat"].max()), float(rows["lon"].max())]]


def city_layer_script(map_var: str, group_var: str, data: dict[str, Any]) -> str:
    """Return the JavaScript that draws a city payload into a Leaflet group on a map."""
    # Evaluated as script, not parsed as HTML; U+2028/9 are escaped for older JS engines.
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    blob = blob.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.innomap.show({map_var}, {group_var}, {blob});"


class _Texts:
    """Deduplicated strings: each distinct text is sent once and referred to by number."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.table)
            self.table.append(text)
        return self._index[text]


def city_payload(rows: gpd.GeoDataFrame, dataset: Dataset, lang: str,
                 selected: str = "") -> dict[str, Any]:
    """Return everything the browser needs to draw the rows: compact, texts deduplicated.

    Each place is [id, lat, lon, partner, region, name, place, role, agreement, body,
    priorities, focus-set]; the last seven are indexes into `texts` (focus sets into `sets`).
    """
    texts, sets, set_index = _Texts(), [], {}
    regions = list(REGION_COLOURS)
    agreements = _agreement_texts(dataset, lang)
    places = []
    for row in rows.itertuples(index=False):
        themes = tuple(row.themes)
        if themes not in set_index:
            set_index[themes] = len(sets)
            sets.append([texts(dataset.taxonomy.focus_label(f, lang)) for f in themes])
        place = f"{getattr(row, f'maakunta_{lang}')} · {t('region.' + row.macro_region, lang)}"
        places.append([
            row.id, round(float(row.lat), 5), round(float(row.lon), 5),
            int(row.role == "partner_town"),
            regions.index(row.macro_region) if row.macro_region in regions else -1,
            texts(getattr(row, f"name_{lang}")), texts(place),
            texts(t(f"role.{row.role}", lang)), texts(agreements.get(row.id, "")),
            texts(getattr(row, f"body_{lang}")), texts(getattr(row, f"priorities_{lang}")),
            set_index[themes],
        ])
    whole = rows.empty or len(rows) == len(dataset.cities)
    return {
        "places": places, "texts": texts.table, "sets": sets,
        "labels": {"priorities": t("popup.priorities", lang),
                   **{f: t(f"popup.{f}", lang) for f in POPUP_FIELDS}},
        "lines": partner_lines(rows, dataset),
        # Everything (or nothing) shown: frame all of Finland, not just the cities' extent.
        "bounds": FINLAND_BOUNDS if whole else fit_bounds(rows),
        "selected": selected, "canvas": len(places) > CANVAS_THRESHOLD,
    }


def partner_lines(rows: gpd.GeoDataFrame, dataset: Dataset) -> list[list[float]]:
    """Return [lat, lon, lead lat, lead lon, region] for each shown partner town."""
    regions = list(REGION_COLOURS)
    lines = []
    for row in rows.itertuples(index=False):
        lead = dataset.by_id.get(row.lead_city) if row.role == "partner_town" else None
        if lead is not None:
            region = regions.index(row.macro_region) if row.macro_region in regions else -1
            lines.append([row.lat, row.lon, lead.lat, lead.lon, region])
    return lines


def _agreement_texts(dataset: Dataset, lang: str) -> dict[str, str]:
    """Return, per city id, the popup's agreement line: lead city, co-members, partner towns."""
    key = ("agreement_texts", lang)
    if key not in dataset.memo:
        dataset.memo[key] = _build_agreement_texts(dataset, lang)
    return dataset.memo[key]


def _build_agreement_texts(dataset: Dataset, lang: str) -> dict[str, str]:
    members: dict[str, list[Any]] = {}
    for row in dataset.by_id.values():
        members.setdefault(row.agreement, []).append(row)
    lines = {}
    for row in dataset.by_id.values():
        others = [r for r in members[row.agreement] if r.id != row.id]
        lines[row.id] = _agreement_line(row, others, lang)
    return lines


def _agreement_line(row: Any, others: list[Any], lang: str) -> str:
    name = f"name_{lang}"
    if row.role == "partner_town":
        return t("popup.partner_of", lang, lead=", ".join(getattr(r, name) for r in others
                                                          if r.role == "ecosystem_city"))
    shared = [getattr(r, name) for r in others if r.role == "ecosystem_city"]
    towns = [getattr(r, name) for r in others if r.role == "partner_town"]
    parts = []
    if shared:
        parts.append(t("popup.shared_with", lang, names=", ".join(shared)))
    if towns:
        parts.append(t("popup.partner_towns", lang, names=", ".join(towns)))
    return "; ".join(parts) or t("popup.own_agreement", lang)


class Runtime(MacroElement):
    """innomap's browser-side code: draw cities, build popups safely, frame the view."""

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
        window.innomap = (function () {
            var COLOURS = {{ this.colours|tojson }}, OTHER = {{ this.other|tojson }};
            var state = {userMoved: false, fitting: false, watching: null};
            function el(tag, cls, text) {
                var node = document.createElement(tag);
                if (cls) { node.className = cls; }
                if (text !== undefined) { node.textContent = text; }
                return node;
            }
            function colour(region) { return region >= 0 ? COLOURS[region] : OTHER; }
            function popup(data, p) {
                var T = data.texts, L = data.labels;
                var root = el("div", "innomap-popup");
                root.setAttribute("data-city", p[0]);
                root.appendChild(el("h4", "", T[p[5]]));
                var prio = el("p", "innomap-priorities");
                prio.appendChild(el("b", "", L.priorities + ": "));
                prio.appendChild(document.createTextNode(T[p[10]]));
                root.appendChild(prio);
                var chips = el("div", "innomap-chips");
                data.sets[p[11]].forEach(function (i) {
                    chips.appendChild(el("span", "innomap-chip", T[i]));
                });
                root.appendChild(chips);
                var facts = el("dl");
                [["region", p[6]], ["role", p[7]], ["agreement", p[8]], ["body", p[9]]]
                    .forEach(function (f) {
                        if (!T[f[1]]) { return; }
                        facts.appendChild(el("dt", "", L[f[0]]));
                        facts.appendChild(el("dd", "", T[f[1]]));
                    });
                root.appendChild(facts);
                return root;
            }
            function watch(map) {
                if (state.watching === map) { return; }
                state.watching = map;
                var user = function () { if (!state.fitting) { state.userMoved = true; } };
                map.on("dragstart", user);
                map.on("zoomstart", user);
                // The frame can change size after drawing (iframe sizing, window resize):
                // keep the app's framing until the user takes over.
                map.on("resize", function () {
                    if (state.userMoved || !state.last) { return; }
                    frame(map, state.last, state.chosen);
                });
            }
            function frame(map, data, chosen) {
                state.fitting = true;
                state.last = data;
                state.chosen = chosen;
                if (chosen) {
                    var zoom = Math.max(map.getZoom(), {{ this.select_zoom }});
                    map.setView(chosen.getLatLng(), zoom, {animate: false});
                    // Put the city low in the frame so that its popup fits above it.
                    map.panBy([0, -Math.round(map.getSize().y * 0.3)], {animate: false});
                    chosen.openPopup();
                } else {
                    var bounds = L.latLngBounds(data.bounds);
                    // Keep a view the user chose, unless the cities shown fall outside it.
                    if (!state.userMoved || !map.getBounds().contains(bounds)) {
                        map.fitBounds(bounds, {maxZoom: {{ this.max_zoom }}, padding: [12, 12]});
                        state.userMoved = false;
                    }
                }
                setTimeout(function () { state.fitting = false; }, 400);
            }
            function show(map, group, data) {
                watch(map);
                // streamlit-folium adds the group after this script; a popup needs it on the map.
                if (!map.hasLayer(group)) { group.addTo(map); }
                var renderer = data.canvas ? L.canvas({padding: 0.5}) : undefined, chosen = null;
                data.lines.forEach(function (l) {
                    L.polyline([[l[0], l[1]], [l[2], l[3]]], {color: colour(l[4]), weight: 2,
                        dashArray: "5 5", interactive: false, className: "innomap-partner-line"})
                        .addTo(group);
                });
                data.places.forEach(function (p) {
                    var partner = p[3] === 1, c = colour(p[4]);
                    var marker = L.circleMarker([p[1], p[2]], {
                        renderer: renderer, radius: partner ? 6 : 9, weight: partner ? 3 : 1.5,
                        color: partner ? c : "#ffffff", fillColor: partner ? "#ffffff" : c,
                        fillOpacity: partner ? 1 : 0.9,
                        className: "innomap-city innomap-city--" + p[0]
                    });
                    marker.feature = {type: "Feature", properties: {id: p[0]}};
                    marker.bindTooltip(function () { return el("span", "", data.texts[p[5]]); });
                    marker.bindPopup(function () { return popup(data, p); },
                                     {maxWidth: 340, minWidth: 220});
                    marker.addTo(group);
                    if (p[0] === data.selected) { chosen = marker; }
                });
                window.innomapShown = data.places.map(function (p) { return p[0]; });
                var size = map.getSize();
                // The component iframe starts 0 px wide: framing then would zoom all the way out.
                if (size.x > 0 && size.y > 0) { frame(map, data, chosen); }
                else { map.once("resize", function () { frame(map, data, chosen); }); }
            }
            function regions(map, url, style) {
                fetch(url).then(function (r) {
                    if (!r.ok) { throw new Error("regions: HTTP " + r.status); }
                    return r.json();
                }).then(function (data) {
                    L.geoJSON(data, {interactive: false, style: function (f) {
                        var s = Object.assign({}, style);
                        s.fillColor = COLOURS[{{ this.regions|tojson }}.indexOf(
                            f.properties.macro_region)] || OTHER;
                        return s;
                    }}).addTo(map).bringToBack();
                    window.innomapRegions = data.features.length;
                });
            }
            return {show: show, regions: regions};
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "Runtime"
        self.colours = list(REGION_COLOURS.values())
        self.regions = list(REGION_COLOURS)
        self.other = NO_REGION_COLOUR
        self.select_zoom = SELECT_ZOOM
        self.max_zoom = MAX_FIT_ZOOM


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
