/* innomap's browser runtime, loaded once per page after Leaflet.

   Draws the cities from a compact payload, builds popups and tooltips with textContent (no
   text from the data is ever parsed as HTML), frames the view and keeps the legend out of the
   way of popups. The map's script calls setup() once: regions, optional tiles, legend; each
   rerun's city layer calls show(). */
"use strict";
window.innomap = (function () {
    // Set once per map by setup(): colours per macro-region, zoom limits.
    var config = {colours: [], regions: [], other: "#9a9a9a", network: "#1b1b1b",
                  selectZoom: 7, maxZoom: 7, lang: "", texts: {}};
    var state = {userMoved: false, fitting: false, watching: null, turn: 0,
                 catalogues: {}, styled: false, refocus: null};
    function el(tag, cls, text) {
        var node = document.createElement(tag);
        if (cls) { node.className = cls; }
        if (text !== undefined) { node.textContent = text; }
        return node;
    }
    function colour(region) {
        return region >= 0 ? config.colours[region] : config.other;
    }
    function popup(data, p) {
        var texts = data.texts, labels = data.labels;
        var root = el("div", "innomap-popup");
        root.setAttribute("data-city", p[0]);
        root.appendChild(el("h2", "", texts[p[5]]));
        var prio = el("p", "innomap-priorities");
        prio.appendChild(el("b", "", labels.priorities + ": "));
        prio.appendChild(document.createTextNode(texts[p[10]]));
        root.appendChild(prio);
        var chips = el("div", "innomap-chips");
        data.sets[p[11]].forEach(function (i) {
            chips.appendChild(el("span", "innomap-chip", texts[i]));
        });
        root.appendChild(chips);
        var facts = el("dl");
        [["region", p[6]], ["role", p[7]], ["agreement", p[8]], ["networks", p[12]],
         ["body", p[9]]]
            .forEach(function (f) {
                if (!texts[f[1]]) { return; }
                facts.appendChild(el("dt", "", labels[f[0]]));
                facts.appendChild(el("dd", "", texts[f[1]]));
            });
        root.appendChild(facts);
        return root;
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
    }
    function fitting(maxZoom) {
        // Keep the cities clear of the legend in the bottom-right corner. Never animated:
        // a gliding frame moves markers that are already shown, and a click aimed at one
        // lands on the bare map or on a neighbour (the lost marker click of issue 14).
        var legendHeight = state.legend ? state.legend.offsetHeight : 0;
        return {maxZoom: maxZoom, paddingTopLeft: [12, 12],
                paddingBottomRight: [12, 12 + legendHeight], animate: false};
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
        if (chosen) {
            var zoom = Math.max(map.getZoom(), config.selectZoom);
            map.setView(chosen.getLatLng(), zoom, {animate: false});
            // Put the city low in the frame so that its popup fits above it.
            map.panBy([0, -Math.round(map.getSize().y * 0.3)], {animate: false});
            chosen.openPopup();
        } else {
            var bounds = L.latLngBounds(data.bounds);
            // Keep a view the user chose, unless the cities shown fall outside it.
            if (!state.userMoved || !map.getBounds().contains(bounds)) {
                map.fitBounds(bounds, fitting(config.maxZoom));
                state.userMoved = false;
            }
        }
    }
    function catalogue(url) {
        // Texts and focus sets come once per data version and language, not per rerun.
        if (!state.catalogues[url]) {
            state.catalogues[url] = fetch(url).then(function (r) {
                if (!r.ok) { throw new Error("catalogue: HTTP " + r.status); }
                return r.json();
            }).catch(function (err) {
                delete state.catalogues[url];  // the next rerun tries again
                throw err;
            });
        }
        return state.catalogues[url];
    }
    function show(map, group, data) {
        var turn = state.turn = state.turn + 1;
        watch(map);
        // streamlit-folium adds the group after this script; a popup needs it on the map.
        if (!map.hasLayer(group)) { group.addTo(map); }
        var texts = typeof data.catalogue === "string" ? catalogue(data.catalogue)
            : Promise.resolve(data.catalogue);
        // Markers need no texts: draw them now; tooltips and popups fill in when the
        // texts file arrives (1 MB at 10,000 places, on a slow network seconds). But not
        // before the map's stylesheets apply: the frame depends on the legend's height,
        // and a marker must not jump once shown (a click aimed at it would be lost).
        if (state.styled === true) { draw(map, group, data); }
        else {
            styled().then(function () {
                state.styled = true;
                if (turn === state.turn) { draw(map, group, data); }
            });
        }
        texts.then(function (cat) {
            data.texts = cat.texts;
            data.sets = cat.sets;
            if (turn === state.turn) { name(group, data); labels(map, group, data); }
        }).catch(function (err) {
            // Say so where the texts would be; the next rerun fetches the file again.
            data.failed = true;
            console.error("innomap: " + err.message);
        }).then(function () {
            // Redraw what is open; a newer layer has taken over if the turn moved on.
            if (turn !== state.turn) { return; }
            group.eachLayer(function (layer) {
                [layer.getPopup && layer.getPopup(), layer.getTooltip && layer.getTooltip()]
                    .forEach(function (box) { if (box && box.isOpen()) { box.update(); } });
            });
        });
    }
    function styled() {
        // streamlit-folium adds the map's stylesheets without waiting for them to load.
        var links = [].slice.call(document.querySelectorAll('link[rel="stylesheet"]'));
        return Promise.all(links.map(function (link) {
            return link.sheet ? null : new Promise(function (done) {
                link.addEventListener("load", done);
                link.addEventListener("error", done);
            });
        }));
    }
    function loading(data) {
        return el("div", "innomap-popup innomap-loading",
                  data.failed ? data.labels.unavailable : data.labels.loading);
    }
    function label(data, p) {
        // What a screen reader says for a marker: the city, its role and its region.
        var texts = data.texts;
        return [texts[p[5]], texts[p[7]], texts[p[6]]].filter(Boolean).join(", ");
    }
    function name(group, data) {
        // Name every marker once its texts are there (the texts file comes after the markers).
        group.eachLayer(function (layer) {
            var box = layer.getElement && layer.getElement(), p = layer.innomapPlace;
            if (box && p) { box.setAttribute("aria-label", label(data, p)); }
        });
    }
    // City names: permanent labels placed by a small greedy declutterer. Their pane takes no
    // pointer events (a click or hover aimed at a marker always reaches it) and is hidden from
    // screen readers (each marker's aria-label names its city already).
    // Directions from a marker in degrees (clockwise from east, y down), best first.
    var ANGLES = [0, -30, 30, 180, -150, 150, -90, 90, -60, 60, -120, 120];
    // Gaps from the marker's edge in px: beside it, then farther out with a leader line.
    var GAPS = [2, 10, 20, 32, 46, 62, 80, 100, 120];
    // Names for a thousand places would be a carpet: above this, tooltips and the table name them.
    var LABEL_LIMIT = 200;
    function labels(map, group, data) {
        var pane = map.getPane("innomapLabels");
        if (!pane) {
            pane = map.createPane("innomapLabels");
            pane.classList.add("leaflet-zoom-hide");  // hidden while a zoom animates
            pane.setAttribute("aria-hidden", "true");
            map.on("moveend resize", function () { place(map); });
        }
        pane.textContent = "";
        state.names = [];
        if (!data.texts || data.canvas || data.places.length > LABEL_LIMIT) { return; }
        group.eachLayer(function (marker) {
            var p = marker.innomapPlace;
            if (!p) { return; }
            var text = el("span", "innomap-label innomap-label--" + p[0], data.texts[p[5]]);
            var line = el("i", "innomap-leader innomap-leader--" + p[0]);
            pane.appendChild(line);
            pane.appendChild(text);
            state.names.push({marker: marker, lead: p[3] !== 1, text: text, line: line});
        });
        place(map);
    }
    function place(map) {
        var names = state.names || [], size = map.getSize(), controls = obstacles(map);
        // Measured each time (all shown, then all read: one layout): a frame that was hidden
        // or had no width when the names came measured nothing.
        names.forEach(function (n) { n.text.hidden = false; });
        names.forEach(function (n) {
            n.w = n.text.offsetWidth;
            n.h = n.text.offsetHeight;
            n.c = map.latLngToContainerPoint(n.marker.getLatLng());
            n.r = n.marker.options.radius + n.marker.options.weight / 2;
        });
        names.forEach(function (n) { n.spots = spots(n, names, size, controls); });
        // Those with the least room first. Where that leaves an ecosystem city unnamed (a
        // phone), ecosystem cities first: a partner town's name gives way until a zoom.
        var tight = function (a, b) { return a.spots.length - b.spots.length; };
        var once = arrange(names, tight), again = once.all && arrange(names, function (a, b) {
            return (b.lead - a.lead) || tight(a, b);
        });
        if (again && (again.leads > once.leads ||
                      (again.leads === once.leads && again.all >= once.all))) {
            arrange(names, tight);  // the second order did no better: back to the first
        }
        names.forEach(function (n) {
            n.text.hidden = !n.spot;
            n.line.hidden = !(n.spot && n.spot.line);
            if (n.spot) { put(n.text, map, n.spot.box.x, n.spot.box.y); }
            if (n.spot && n.spot.line) { leader(n.line, map, n.spot.line); }
        });
    }
    function arrange(names, order) {
        // Place the names greedily in this order; count those left out (and the leads).
        var placed = [], missing = {all: 0, leads: 0};
        names.slice().sort(order).forEach(function (n) {
            n.spot = first(n, placed) || eject(n, placed);
            if (n.spot) { placed.push(n); } else { missing.all++; missing.leads += n.lead; }
        });
        return missing;
    }
    function first(n, placed) {
        // The cheapest spot clashing with no placed name.
        return n.spots.find(function (s) {
            return !placed.some(function (o) { return clash(s, o.spot); });
        });
    }
    function eject(n, placed) {
        // A spot blocked by one or two placed names that can move elsewhere: move them.
        var found = null;
        n.spots.some(function (s) {
            var in_way = placed.filter(function (o) { return clash(s, o.spot); });
            var kept = [{spot: s}].concat(placed.filter(function (o) {
                return in_way.indexOf(o) < 0;
            }));
            var moves = in_way.length > 2 ? [null] : in_way.map(function (other) {
                var t = other.spots.find(function (t) {
                    return !kept.some(function (o) { return clash(t, o.spot); });
                });
                if (t) { kept.push({spot: t}); }
                return t;
            });
            if (moves.every(Boolean)) {
                in_way.forEach(function (o, i) { o.spot = moves[i]; });
                found = s;
            }
            return !!found;
        });
        return found;
    }
    function clash(a, b) {
        return overlap(a.box, b.box) || !!(a.line && crosses(a.line, b.box)) ||
            !!(b.line && crosses(b.line, a.box)) || !!(a.line && b.line && cut(a.line, b.line));
    }
    function cut(a, b) {
        // Whether two leader lines cross: each one's ends lie on either side of the other.
        function side(l, x, y) {
            return Math.sign((l[2] - l[0]) * (y - l[1]) - (l[3] - l[1]) * (x - l[0]));
        }
        return side(a, b[0], b[1]) * side(a, b[2], b[3]) < 0 &&
            side(b, a[0], a[1]) * side(b, a[2], a[3]) < 0;
    }
    function obstacles(map) {
        // Leaflet's controls (zoom, layers, legend, scale, credits) in container pixels.
        var box = map.getContainer(), at = box.getBoundingClientRect();
        return [].map.call(box.querySelectorAll(".leaflet-control"), function (c) {
            var r = c.getBoundingClientRect();
            return {x: r.left - at.left, y: r.top - at.top, w: r.width, h: r.height};
        });
    }
    function spots(n, names, size, controls) {
        // Every candidate clear of the markers and controls and inside the map, cheapest
        // first: its distance, its direction's rank, 12 px for each other marker near it
        // (whose name needs that room), 100 for a leader over a marker overlapping its own.
        var found = [];
        GAPS.forEach(function (gap, g) {
            ANGLES.forEach(function (angle, a) {
                var rad = angle * Math.PI / 180, dx = Math.cos(rad), dy = Math.sin(rad);
                var d = n.r + gap, ax = n.c.x + dx * d, ay = n.c.y + dy * d;
                // The box touches the anchor with its near side or corner: scaled so that the
                // larger component is 1, (dx, dy) slides it around the anchor.
                var m = Math.max(Math.abs(dx), Math.abs(dy));
                var box = {x: ax - n.w * (1 - dx / m) / 2, y: ay - n.h * (1 - dy / m) / 2,
                           w: n.w, h: n.h};
                var line = g ? [n.c.x + dx * n.r, n.c.y + dy * n.r, ax, ay] : null;
                var cost = gap + a, ok = box.x >= 2 && box.y >= 2 &&
                    box.x + box.w <= size.x - 2 && box.y + box.h <= size.y - 2 &&
                    !controls.some(function (c) { return overlap(box, c) ||
                                                         (line && crosses(line, c)); });
                names.forEach(function (o) {
                    var hit = line && o !== n && crosses(line, o.c, o.r + 1);
                    if (near(o.c, box, o.r + 1) || (hit && o.c.distanceTo(n.c) > o.r + n.r)) {
                        ok = false;
                    }
                    cost += (hit ? 100 : 0) + (o !== n && near(o.c, box, 24) ? 12 : 0);
                });
                if (ok) { found.push({box: box, line: line, cost: cost}); }
            });
        });
        return found.sort(function (a, b) { return a.cost - b.cost; });
    }
    function near(point, box, distance) {
        var x = Math.max(box.x - point.x, 0, point.x - box.x - box.w);
        var y = Math.max(box.y - point.y, 0, point.y - box.y - box.h);
        return x * x + y * y < distance * distance;
    }
    function overlap(a, b) {
        return a.x < b.x + b.w + 1 && b.x < a.x + a.w + 1 && a.y < b.y + b.h + 1 &&
            b.y < a.y + a.h + 1;
    }
    function crosses(line, box, radius) {
        // Points every 2 px along the line, inside a box, or within radius of a point (box).
        var steps = Math.ceil(Math.hypot(line[2] - line[0], line[3] - line[1]) / 2);
        for (var i = 1; i <= steps; i++) {
            var x = line[0] + (line[2] - line[0]) * i / steps;
            var y = line[1] + (line[3] - line[1]) * i / steps;
            if (radius ? Math.hypot(x - box.x, y - box.y) < radius : x > box.x &&
                    x < box.x + box.w && y > box.y && y < box.y + box.h) { return true; }
        }
        return false;
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
    function activate(marker) {
        // What a click does: streamlit-folium hears it through the group (propagate), Leaflet
        // opens the popup; after the rerun the new marker of this city takes the focus back.
        state.refocus = {id: marker.innomapPlace[0], until: Date.now() + 10000};
        marker.fire("click", {latlng: marker.getLatLng()}, true);
    }
    function keyboard(marker, p, data) {
        // A focusable, named button for each marker drawn as SVG (canvas markers, for very
        // large data sets, have no element: the table and matrix tabs list the same places).
        marker.innomapPlace = p;
        var box = marker.getElement && marker.getElement();
        if (!box) { return; }
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "button");
        box.setAttribute("aria-label", data.texts ? label(data, p) : data.labels.loading);
        L.DomEvent.on(box, "keydown", function (e) {
            if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
                L.DomEvent.preventDefault(e);
                L.DomEvent.stopPropagation(e);
                activate(marker);
            } else if (e.key === "Escape" && marker.isPopupOpen()) {
                L.DomEvent.stopPropagation(e);
                marker.closePopup();
            }
        });
        var again = state.refocus;
        if (again && again.id === p[0] && Date.now() < again.until) {
            state.refocus = null;
            box.focus({preventScroll: true});
        }
    }
    function draw(map, group, data) {
        var renderer = data.canvas ? L.canvas({padding: 0.5}) : undefined, chosen = null;
        data.lines.forEach(function (l) {
            L.polyline([[l[0], l[1]], [l[2], l[3]]], {color: colour(l[4]), weight: 2,
                dashArray: "5 5", interactive: false, className: "innomap-partner-line"})
                .addTo(group);
        });
        // A chosen network: solid lines from its lead city to each member, under the markers.
        data.links.forEach(function (l) {
            L.polyline([[l[0], l[1]], [l[2], l[3]]], {color: config.network, weight: 3.5,
                opacity: 0.85, interactive: false,
                className: "innomap-network-link innomap-network-link--" + l[4] +
                    " innomap-network-link--to-" + l[5]}).addTo(group);
        });
        data.places.forEach(function (p) {
            var partner = p[3] === 1, c = colour(p[4]);
            var marker = L.circleMarker([p[1], p[2]], {
                renderer: renderer, radius: partner ? 6 : 9, weight: partner ? 3 : 1.5,
                color: partner ? c : "#ffffff", fillColor: partner ? "#ffffff" : c,
                fillOpacity: partner ? 1 : 0.9,
                className: "innomap-city innomap-city--" + p[0]
            });
            marker.feature = {type: "Feature", properties: {id: p[0]}};
            marker.bindTooltip(function () {
                return data.texts ? el("span", "", data.texts[p[5]]) : loading(data);
            });
            marker.bindPopup(function () {
                return data.texts ? popup(data, p) : loading(data);
            }, {maxWidth: 340, minWidth: 220});
            marker.addTo(group);
            keyboard(marker, p, data);
            if (p[0] === data.selected) { chosen = marker; }
        });
        if (data.texts) { name(group, data); }
        labels(map, group, data);
        window.innomapShown = data.places.map(function (p) { return p[0]; });
        var size = map.getSize();
        // The component iframe starts 0 px wide: framing then would zoom all the way out.
        if (size.x > 0 && size.y > 0) { frame(map, data, chosen); }
        else { map.once("resize", function () { frame(map, data, chosen); }); }
    }
    function regions(map, url, style) {
        fetch(url).then(function (r) {
            if (!r.ok) { throw new Error("regions: HTTP " + r.status); }
            return r.json();
        }).then(function (data) {
            L.geoJSON(data, {interactive: false, style: function (f) {
                var s = Object.assign({}, style);
                s.fillColor = config.colours[config.regions.indexOf(
                    f.properties.macro_region)] || config.other;
                return s;
            }}).addTo(map).bringToBack();
            window.innomapRegions = data.features.length;
        });
    }
    function legend(map, texts) {
        var div = L.DomUtil.create("div", "innomap-legend");
        div.appendChild(el("b", "", texts.title));
        texts.items.forEach(function (item) {
            // A dot (default), a hollow ring (partner town) or a line (dashed or solid).
            var kind = item.key || "dot", row = el("div");
            var key = el("i", "innomap-legend-" + kind);
            key.style[kind === "dot" ? "background" : "borderColor"] = item.colour;
            row.appendChild(key);
            row.appendChild(document.createTextNode(item.label));
            div.appendChild(row);
        });
        state.legend = div;
        var control = L.control({position: "bottomright"});
        control.onAdd = function () { return div; };
        control.addTo(map);
        // Leaflet's controls sit above its popups: step aside while a popup, or the marker it
        // belongs to (a chosen city is framed low, under the popup), needs the room.
        var open = null;
        function covers(node) {
            var a = node.getBoundingClientRect(), b = div.getBoundingClientRect();
            return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
        }
        function place() {
            var box = open && open.getElement(), source = open && open._source;
            var marker = source && source.getElement && source.getElement();
            var behind = !!box && (covers(box) || (!!marker && covers(marker)));
            div.classList.toggle("innomap-legend--behind", behind);
        }
        map.on("popupopen", function (e) { open = e.popup; place(); });
        map.on("popupclose", function (e) { if (open === e.popup) { open = null; } place(); });
        // A zoom ends with a moveend too.
        map.on("moveend resize", place);
    }
    function tiles(map, options) {
        // Off by default: the map is complete without them, and many networks block them.
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
    function controls(map) {
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
            // Streamlit's page always says lang="en": the map (same origin) corrects it.
            try { window.parent.document.documentElement.lang = config.lang; } catch (e) { }
        }
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", config.texts.label || "");
        if (box.parentNode.tagName === "MAIN") { return; }
        var main = el("main", "innomap-frame");
        box.parentNode.insertBefore(main, box);
        main.appendChild(el("h1", "innomap-sr", config.texts.heading || ""));
        main.appendChild(box);
    }
    function escape(map) {
        // Escape anywhere in the map (a marker, the popup's close button) closes the popup
        // and gives the focus back to the marker it belongs to.
        L.DomEvent.on(map.getContainer(), "keydown", function (e) {
            var open = map._popup;
            if (e.key !== "Escape" || !open || !map.hasLayer(open)) { return; }
            var source = open._source, box = source && source.getElement && source.getElement();
            map.closePopup();
            if (box) { box.focus({preventScroll: true}); }
        });
        map.on("popupopen", function (e) {
            var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
            if (close) {
                close.setAttribute("aria-label", config.texts.close || "Close");
                close.setAttribute("title", config.texts.close || "Close");
                close.setAttribute("role", "button");
            }
        });
    }
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
    function setup(map, options) {
        // Everything about the map but the cities, once per page and language.
        Object.assign(config, options);
        landmark(map);
        printable(map);
        controls(map);
        escape(map);
        L.control.scale().addTo(map);
        regions(map, options.regionsUrl, options.regionStyle);
        if (options.tiles) { tiles(map, options.tiles); }
        legend(map, options.legend);
        map.fitBounds(options.bounds, fitting(map.getMaxZoom()));
    }
    return {setup: setup, show: show};
})();
