// The shipped cities as the map lays them out at a given size: what labels.place() gets in
// the browser, computed here from data/cities.geojson. Markers are projected as Leaflet
// projects them (Web Mercator, 256 px tiles) and framed as the first view frames Finland
// (mapview.FINLAND_BOUNDS, framing.fitting's padding, zoom snapped to 0.25, at most 7);
// names are measured at about 7 px a character (12 px bold, innomap.css) plus the padding.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const CITIES = JSON.parse(fs.readFileSync(path.join(ROOT, "data", "cities.geojson"), "utf8"))
    .features.map((f) => ({id: f.properties.id, lead: f.properties.role !== "partner_town",
                           lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0],
                           names: f.properties.name}));
const FINLAND = [[59.7, 19.4], [70.1, 31.6]];
const HEIGHT = 600;  // the map component's height (ui.mapcomponent.show_map)
const CHAR_PX = 7;
const LABEL_PX = {pad: 4, height: 15};

function project(lat, lon, zoom) {
    // Web Mercator in Leaflet's pixels at a zoom.
    const scale = 256 * Math.pow(2, zoom), sin = Math.sin(lat * Math.PI / 180);
    return {x: scale * (lon + 180) / 360,
            y: scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI))};
}

function controls(width, height) {
    // Leaflet's controls as the map shows them: zoom (top left), layers (top right), the
    // legend (two columns, bottom right, above the credits) and the scale (bottom left).
    const legend = width < 500 ? {w: 236, h: 106} : {w: 250, h: 106};
    return [
        {x: 10, y: 10, w: 34, h: 66},
        {x: width - 54, y: 10, w: 44, h: 44},
        {x: width - 10 - legend.w, y: height - 26 - legend.h, w: legend.w, h: legend.h},
        {x: 10, y: height - 30, w: 110, h: 20},
        {x: width - 190, y: height - 16, w: 190, h: 16},
    ];
}

function layout(width, lang = "en", height = HEIGHT) {
    // The items, map size and controls labels.place() gets for the first view.
    const boxes = controls(width, height), legend = boxes[2];
    const roomX = width - 24, roomY = height - 24 - legend.h;
    const nw = project(FINLAND[1][0], FINLAND[0][1], 0);
    const se = project(FINLAND[0][0], FINLAND[1][1], 0);
    const fit = Math.log2(Math.min(roomX / (se.x - nw.x), roomY / (se.y - nw.y)));
    const zoom = Math.min(7, Math.floor(fit * 4) / 4);
    const origin = project(FINLAND[1][0], FINLAND[0][1], zoom);
    const far = project(FINLAND[0][0], FINLAND[1][1], zoom);
    const left = 12 + (roomX - (far.x - origin.x)) / 2;
    const top = 12 + (roomY - (far.y - origin.y)) / 2;
    const items = CITIES.map((city) => {
        const at = project(city.lat, city.lon, zoom);
        return {id: city.id, lead: city.lead,
                c: {x: at.x - origin.x + left, y: at.y - origin.y + top},
                r: city.lead ? 9 + 1.5 / 2 : 6 + 3 / 2,
                w: city.names[lang].length * CHAR_PX + LABEL_PX.pad, h: LABEL_PX.height};
    });
    return {items, size: {x: width, y: height}, controls: boxes, zoom};
}

module.exports = {CITIES, FINLAND, layout, project};
