// Decode a city layer as the browser does: `node tests/js/decode.js LAYER.json`, where the
// file holds {"wire": setup()'s field names, "payload": a city payload}; prints the decoded
// payload as JSON. tests/test_web.py feeds it what mapview builds for the shipped data.
"use strict";
const fs = require("node:fs");
const wire = require("../../src/innomap/web/wire.js");

const layer = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
process.stdout.write(JSON.stringify(wire.decode(layer.wire, layer.payload)));
