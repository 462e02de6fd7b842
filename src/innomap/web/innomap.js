/* innomap's browser runtime, the last of its files (assets.RUNTIME_SCRIPTS has their order,
   after Leaflet): window.innomap, its two entry points.

   Draws the cities from a compact payload, builds popups and tooltips with textContent (no
   text from the data is ever parsed as HTML), frames the view and keeps the legend out of the
   way of popups. The map's script calls setup() once: regions, optional tiles, legend; each
   rerun's city layer calls show(). */
"use strict";
(function (name, make) {
    if (typeof module === "object" && module.exports) {
        module.exports = make(function (part) { return require("./" + part + ".js"); });
    } else {
        var parts = window.innomapParts = window.innomapParts || {};
        window.innomap = parts[name] = make(function (part) { return parts[part]; });
    }
})("innomap", function (need) {
    var config = need("state").config, layer = need("layer"), framing = need("framing");
    var controls = need("controls"), keyboard = need("keyboard"), legend = need("legend");
    var print = need("print");
    function setup(map, options) {
        // Everything about the map but the cities, once per page and language. options:
        // mapelements.runtime_config (state.js's config documents each one).
        Object.assign(config, options);
        controls.landmark(map);
        framing.fill(map);
        print.printable(map);
        controls.translate(map);
        keyboard.escape(map);
        L.control.scale().addTo(map);
        layer.regions(map, options.regionsUrl, options.regionStyle);
        if (options.tiles) { controls.tiles(map, options.tiles); }
        legend.add(map, options.legend);
        map.fitBounds(options.bounds, framing.options(map.getMaxZoom(), map));
    }
    return {setup: setup, show: layer.show};
});
