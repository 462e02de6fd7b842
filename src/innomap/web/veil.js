/* innomap's browser runtime: the map's frame shows nothing until its stylesheets apply.

   streamlit-folium adds the stylesheets (Leaflet's, innomap.css) only after the scripts have
   loaded, and runs the map's script at once: unstyled, Leaflet's controls and the legend stack
   at the frame's top and the body keeps the browser's 8 px margin, then everything jumps when
   the styles arrive, a layout shift of about 0.4 on every cold load (issue 21). Hidden boxes
   never count as shifts, so this part, the first to load, hides the frame's document, and
   lift() shows it once every stylesheet has loaded (or failed: the map then shows as it is).
   tests/js/veil.test.js. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("veil", function () {
    // A stylesheet that neither loads nor fails (a stalled proxy) holds the map back this long
    // at most; then it shows as it is, unstyled rather than missing.
    var PATIENCE_MS = 10000;

    function pending(doc) {
        // The stylesheet links not yet loaded: a link's sheet is null until it has.
        return Array.prototype.filter.call(doc.querySelectorAll('link[rel="stylesheet"]'),
                                           function (link) { return !link.sheet; });
    }
    function hide(doc) {
        doc.documentElement.style.visibility = "hidden";
    }
    function lift(doc, timers) {
        // Show the document once each pending stylesheet has loaded or failed. Each link is
        // asked once, here: streamlit-folium has added all of them by the time the map's
        // script runs. timers: {set, clear} (setTimeout, clearTimeout unless tests pass theirs).
        var clock = timers || {set: function (run, ms) { return setTimeout(run, ms); },
                               clear: function (id) { clearTimeout(id); }};
        var waiting = pending(doc), left = waiting.length, patience = null;
        function show() {
            if (patience !== null) { clock.clear(patience); patience = null; }
            doc.documentElement.style.visibility = "";
        }
        function settled() {
            left -= 1;
            if (left === 0) { show(); }
        }
        if (left === 0) { show(); return; }
        waiting.forEach(function (link) {
            link.addEventListener("load", settled, {once: true});
            link.addEventListener("error", settled, {once: true});
        });
        patience = clock.set(show, PATIENCE_MS);
    }
    if (typeof document === "object" && typeof module !== "object") { hide(document); }
    return {hide: hide, lift: lift, pending: pending, PATIENCE_MS: PATIENCE_MS};
}, typeof module === "object" ? module : null);
