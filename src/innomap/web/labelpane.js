/* innomap's browser runtime: the city names on the map, measured and put where labels.js
   says.

   The names live in a pane of their own that takes no pointer events (a click or hover
   aimed at a marker always reaches it) and is hidden from screen readers (each marker's
   aria-label names its city already). */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("labelpane", function (need) {
    var el = need("dom").el, state = need("state").state, labels = need("labels");
    // Names for a thousand places would be a carpet: above this, tooltips and the table name them.
    var LABEL_LIMIT = 200;
    function show(map, group, data) {
        // A name per marker of the layer, once its texts are there (none on a canvas).
        var pane = map.getPane("innomapLabels");
        if (!pane) {
            pane = map.createPane("innomapLabels");
            pane.classList.add("leaflet-zoom-hide");  // hidden while a zoom animates
            pane.setAttribute("aria-hidden", "true");
            map.on("moveend resize", function () { arrange(map); });
        }
        pane.textContent = "";
        state.names = [];
        if (!data.texts || data.canvas || data.places.length > LABEL_LIMIT) { return; }
        group.eachLayer(function (marker) {
            var place = marker.innomapPlace;
            if (!place) { return; }
            var text = el("span", "innomap-label innomap-label--" + place.id,
                          data.texts[place.name]);
            var line = el("i", "innomap-leader innomap-leader--" + place.id);
            pane.appendChild(line);
            pane.appendChild(text);
            state.names.push({marker: marker, lead: place.partner !== 1, text: text, line: line});
        });
        arrange(map);
    }
    function arrange(map) {
        var names = state.names, size = map.getSize();
        // Measured each time (all shown, then all read: one layout): a frame that was hidden
        // or had no width when the names came measured nothing.
        names.forEach(function (n) { n.text.hidden = false; });
        var items = names.map(function (n) {
            var c = map.latLngToContainerPoint(n.marker.getLatLng());
            return {w: n.text.offsetWidth, h: n.text.offsetHeight, c: {x: c.x, y: c.y},
                    r: n.marker.options.radius + n.marker.options.weight / 2, lead: n.lead};
        });
        var spots = labels.place(items, {x: size.x, y: size.y}, obstacles(map));
        names.forEach(function (n, i) {
            var spot = spots[i];
            n.text.hidden = !spot;
            n.line.hidden = !(spot && spot.line);
            if (spot) { put(n.text, map, spot.box.x, spot.box.y); }
            if (spot && spot.line) { leader(n.line, map, spot.line); }
        });
    }
    function obstacles(map) {
        // Leaflet's controls (zoom, layers, legend, scale, credits) in container pixels.
        var box = map.getContainer(), at = box.getBoundingClientRect();
        return [].map.call(box.querySelectorAll(".leaflet-control"), function (c) {
            var r = c.getBoundingClientRect();
            return {x: r.left - at.left, y: r.top - at.top, w: r.width, h: r.height};
        });
    }
    function put(node, map, x, y) {
        // The pane moves with the map: position in layer pixels, which panning leaves alone.
        var at = map.containerPointToLayerPoint([x, y]);
        node.style.left = at.x + "px";
        node.style.top = at.y + "px";
    }
    function leader(node, map, line) {
        put(node, map, line[0], line[1]);
        node.style.width = Math.hypot(line[2] - line[0], line[3] - line[1]) + "px";
        node.style.transform = "rotate(" + Math.atan2(line[3] - line[1], line[2] - line[0]) +
            "rad)";
    }
    return {show: show};
}, typeof module === "object" ? module : null);
