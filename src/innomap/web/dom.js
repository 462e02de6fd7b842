/* innomap's browser runtime: the one way it makes an element with text.

   Text from the data only ever goes in as textContent, so none of it is parsed as HTML
   (tests/test_mapview.py checks that no file of the runtime writes HTML). */
"use strict";
// Each file of the runtime is one part: in the browser it joins window.innomapParts (the
// files load in the order of assets.RUNTIME_SCRIPTS, after Leaflet); under Node (tests/js)
// it is a module, and its parts come from require().
(function (name, make) {
    if (typeof module === "object" && module.exports) {
        module.exports = make(function (part) { return require("./" + part + ".js"); });
    } else {
        var parts = window.innomapParts = window.innomapParts || {};
        parts[name] = make(function (part) { return parts[part]; });
    }
})("dom", function () {
    function el(tag, cls, text) {
        var node = document.createElement(tag);
        if (cls) { node.className = cls; }
        if (text !== undefined) { node.textContent = text; }
        return node;
    }
    return {el: el};
});
