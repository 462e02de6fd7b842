/* innomap's browser runtime: where the city names go. Pure: numbers in, boxes out.

   A small greedy declutterer. Each name gets a box beside its marker or, where cities
   crowd, farther out with a leader line; no two names overlap, no name covers a marker or a
   control (legend, zoom, scale, credits), and every one stays inside the map. All in
   container pixels: no DOM, no Leaflet (labelpane.js measures and puts them). */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("labels", function () {
    // Directions from a marker in degrees (clockwise from east, y down), best first.
    var ANGLES = [0, -30, 30, 180, -150, 150, -90, 90, -60, 60, -120, 120];
    // Gaps from the marker's edge in px: beside it, then farther out with a leader line.
    var GAPS = [2, 10, 20, 32, 46, 62, 80, 100, 120];

    function place(items, size, controls) {
        // Items: {c: {x, y} the marker's centre, r: its radius to the stroke's outer edge,
        // w, h: the name's size, lead: an ecosystem city}; size: the map's {x, y}; controls:
        // boxes {x, y, w, h}. Returns a spot per item, {box, line: [x0, y0, x1, y1] or null,
        // cost}, or null where the name does not fit.
        var names = items.map(function (it) {
            return {c: it.c, r: it.r, w: it.w, h: it.h, lead: it.lead, spots: [], spot: null};
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
        return names.map(function (n) { return n.spot || null; });
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
            var inWay = placed.filter(function (o) { return clash(s, o.spot); });
            var kept = [{spot: s}].concat(placed.filter(function (o) {
                return inWay.indexOf(o) < 0;
            }));
            var moves = inWay.length > 2 ? [null] : inWay.map(function (other) {
                var t = other.spots.find(function (u) {
                    return !kept.some(function (o) { return clash(u, o.spot); });
                });
                if (t) { kept.push({spot: t}); }
                return t;
            });
            if (moves.every(Boolean)) {
                inWay.forEach(function (o, i) { o.spot = moves[i]; });
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
                    if (near(o.c, box, o.r + 1) || (hit && distance(o.c, n.c) > o.r + n.r)) {
                        ok = false;
                    }
                    cost += (hit ? 100 : 0) + (o !== n && near(o.c, box, 24) ? 12 : 0);
                });
                if (ok) { found.push({box: box, line: line, cost: cost}); }
            });
        });
        return found.sort(function (a, b) { return a.cost - b.cost; });
    }
    function distance(a, b) {
        // As Leaflet's Point.distanceTo.
        var x = b.x - a.x, y = b.y - a.y;
        return Math.sqrt(x * x + y * y);
    }
    function near(point, box, within) {
        var x = Math.max(box.x - point.x, 0, point.x - box.x - box.w);
        var y = Math.max(box.y - point.y, 0, point.y - box.y - box.h);
        return x * x + y * y < within * within;
    }
    function overlap(a, b) {
        // Boxes closer than 1 px count as overlapping.
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
    return {place: place, overlap: overlap, crosses: crosses, cut: cut, near: near};
}, typeof module === "object" ? module : null);
