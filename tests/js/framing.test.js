// Framing decisions (web/framing.js): never at 0 px, the legend's room at the bottom, and a
// view the user chose kept only while it holds every city shown.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const framing = require("../../src/innomap/web/framing.js");
const {CITIES, FINLAND} = require("./finland.js");

function boundsOf(cities) {
    // [[south, west], [north, east]] around cities, as mapview.fit_bounds writes them.
    const lats = cities.map((c) => c.lat), lons = cities.map((c) => c.lon);
    return [[Math.min(...lats), Math.min(...lons)], [Math.max(...lats), Math.max(...lons)]];
}

// [the frame's size, frame now]: the component iframe starts 0 px wide, and framing then
// asked Leaflet for an infinite zoom ("Invalid LatLng object: (NaN, NaN)").
const SIZES = [[{x: 0, y: 600}, false], [{x: 390, y: 0}, false], [{x: 0, y: 0}, false],
               [{x: 1, y: 1}, true], [{x: 390, y: 600}, true], [{x: 1400, y: 600}, true]];

for (const [size, now] of SIZES) {
    test(`a ${size.x} x ${size.y} px frame is ${now ? "framed now" : "framed after a resize"}`,
         () => {
             assert.equal(framing.ready(size), now);
         });
}

test("the cities keep clear of the legend: its height pads the bottom, never animated", () => {
    assert.deepEqual(framing.fitting(7, 106), {maxZoom: 7, paddingTopLeft: [12, 12],
                                               paddingBottomRight: [12, 118], animate: false});
    assert.deepEqual(framing.fitting(12, 0).paddingBottomRight, [12, 12]);
});

test("all of Finland holds every shipped city; a city outside a view is not held", () => {
    const all = boundsOf(CITIES);
    assert.equal(framing.contains(FINLAND, all), true);
    const south = boundsOf(CITIES.filter((c) => c.lat < 62));
    assert.equal(framing.contains(south, all), false);
    assert.equal(framing.contains(south, boundsOf(CITIES.filter((c) => c.id === "turku"))),
                 true);
    const rovaniemi = CITIES.find((c) => c.id === "rovaniemi");
    assert.equal(framing.contains(south, boundsOf([rovaniemi])), false);
});

test("a selected city is framed as selected, whatever the view", () => {
    assert.equal(framing.plan(true, true, () => true), "select");
    assert.equal(framing.plan(true, false, () => false), "select");
});

test("the app's framing until the user moves; then their view while it holds the cities",
     () => {
         const asked = [];
         const holds = (answer) => () => { asked.push(answer); return answer; };
         assert.equal(framing.plan(false, false, holds(true)), "fit");
         assert.deepEqual(asked, [], "the view is asked about only after the user moved");
         assert.equal(framing.plan(false, true, holds(true)), "keep");
         assert.equal(framing.plan(false, true, holds(false)), "fit");
     });
