/* innomap's browser runtime: the map on paper. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("print", function () {
    // The map's size on paper: the A4 page's content width and the frame's print height
    // (page.css, @media print).
    var PRINT_SIZE = {width: "186mm", height: "120mm"};
    function printable(map) {
        // The browser lays the page out for paper only after "beforeprint", and runs no script
        // in between: frame the places for the printed size now, and for the screen after.
        // The screen's size is streamlit-folium's inline style: keep it to put back after.
        var box = map.getContainer(), screen = null;
        function resize(size) {
            box.style.width = size.width;
            box.style.height = size.height;
            map.invalidateSize({pan: false});
        }
        window.addEventListener("beforeprint", function () {
            screen = screen || {width: box.style.width, height: box.style.height};
            resize(PRINT_SIZE);
        });
        window.addEventListener("afterprint", function () {
            if (screen) { resize(screen); }
            screen = null;
        });
    }
    return {printable: printable};
}, typeof module === "object" ? module : null);
