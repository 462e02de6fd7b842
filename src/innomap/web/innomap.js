/* innomap's browser runtime, the last of its files (assets.RUNTIME_SCRIPTS has their order,
   after Leaflet): window.innomap, its two entry points.

   Draws the cities from a compact payload, builds popups and tooltips with textContent (no
   text from the data is ever parsed as HTML), frames the view and keeps the legend out of the
   way of popups. The map's script calls setup() once: regions, optional tiles, legend; each
   rerun's city layer calls show(). */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("innomap", function (need) {
    var config = need("state").config, layer = need("layer"), framing = need("framing");
    var controls = need("controls"), keyboard = need("keyboard"), legend = need("legend");
    var print = need("print"), veil = need("veil");
    function setup(map, options) {
        // Everything about the map but the cities, once per page and language. options:
        // mapelements.runtime_config (state.js's config documents each one).
        Object.assign(config, options);
        controls.landmark(map);
        framing.fill(map);
        print.printable(map);
        controls.translate(map);
        keyboard.escape(map);
        // Kilometres only: Leaflet's second bar says "mi", miles, on a Finnish page.
        L.control.scale({imperial: false}).addTo(map);
        layer.regions(map, options.regionsUrl, options.regionStyle);
        if (options.tiles) { controls.tiles(map, options.tiles); }
        legend.add(map, options.legend);
        map.fitBounds(options.bounds, framing.options(map.getMaxZoom(), map));
        // The frame was hidden since the first runtime file loaded: show it once styled.
        veil.lift(document);
    }
    var api = {setup: setup, show: layer.show};
    // What the map's scripts call (mapelements.Runtime, mapview.LAYER_CALL).
    if (typeof window === "object") { window.innomap = api; }
    return api;
}, typeof module === "object" ? module : null);
