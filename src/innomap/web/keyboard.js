/* innomap's browser runtime: the map by keyboard. Each SVG marker is a focusable, named
   button (Enter or Space activates it, Escape closes its popup); after the rerun a click
   causes, the new marker of the same city takes the focus back.

   The key → action mapping and the refocus decision are pure (tests/js/keyboard.test.js). */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("keyboard", function (need) {
    var shared = need("state"), config = shared.config, state = shared.state;
    var popup = need("popup");
    // How long after an activation the city's new marker may take the focus, in ms.
    var REFOCUS_MS = 10000;

    function action(key, popupOpen) {
        // "activate" a marker (as a click), "close" its open popup, or nothing (null).
        // "Spacebar" is the key's name in old browsers.
        if (key === "Enter" || key === " " || key === "Spacebar") { return "activate"; }
        if (key === "Escape" && popupOpen) { return "close"; }
        return null;
    }
    function refocusing(refocus, id, now) {
        // Whether a new marker for city `id` takes the focus back.
        return !!refocus && refocus.id === id && now < refocus.until;
    }
    function activate(marker) {
        // What a click does: streamlit-folium hears it through the group (propagate), Leaflet
        // opens the popup; after the rerun the new marker of this city takes the focus back.
        state.refocus = {id: marker.innomapPlace.id, until: Date.now() + REFOCUS_MS};
        marker.fire("click", {latlng: marker.getLatLng()}, true);
    }
    function attach(marker, data) {
        // A focusable, named button for each marker drawn as SVG (canvas markers, for very
        // large data sets, have no element: the table and matrix tabs list the same places).
        var place = marker.innomapPlace;
        var box = marker.getElement && marker.getElement();
        if (!box) { return; }
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "button");
        box.setAttribute("aria-label", data.texts ? popup.label(data, place) : data.labels.loading);
        L.DomEvent.on(box, "keydown", function (e) {
            var todo = action(e.key, marker.isPopupOpen());
            if (todo === "activate") {
                L.DomEvent.preventDefault(e);
                L.DomEvent.stopPropagation(e);
                activate(marker);
            } else if (todo === "close") {
                L.DomEvent.stopPropagation(e);
                marker.closePopup();
            }
        });
        if (refocusing(state.refocus, place.id, Date.now())) {
            state.refocus = null;
            box.focus({preventScroll: true});
        }
    }
    function escape(map) {
        // Escape anywhere in the map (a marker, the popup's close button) closes the popup
        // and gives the focus back to the marker it belongs to.
        L.DomEvent.on(map.getContainer(), "keydown", function (e) {
            var open = map._popup;
            if (action(e.key, !!open && map.hasLayer(open)) !== "close") { return; }
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
    return {action: action, refocusing: refocusing, attach: attach, escape: escape};
}, typeof module === "object" ? module : null);
