/* innomap's browser runtime: the view. Frames the cities shown (or a selected city), keeps
   a view the user chose while it holds them, and frames again when the frame is resized.

   The decisions are pure functions (ready, plan, contains, fitting; tests/js/framing.test.js);
   the rest hands them to Leaflet. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("framing", function (need) {
    var shared = need("state"), config = shared.config, state = shared.state;
    // Room kept around the cities, in px; the legend's height is added at the bottom.
    var PADDING = 12;
    // A selected city sits this share of the frame's height below the middle, so that its
    // popup fits above it.
    var SELECT_LOW = 0.3;

    function ready(size) {
        // The component iframe starts 0 px wide: framing then would zoom all the way in (the
        // limit; with none, an infinite zoom: "Invalid LatLng object: (NaN, NaN)"). Wait for
        // a size.
        return size.x > 0 && size.y > 0;
    }
    function fitting(maxZoom, legendHeight) {
        // Leaflet's fitBounds options: the cities clear of the legend in the bottom-right
        // corner. Never animated: a gliding frame moves markers that are already shown, and
        // a click aimed at one lands on the bare map or on a neighbour (the lost marker click
        // of issue 14).
        return {maxZoom: maxZoom, paddingTopLeft: [PADDING, PADDING],
                paddingBottomRight: [PADDING, PADDING + legendHeight], animate: false};
    }
    function contains(view, bounds) {
        // Whether a view [[south, west], [north, east]] holds bounds given the same way.
        return bounds[0][0] >= view[0][0] && bounds[1][0] <= view[1][0] &&
            bounds[0][1] >= view[0][1] && bounds[1][1] <= view[1][1];
    }
    function plan(chosen, userMoved, holds) {
        // "select" a chosen city; "keep" a view the user chose while it holds every city
        // shown (holds() says so; asked only then); else "fit" the cities' bounds.
        if (chosen) { return "select"; }
        return userMoved && holds() ? "keep" : "fit";
    }
    function options(maxZoom, map) {
        return fitting(maxZoom, legendRoom(map));
    }
    function legendRoom(map) {
        // The map's height the legend takes from the bottom: its own, and the attribution
        // and margin under it (in a frame 630 px wide the legend reaches over the capital's
        // cities, issue 21). Without a layout (node tests), its height.
        var legend = state.legend;
        if (!legend) { return 0; }
        var below = map ? map.getContainer().getBoundingClientRect().bottom -
            legend.getBoundingClientRect().top : 0;
        return Math.max(legend.offsetHeight, below);
    }
    function viewOf(map) {
        var b = map.getBounds();
        return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]];
    }
    function fill(map) {
        // streamlit-folium gives the map the height passed in Python, inline in px; the page
        // sizes the frame to the screen instead (page.css, issue 21), so the map takes the
        // frame's height: 100vh inside the iframe (its wrappers have no height for a 100 %).
        // Leaflet follows its window's resize events only, and the map's box also changes
        // without one (the frame's scrollbar goes once innomap.css arrives): Leaflet takes
        // every new size of the box, and fires "resize" for watch() to frame the cities again.
        var box = map.getContainer();
        box.style.height = "100vh";
        if (typeof ResizeObserver === "function") {
            new ResizeObserver(function () { map.invalidateSize({pan: false}); }).observe(box);
        }
        map.invalidateSize({pan: false});
    }
    function watch(map) {
        if (state.watching === map) { return; }
        state.watching = map;
        // Leaflet focuses the map on mousedown, and focus() scrolls the page to show
        // the whole map: with the map partly below the fold the mouseup then lands
        // elsewhere and the click on a marker is lost.
        var keys = map.keyboard, box = map.getContainer();
        if (keys) {
            L.DomEvent.off(box, "mousedown", keys._onMouseDown, keys);
            L.DomEvent.on(box, "mousedown", function () {
                if (!keys._focused) { box.focus({preventScroll: true}); }
            });
        }
        var user = function () { if (!state.fitting) { state.userMoved = true; } };
        map.on("dragstart", user);
        map.on("zoomstart", user);
        // The frame can change size after drawing (iframe sizing, window resize):
        // keep the app's framing until the user takes over.
        map.on("resize", function () {
            if (state.userMoved || !state.last) { return; }
            frame(map, state.last, state.chosen);
        });
        // The legend's height pads the framing, and it changes with no resize of the map:
        // innomap.css arrives after the map's script, and until then the legend is one tall
        // column (at 1280 x 720 the capital's cities were framed under it, issue 21).
        if (state.legend && typeof ResizeObserver === "function") {
            new ResizeObserver(function () {
                if (!state.userMoved && state.last) { frame(map, state.last, state.chosen); }
            }).observe(state.legend);
        }
    }
    function show(map, data, chosen) {
        // Frame a layer just drawn: now, or once the frame has a size.
        if (ready(map.getSize())) { frame(map, data, chosen); }
        else { map.once("resize", function () { frame(map, data, chosen); }); }
    }
    function frame(map, data, chosen) {
        // Framing is never animated, so every zoomstart and dragstart it causes fires before
        // it returns: the flag is exact, and any later one is the user's (no timer to race).
        state.fitting = true;
        try {
            reframe(map, data, chosen);
        } finally {
            state.fitting = false;
        }
    }
    function reframe(map, data, chosen) {
        state.last = data;
        state.chosen = chosen;
        var step = plan(!!chosen, state.userMoved, function () {
            return contains(viewOf(map), data.bounds);
        });
        if (step === "select") {
            var zoom = Math.max(map.getZoom(), config.selectZoom);
            map.setView(chosen.getLatLng(), zoom, {animate: false});
            map.panBy([0, -Math.round(map.getSize().y * SELECT_LOW)], {animate: false});
            chosen.openPopup();
        } else if (step === "fit") {
            map.fitBounds(L.latLngBounds(data.bounds), options(config.maxZoom, map));
            state.userMoved = false;
        }
    }
    return {ready: ready, fitting: fitting, contains: contains, plan: plan, options: options,
            fill: fill, watch: watch, show: show};
}, typeof module === "object" ? module : null);
