/* What a reader gets from a page, for tests/browser/test_browser_texts.py (run in the browser,
   in the page and in each same-origin frame): every shown text node, and every element's
   accessible name and hints (aria-label, the texts aria-labelledby points to, title,
   placeholder, aria-roledescription, alt), skipping what is hidden from everyone
   (aria-hidden, hidden, display: none, visibility: hidden). Each item: {kind, text, where (the nearest data-testid), lang
   (the language it is marked with: the nearest lang attribute)}. */
"use strict";
/* global document, NodeFilter, getComputedStyle */
module.exports = function scan() {
    var ATTRIBUTES = ["aria-label", "title", "placeholder", "aria-roledescription", "alt"];
    var items = [];
    function shown(element) {
        // A canvas's fallback content (the tables' accessible grid) is read, never drawn; an
        // element with display: contents has no box of its own but is read too.
        var canvas = element.closest("canvas");
        if (canvas && canvas !== element) { return shown(canvas); }
        if (element.closest("[aria-hidden=true], [hidden], noscript, script, style, template")) {
            return false;
        }
        var box = element;
        while (box.parentElement && getComputedStyle(box).display === "contents") {
            box = box.parentElement;
        }
        return box.checkVisibility({visibilityProperty: true});
    }
    function add(kind, text, element) {
        var value = (text || "").replace(/\s+/g, " ").trim();
        if (!value) { return; }
        var box = element.closest("[data-testid]"), marked = element.closest("[lang]");
        items.push({kind: kind, text: value,
                    where: box ? box.getAttribute("data-testid") : element.tagName,
                    lang: marked ? marked.getAttribute("lang") : ""});
    }
    function walk(doc) {
        var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
        for (var node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement && shown(node.parentElement)) {
                add("text", node.nodeValue, node.parentElement);
            }
        }
        doc.querySelectorAll("*").forEach(function (element) {
            if (!shown(element)) { return; }
            ATTRIBUTES.forEach(function (name) {
                if (element.hasAttribute(name)) { add(name, element.getAttribute(name), element); }
            });
            var ids = (element.getAttribute("aria-labelledby") || "").split(/\s+/);
            ids.forEach(function (id) {
                var label = id && doc.getElementById(id);
                if (label) { add("aria-labelledby", label.textContent, element); }
            });
        });
        doc.querySelectorAll("iframe").forEach(function (frame) {
            var inner = null;
            try { inner = frame.contentDocument; } catch { inner = null; }
            if (inner && inner.body) { walk(inner); }
        });
    }
    walk(document);
    return items;
};
