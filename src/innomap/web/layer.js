/* innomap's browser runtime: the cities of a rerun. Draws the places from the payload (the
   markers at once, their texts when the texts file arrives), the partner lines and a chosen
   network's links; and the region polygons under them, once per map. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("layer", function (need) {
    var shared = need("state"), config = shared.config, state = shared.state;
    var wire = need("wire"), popup = need("popup"), labelpane = need("labelpane");
    var framing = need("framing"), keyboard = need("keyboard");
    function colour(region) {
        return region >= 0 ? config.colours[region] : config.other;
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
    function show(map, group, payload) {
        // A rerun's layer: mapview.city_payload's places, lines and links, with their texts
        // (`catalogue`) or the URL of the file that has them.
        var data = wire.decode(config.wire, payload);
        var turn = state.turn = state.turn + 1;
        framing.watch(map);
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
            if (turn === state.turn) { name(group, data); labelpane.show(map, group, data); }
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
    function name(group, data) {
        // Name every marker once its texts are there (the texts file comes after the markers).
        group.eachLayer(function (layer) {
            var box = layer.getElement && layer.getElement(), place = layer.innomapPlace;
            if (box && place) { box.setAttribute("aria-label", popup.label(data, place)); }
        });
    }
    function draw(map, group, data) {
        var renderer = data.canvas ? L.canvas({padding: 0.5}) : undefined, chosen = null;
        data.lines.forEach(function (line) {
            L.polyline([[line.lat, line.lon], [line.leadLat, line.leadLon]], {
                color: colour(line.region), weight: 2, dashArray: "5 5", interactive: false,
                className: "innomap-partner-line"}).addTo(group);
        });
        // A chosen network: solid lines from its lead city to each member, under the markers.
        data.links.forEach(function (link) {
            L.polyline([[link.leadLat, link.leadLon], [link.memberLat, link.memberLon]], {
                color: config.network, weight: 3.5, opacity: 0.85, interactive: false,
                className: "innomap-network-link innomap-network-link--" + link.network +
                    " innomap-network-link--to-" + link.member}).addTo(group);
        });
        data.places.forEach(function (place) {
            var partner = place.partner === 1, c = colour(place.region);
            var marker = L.circleMarker([place.lat, place.lon], {
                renderer: renderer, radius: partner ? 6 : 9, weight: partner ? 3 : 1.5,
                color: partner ? c : "#ffffff", fillColor: partner ? "#ffffff" : c,
                fillOpacity: partner ? 1 : 0.9,
                className: "innomap-city innomap-city--" + place.id
            });
            marker.feature = {type: "Feature", properties: {id: place.id}};
            marker.bindTooltip(function () { return popup.tooltip(data, place); });
            marker.bindPopup(function () { return popup.content(data, place); },
                             {maxWidth: 340, minWidth: 220});
            marker.addTo(group);
            marker.innomapPlace = place;
            keyboard.attach(marker, data);
            if (place.id === data.selected) { chosen = marker; }
        });
        if (data.texts) { name(group, data); }
        labelpane.show(map, group, data);
        window.innomapShown = data.places.map(function (place) { return place.id; });
        framing.show(map, data, chosen);
    }
    function regions(map, url, style) {
        // The region polygons under everything, coloured by macro-region (style: Leaflet path
        // options). window.innomapRegions counts them for the tests.
        fetch(url).then(function (r) {
            if (!r.ok) { throw new Error("regions: HTTP " + r.status); }
            return r.json();
        }).then(function (geojson) {
            L.geoJSON(geojson, {interactive: false, style: function (f) {
                var s = Object.assign({}, style);
                s.fillColor = config.colours[config.regions.indexOf(
                    f.properties.macro_region)] || config.other;
                return s;
            }}).addTo(map).bringToBack();
            window.innomapRegions = geojson.features.length;
        });
    }
    return {show: show, regions: regions};
}, typeof module === "object" ? module : null);
