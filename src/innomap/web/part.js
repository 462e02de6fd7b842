/* innomap's browser runtime: how each of its files declares itself. Loaded first.

   Each file is one part: part(name, make, module) builds it as make(need), where need(other)
   gives a part that file uses. In the browser the parts join window.innomapParts (the files
   load in the order of assets.RUNTIME_SCRIPTS, after Leaflet, so a part's needs are there
   before it); under Node (tests/js) a part is its file's module.exports and need is require. */
"use strict";
(function () {
    function part(name, make, module) {
        if (module) {
            module.exports = make(function (other) { return require("./" + other + ".js"); });
            return module.exports;
        }
        var parts = window.innomapParts = window.innomapParts || {};
        parts[name] = make(function (other) { return parts[other]; });
        return parts[name];
    }
    if (typeof module === "object" && module.exports) { module.exports = part; }
    else { window.innomapPart = part; }
})();
