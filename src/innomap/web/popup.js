/* innomap's browser runtime: what a marker says: its popup, tooltip and accessible name.

   Built from the texts file with textContent (dom.el): no text from the data is ever parsed
   as HTML. */
"use strict";
(typeof module === "object" ? require("./part.js") : window.innomapPart)("popup", function (need) {
    var el = need("dom").el;
    // The popup's facts after the focus areas: the label's key and the place's field.
    var FACTS = [["region", "area"], ["role", "role"], ["agreement", "agreement"],
                 ["networks", "networks"], ["body", "body"]];
    function popup(data, place) {
        var texts = data.texts, words = data.labels;
        var root = el("div", "innomap-popup");
        root.setAttribute("data-city", place.id);
        root.appendChild(el("h2", "", texts[place.name]));
        var prio = el("p", "innomap-priorities");
        prio.appendChild(el("b", "", words.priorities + ": "));
        prio.appendChild(document.createTextNode(texts[place.priorities]));
        root.appendChild(prio);
        var chips = el("div", "innomap-chips");
        data.sets[place.focus].forEach(function (i) {
            chips.appendChild(el("span", "innomap-chip", texts[i]));
        });
        root.appendChild(chips);
        var facts = el("dl");
        FACTS.forEach(function (f) {
            var text = texts[place[f[1]]];
            if (!text) { return; }
            facts.appendChild(el("dt", "", words[f[0]]));
            facts.appendChild(el("dd", "", text));
        });
        root.appendChild(facts);
        return root;
    }
    function loading(data) {
        return el("div", "innomap-popup innomap-loading",
                  data.failed ? data.labels.unavailable : data.labels.loading);
    }
    function tooltip(data, place) {
        return data.texts ? el("span", "", data.texts[place.name]) : loading(data);
    }
    function content(data, place) {
        return data.texts ? popup(data, place) : loading(data);
    }
    function label(data, place) {
        // What a screen reader says for a marker: the city, its role and its region.
        var texts = data.texts;
        return [texts[place.name], texts[place.role], texts[place.area]].filter(Boolean)
            .join(", ");
    }
    return {content: content, tooltip: tooltip, label: label};
}, typeof module === "object" ? module : null);
