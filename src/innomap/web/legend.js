/* innomap's browser runtime: the legend in the bottom-right corner, which steps aside while
   a popup needs its room. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("legend", function (need) {
    var el = need("dom").el, state = need("state").state;
    function covers(a, b) {
        // Whether two client rectangles overlap.
        return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
    }
    function add(map, texts) {
        // texts: the title, and items {colour, label, key: dot (default), ring, dashed, solid}.
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
        function under(node) {
            return covers(node.getBoundingClientRect(), div.getBoundingClientRect());
        }
        function step() {
            var box = open && open.getElement(), source = open && open._source;
            var marker = source && source.getElement && source.getElement();
            var behind = !!box && (under(box) || (!!marker && under(marker)));
            div.classList.toggle("innomap-legend--behind", behind);
        }
        map.on("popupopen", function (e) { open = e.popup; step(); });
        map.on("popupclose", function (e) { if (open === e.popup) { open = null; } step(); });
        // A zoom ends with a moveend too.
        map.on("moveend resize", step);
    }
    return {covers: covers, add: add};
}, typeof module === "object" ? module : null);
