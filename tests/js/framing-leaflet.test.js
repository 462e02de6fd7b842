// Framing with the real Leaflet (tests/js/leaflet.js): the NaN-zoom bug, and a frame that
// waits for a size, holds every city shown and keeps the legend's room.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, resize} = require("./leaflet.js");
const {CITIES, FINLAND} = require("./finland.js");

const {window: win, skip} = load();
// Only after load(): the runtime's files use the global L when they run.
const framing = require("../../src/innomap/web/framing.js");
const {state} = require("../../src/innomap/web/state.js");

// The map's options as mapview.build_base_map sets them (MIN_ZOOM, MAX_ZOOM).
const OPTIONS = {center: [65, 26], zoom: 5, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 3.5,
                 maxZoom: 12};
const LEGEND_PX = 106;

function newMap(options, width = 0, height = 0) {
    const box = win.document.createElement("div");
    win.document.body.appendChild(box);
    resize(box, width, height);
    return {box, map: win.L.map(box, options)};
}

function legend(height) {
    // The legend's element as framing reads it: its height pads the frame's bottom.
    const div = win.document.createElement("div");
    Object.defineProperty(div, "offsetHeight", {value: height});
    return div;
}

function boundsOf(cities) {
    const lats = cities.map((c) => c.lat), lons = cities.map((c) => c.lon);
    return [[Math.min(...lats), Math.min(...lons)], [Math.max(...lats), Math.max(...lons)]];
}

test.beforeEach(() => {
    Object.assign(state, {userMoved: false, fitting: false, last: null, chosen: null,
                          legend: legend(LEGEND_PX)});
});

test("framed in a 0 px frame, the map keeps a finite zoom: its limit", {skip}, () => {
    const {map} = newMap(OPTIONS);
    map.fitBounds(FINLAND, framing.options(map.getMaxZoom()));
    assert.equal(map.getZoom(), OPTIONS.maxZoom);
    assert.ok(Number.isFinite(map.getCenter().lat) && Number.isFinite(map.getCenter().lng));
});

test("without zoom limits (folium with tiles=None) the same frame asks for infinity",
     {skip}, () => {
         const {map} = newMap({center: [65, 26], zoom: 5, zoomSnap: 0.25});
         map.fitBounds(FINLAND, framing.options(map.getMaxZoom()));
         assert.equal(map.getZoom(), Infinity);  // "Invalid LatLng object: (NaN, NaN)"
     });

for (const width of [390, 1400]) {
    test(`a layer drawn at 0 px is framed at the first resize, ${width} px wide`, {skip},
         () => {
             const {box, map} = newMap(OPTIONS);
             const cities = CITIES.filter((c) => c.lat > 62);  // a filter: the north
             const data = {bounds: boundsOf(cities)};
             framing.show(map, data, null);
             assert.equal(map.getZoom(), OPTIONS.zoom, "framed with no room");
             resize(box, width, 600);
             map.invalidateSize();
             assert.ok(Number.isFinite(map.getZoom()));
             assert.ok(map.getBounds().contains(data.bounds), "every city shown is in view");
             // Framed: centred in the room the padding leaves (the legend's at the bottom).
             const nw = map.latLngToContainerPoint([data.bounds[1][0], data.bounds[0][1]]);
             const se = map.latLngToContainerPoint([data.bounds[0][0], data.bounds[1][1]]);
             assert.ok(Math.abs((nw.x - 12) - (width - 12 - se.x)) <= 1, `${nw.x}, ${se.x}`);
             assert.ok(Math.abs((nw.y - 12) - (600 - 12 - LEGEND_PX - se.y)) <= 1,
                       `${nw.y}, ${se.y}`);
         });
}

test("a view the user chose stays while it holds the cities shown", {skip}, () => {
    const {map} = newMap(OPTIONS, 1400, 600);
    framing.show(map, {bounds: FINLAND}, null);
    const framed = map.getZoom();
    state.userMoved = true;
    framing.show(map, {bounds: boundsOf(CITIES.filter((c) => c.id === "oulu"))}, null);
    assert.equal(map.getZoom(), framed, "Oulu is in view: the view stays");
    map.setView([60.17, 24.95], 9, {animate: false});  // the user zooms in on Helsinki
    framing.show(map, {bounds: boundsOf(CITIES)}, null);
    assert.ok(map.getBounds().contains(boundsOf(CITIES)), "framed again to show them all");
    assert.equal(state.userMoved, false);
});

test("fill: the map takes its frame's height, and a taller frame frames the cities again",
     {skip}, () => {
         // streamlit-folium's inline px height, as on the page before fill().
         const {box, map} = newMap(OPTIONS, 700, 600);
         box.style.height = "600px";
         framing.fill(map);
         assert.equal(box.style.height, "100vh");
         framing.watch(map);
         framing.show(map, {bounds: boundsOf(CITIES)}, null);
         const before = map.getZoom();
         resize(box, 700, 900);  // the page's CSS sizes the frame to a taller screen
         map.invalidateSize({pan: false});  // what the window's resize (or the observer) does
         assert.ok(map.getZoom() > before, `${before} → ${map.getZoom()}`);
         assert.ok(map.getBounds().contains(boundsOf(CITIES)));
     });
