/* innomap's browser runtime: the payload's decoder, the one reader of its arrays.

   A rerun's places, partner lines and network links travel as arrays, their fields named
   once in web/wire.json: mapview.py writes them in that order, setup() gets the names
   (config.wire) and decode() turns each array into an object by field name. Keyed objects
   on the wire would make what a rerun sends 2.5 times as large at 20 places and 2.7 times at
   1,000 (mapview.WIRE has the figures). */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("wire", function () {
    // The payload's lists and the kind of record each one holds (wire.json's keys).
    var LISTS = {places: "place", lines: "line", links: "link"};
    function record(fields, row, kind) {
        // A mismatch means Python and the browser disagree: fail loudly, never draw nonsense.
        if (!Array.isArray(row) || row.length !== fields.length) {
            throw new Error("innomap wire: a " + kind + " should have " + fields.length +
                            " fields (" + fields.join(", ") + "), got " + JSON.stringify(row));
        }
        var out = {};
        fields.forEach(function (field, i) { out[field] = row[i]; });
        return out;
    }
    function decode(schema, data) {
        // A copy of the payload with each place, line and link an object by field name.
        if (!schema) { throw new Error("innomap wire: no field names (setup() gives them)"); }
        var out = Object.assign({}, data);
        Object.keys(LISTS).forEach(function (list) {
            var kind = LISTS[list], fields = schema[kind];
            if (!fields) { throw new Error("innomap wire: no field names for a " + kind); }
            out[list] = data[list].map(function (row) { return record(fields, row, kind); });
        });
        return out;
    }
    return {decode: decode};
}, typeof module === "object" ? module : null);
