/* innomap's page script (not part of the map's runtime; on every tab and the data-error page):
   Streamlit's own English texts in the page's language, and the page's lang attribute.

   Streamlit (1.67) has no setting for the language of its own controls: the skip link, the
   sidebar's buttons, the drop-down lists' "Open", "No results", "Clear all", the search box's
   "Press Enter to apply", the copy button, the tables' and chart's toolbars. ui/sections.py
   puts this file on the page with a table for the language (i18n.streamlit_texts: each exact
   English text Streamlit writes → the page's words), and this script replaces exactly those
   texts, as whole text nodes or whole aria-label, title, placeholder and aria-roledescription
   values, now and whenever Streamlit writes them again (a MutationObserver). A text that
   differs by one character is left alone: after an upgrade that renames one,
   tests/browser/test_browser_texts.py fails by naming it. Never touched: innomap's own texts
   and the data (Markdown, HTML, code, widget labels, options, chosen values, headings, tables,
   the chart's texts, frames). A replacement is never itself a key of the table
   (i18n.streamlit_texts checks), so nothing is translated twice and nothing loops. */
"use strict";
(function () {
    var ATTRIBUTES = ["aria-label", "title", "placeholder", "aria-roledescription"];
    // Where innomap's texts and the data live: Streamlit's texts are never inside these.
    var OWN = ["[data-testid=stMarkdownContainer]", "[data-testid=stHtml]", "pre", "code",
               "[role=option]", "[data-tag]", "[data-testid=stWidgetLabel]", "[role=tab]",
               "[data-testid=stHeading]", "[data-testid=stCaptionContainer]",
               "[data-testid=stTooltipContent]", "table", "text", "iframe"].join(", ");
    // Streamlit's "No results" is an option of an empty list: no data is there.
    var EMPTY = "[role=listbox][data-empty=true] > [role=option]";
    // A text with a slot, e.g. "Remove {label}": a button's aria-label or a text node.
    var SLOT = "{label}";

    function own(element) {
        return !element || (!element.closest(EMPTY) && Boolean(element.closest(OWN)));
    }

    var slotsOf = new WeakMap();  // table → its texts with a slot, split once

    function slotted(value, table) {
        // The table's texts with a slot that value fills, in the language; else null.
        if (!slotsOf.has(table)) {
            slotsOf.set(table, Object.keys(table).filter(function (key) {
                return key.split(SLOT).length === 2;
            }).map(function (key) { return {around: key.split(SLOT), words: table[key]}; }));
        }
        var slots = slotsOf.get(table);
        for (var i = 0; i < slots.length; i++) {
            var before = slots[i].around[0], after = slots[i].around[1];
            if (value.length > before.length + after.length && value.startsWith(before) &&
                    value.endsWith(after)) {
                var label = value.slice(before.length, value.length - after.length);
                return slots[i].words.split(SLOT).join(label);
            }
        }
        return null;
    }

    function translateElement(element, table) {
        // An element's attributes that are exactly a known text, outside innomap's texts; a
        // button's aria-label with a slot anywhere (it names a value: "Remove {label}").
        var mine = !own(element);
        ATTRIBUTES.forEach(function (name) {
            var value = element.getAttribute(name), words = null;
            if (value === null) { return; }
            if (mine && Object.prototype.hasOwnProperty.call(table, value)) {
                words = table[value];
            } else if (name === "aria-label" && element.tagName === "BUTTON") {
                words = slotted(value, table);
            }
            if (words !== null) { element.setAttribute(name, words); }
        });
    }

    function translateText(node, table) {
        // A text node that is exactly a known text (spaces around it kept).
        // A text with a slot (react-aria's "{label} options available.") fills it.
        var value = node.nodeValue, trimmed = value.trim();
        if (!trimmed || own(node.parentElement)) { return; }
        var words = Object.prototype.hasOwnProperty.call(table, trimmed) ? table[trimmed]
            : slotted(trimmed, table);
        if (words !== null) { node.nodeValue = value.replace(trimmed, words); }
    }

    function translate(root, table) {
        // Every known text in and under root (an element, a text node or a document).
        if (root.nodeType === 3) { translateText(root, table); return; }
        var doc = root.ownerDocument || root, top = root.nodeType === 9 ? root.body : root;
        if (!top) { return; }
        if (top.nodeType === 1) { translateElement(top, table); }
        var walker = doc.createTreeWalker(top, 5 /* elements and texts */);
        for (var node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.nodeType === 3) { translateText(node, table); }
            else { translateElement(node, table); }
        }
    }

    function observe(doc, table) {
        // Translate now and every later change; return the page's translator.
        var view = doc.defaultView, current = {table: table};
        var observer = new view.MutationObserver(function (changes) {
            changes.forEach(function (change) {
                if (change.type === "childList") {
                    change.addedNodes.forEach(function (node) { translate(node, current.table); });
                } else if (change.type === "characterData") {
                    translateText(change.target, current.table);
                } else {
                    translateElement(change.target, current.table);
                }
            });
        });
        observer.observe(doc.documentElement, {subtree: true, childList: true,
                                               characterData: true, attributes: true,
                                               attributeFilter: ATTRIBUTES});
        translate(doc, table);
        return {
            use: function (next) { current.table = next; translate(doc, next); },
            stop: function () { observer.disconnect(); }
        };
    }

    function start(script) {
        // Run from the page's <script> (ui/sections.py): its data-lang and data-texts.
        var doc = script.ownerDocument, view = doc.defaultView;
        var table = JSON.parse(script.getAttribute("data-texts") || "{}");
        doc.documentElement.lang = script.getAttribute("data-lang") || doc.documentElement.lang;
        // One translator per page: a rerun in another language hands it the new table.
        if (view.innomapPageTexts) { view.innomapPageTexts.use(table); }
        else { view.innomapPageTexts = observe(doc, table); }
        return view.innomapPageTexts;
    }

    var api = {translate: translate, observe: observe, start: start};
    if (typeof module === "object" && module.exports) { module.exports = api; }
    else if (document.currentScript) { start(document.currentScript); }
})();
