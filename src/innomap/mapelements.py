"""Folium elements of the map: the browser-side runtime, regions, city layer and legend.

The runtime draws cities from a compact payload and builds popups and tooltips with
`textContent`, so no text from the data is ever parsed as HTML in the browser.
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
MAX_FIT_ZOOM = 7
SELECT_ZOOM = 7


def escape(text: object) -> str:
    """Escape text for HTML that folium places inside a JavaScript template literal."""
    escaped = html.escape(str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


class Runtime(MacroElement):
    """innomap's browser-side code: draw cities, build popups safely, frame the view."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .innomap-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; font: 12px/1.5
            system-ui, sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
        .innomap-legend { transition: opacity 0.15s; }
        .innomap-legend--behind { opacity: 0; pointer-events: none; }
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
            var state = {userMoved: false, fitting: false, watching: null, turn: 0,
                         catalogues: {}};
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
                // Leaflet focuses the map on mousedown, and focus() scrolls the page to show
                // the whole map: with the map partly below the fold the mouseup then lands
                // elsewhere and the click on a marker is lost.
                var keys = map.keyboard, box = map.getContainer();
                if (keys) {
                    L.DomEvent.off(box, "mousedown", keys._onMouseDown, keys);
                    L.DomEvent.on(box, "mousedown", function () {
                        if (!keys._focused) { box.focus({preventScroll: true}); }
                    });
                }
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
            function catalogue(url) {
                // Texts and focus sets come once per data version and language, not per rerun.
                if (!state.catalogues[url]) {
                    state.catalogues[url] = fetch(url).then(function (r) {
                        if (!r.ok) { throw new Error("catalogue: HTTP " + r.status); }
                        return r.json();
                    }).catch(function (err) {
                        delete state.catalogues[url];  // the next rerun tries again
                        throw err;
                    });
                }
                return state.catalogues[url];
            }
            function show(map, group, data) {
                var turn = state.turn = state.turn + 1;
                watch(map);
                // streamlit-folium adds the group after this script; a popup needs it on the map.
                if (!map.hasLayer(group)) { group.addTo(map); }
                var texts = typeof data.catalogue === "string" ? catalogue(data.catalogue)
                    : Promise.resolve(data.catalogue);
                // Markers need no texts: draw them now; tooltips and popups fill in when the
                // texts file arrives (1 MB at 10,000 places, on a slow network seconds).
                draw(map, group, data);
                texts.then(function (cat) {
                    data.texts = cat.texts;
                    data.sets = cat.sets;
                }).catch(function (err) {
                    // Say so where the texts would be; the next rerun fetches the file again.
                    data.failed = true;
                    console.error("innomap: " + err.message);
                }).then(function () {
                    // Redraw what is open; a newer layer has taken over if the turn moved on.
                    if (turn !== state.turn) { return; }
                    group.eachLayer(function (layer) {
                        [layer.getPopup && layer.getPopup(), layer.getTooltip && layer.getTooltip()]
                            .forEach(function (box) { if (box && box.isOpen()) { box.update(); } });
                    });
                });
            }
            function loading(data) {
                return el("div", "innomap-popup innomap-loading",
                          data.failed ? data.labels.unavailable : data.labels.loading);
            }
            function draw(map, group, data) {
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
                    marker.bindTooltip(function () {
                        return data.texts ? el("span", "", data.texts[p[5]]) : loading(data);
                    });
                    marker.bindPopup(function () {
                        return data.texts ? popup(data, p) : loading(data);
                    }, {maxWidth: 340, minWidth: 220});
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
            var map = {{ this._parent.get_name() }}, div = null;
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                div = L.DomUtil.create("div", "innomap-legend");
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo(map);
            // Leaflet's controls sit above its popups: step aside while a popup needs the room.
            var open = null;
            function place() {
                var box = open && open.getElement(), behind = false;
                if (box) {
                    var a = box.getBoundingClientRect(), b = div.getBoundingClientRect();
                    behind = a.left < b.right && a.right > b.left && a.top < b.bottom &&
                        a.bottom > b.top;
                }
                div.classList.toggle("innomap-legend--behind", behind);
            }
            map.on("popupopen", function (e) { open = e.popup; place(); });
            map.on("popupclose", function (e) { if (open === e.popup) { open = null; } place(); });
            // A zoom ends with a moveend too.
            map.on("moveend resize", place);
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
