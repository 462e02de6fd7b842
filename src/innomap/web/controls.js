/* innomap's browser runtime: Leaflet's controls in the page's language, the optional web
   tiles, and the frame as a landmark of its own for assistive technology. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("controls", function (need) {
    var el = need("dom").el, config = need("state").config;
    function tiles(map, options) {
        // Off by default: the map is complete without them, and many networks block them.
        // options: url, attribution, maxZoom, name (the layer control's entry).
        var layer = L.tileLayer(options.url, {attribution: options.attribution,
                                              maxZoom: options.maxZoom});
        var overlays = {};
        overlays[options.name] = layer;
        var control = L.control.layers({}, overlays, {position: "topright", collapsed: true})
            .addTo(map);
        var toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
        if (toggle) {
            toggle.title = config.texts.layers;
            toggle.setAttribute("aria-label", config.texts.layers);
        }
    }
    function translate(map) {
        // Leaflet's controls in the page's language.
        var texts = config.texts;
        if (map.zoomControl) {
            map.removeControl(map.zoomControl);
            map.zoomControl = L.control.zoom({zoomInTitle: texts.zoom_in,
                                              zoomOutTitle: texts.zoom_out}).addTo(map);
        }
        var credits = map.attributionControl;
        if (credits) {
            // Leaflet writes its prefix as HTML on every update: set the link's title (an
            // attribute, never parsed) after each one.
            var update = credits._update;
            credits._update = function () {
                update.apply(this, arguments);
                var link = this.getContainer().querySelector('a[href="https://leafletjs.com"]');
                if (link) {
                    link.title = texts.leaflet;
                    link.setAttribute("aria-label", texts.leaflet);
                }
            };
            credits._update();
        }
    }
    function landmark(map) {
        // The frame is a page of its own to assistive technology: give it its language, a
        // main landmark holding the map and its controls, and a heading.
        var box = map.getContainer(), doc = box.ownerDocument;
        if (config.lang) {
            doc.documentElement.lang = config.lang;
            // Streamlit's page always says lang="en": the map (same origin) corrects it, and
            // names its frame in the language (Streamlit's title, "streamlit_folium.st_folium",
            // stays: the page's styles find the frame by it).
            try {
                window.parent.document.documentElement.lang = config.lang;
                if (window.frameElement) {
                    window.frameElement.setAttribute("aria-label", config.texts.heading || "");
                }
            } catch {
                // A parent page on another origin keeps its own.
            }
        }
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", config.texts.label || "");
        if (box.parentNode.tagName === "MAIN") { return; }
        var main = el("main", "innomap-frame");
        box.parentNode.insertBefore(main, box);
        main.appendChild(el("h1", "innomap-sr", config.texts.heading || ""));
        main.appendChild(box);
    }
    return {tiles: tiles, translate: translate, landmark: landmark};
}, typeof module === "object" ? module : null);
