/* innomap's browser runtime: the one way it makes an element with text.

   Text from the data only ever goes in as textContent, so none of it is parsed as HTML
   (tests/test_mapview.py checks that no file of the runtime writes HTML). */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("dom", function () {
    function el(tag, cls, text) {
        var node = document.createElement(tag);
        if (cls) { node.className = cls; }
        if (text !== undefined) { node.textContent = text; }
        return node;
    }
    return {el: el};
}, typeof module === "object" ? module : null);
