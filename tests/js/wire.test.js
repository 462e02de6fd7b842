// The payload's decoder (web/wire.js) with the field names of web/wire.json, which
// mapview.py writes by. tests/test_web.py feeds it the payload mapview builds.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const wire = require("../../src/innomap/web/wire.js");
const schema = require("../../src/innomap/web/wire.json");

const PAYLOAD = {
    places: [["oulu", 65.0121, 25.4651, 0, 3, 0, 1, 2, 3, 4, 5, 0, 6],
             ["sotkamo", 64.131, 28.39, 1, 3, 7, 1, 8, 9, 4, 10, 1, 11]],
    lines: [[64.131, 28.39, 64.2222, 27.7278, 3]],
    links: [[63.8385, 23.1307, 63.096, 21.6158, "battery_chemistry", "vaasa"]],
    catalogue: "../../app/static/innomap/places-fi-0123456789ab.json",
    selected: "oulu", canvas: false, bounds: [[59.7, 19.4], [70.1, 31.6]],
};

test("places, lines and links become objects by field name", () => {
    const data = wire.decode(schema, PAYLOAD);
    assert.deepEqual(data.places[1], {
        id: "sotkamo", lat: 64.131, lon: 28.39, partner: 1, region: 3, name: 7, area: 1,
        role: 8, agreement: 9, body: 4, priorities: 10, focus: 1, networks: 11});
    assert.deepEqual(data.lines[0],
                     {lat: 64.131, lon: 28.39, leadLat: 64.2222, leadLon: 27.7278, region: 3});
    assert.deepEqual(data.links[0], {leadLat: 63.8385, leadLon: 23.1307, memberLat: 63.096,
                                     memberLon: 21.6158, network: "battery_chemistry",
                                     member: "vaasa"});
});

test("the rest of the payload is kept, and the payload itself is left as it was", () => {
    const before = JSON.stringify(PAYLOAD);
    const data = wire.decode(schema, PAYLOAD);
    assert.equal(JSON.stringify(PAYLOAD), before);
    for (const key of ["catalogue", "selected", "canvas", "bounds"]) {
        assert.deepEqual(data[key], PAYLOAD[key], key);
    }
});

test("a record of the wrong length fails loudly, naming the fields", () => {
    const short = Object.assign({}, PAYLOAD, {lines: [[64.131, 28.39, 64.2222, 27.7278]]});
    assert.throws(() => wire.decode(schema, short),
                  /a line should have 5 fields \(lat, lon, leadLat, leadLon, region\)/);
});

test("no field names (setup() not run) fails loudly", () => {
    assert.throws(() => wire.decode(null, PAYLOAD), /no field names/);
    assert.throws(() => wire.decode({place: schema.place, line: schema.line}, PAYLOAD),
                  /no field names for a link/);
});
