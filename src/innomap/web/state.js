/* innomap's browser runtime: the shared configuration and state, declared in one place. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("state", function () {
    // Set once per map by setup() from mapelements.runtime_config (Python); read-only after.
    var config = {
        colours: [],         // a colour per macro-region, in the order of `regions`
        regions: [],         // the macro-regions' keys (south, west, east, north)
        other: "#9a9a9a",    // the colour of a place or region outside the macro-regions
        network: "#1b1b1b",  // the colour of a chosen network's links
        selectZoom: 7,       // the least zoom a selected city is shown at
        maxZoom: 7,          // the most that framing the cities zooms in
        lang: "",            // the page's language (fi, sv, en)
        texts: {},           // the map's own words: controls, the frame's heading and label
        wire: null,          // the payload's field names per kind of record (web/wire.json)
        regionsUrl: "",      // the region polygons (GeoJSON), named by their content
        regionStyle: {},     // Leaflet path options of the region polygons
        tiles: null,         // web map tiles, off by default: url, attribution, maxZoom, name
        legend: null,        // the legend's title and items
        bounds: null         // the first view: all of Finland, [[south, west], [north, east]]
    };
    // What the runtime keeps between calls: one map per frame, so one state per page.
    var state = {
        userMoved: false,    // the user panned or zoomed: their view stays while it holds
                             // every city shown
        fitting: false,      // the runtime is framing now: the zoomstart and dragstart events
                             // it causes are not the user's
        watching: null,      // the map whose events are hooked (once per map)
        turn: 0,             // counts show() calls: work for an older layer is dropped
        catalogues: {},      // texts-file URL → promise of its texts and focus sets
        styled: false,       // the map's stylesheets have loaded (the legend has its height)
        refocus: null,       // {id, until}: the city whose new marker takes the focus after
                             // the rerun its activation causes
        last: null,          // the last layer framed (a resize frames it again)
        chosen: null,        // the marker of its selected city, or null
        legend: null,        // the legend's element (its height pads the frame)
        names: []            // the shown markers' name labels (labelpane.js)
    };
    return {config: config, state: state};
}, typeof module === "object" ? module : null);
