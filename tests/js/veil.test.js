// The frame's veil (web/veil.js): the map's document stays hidden until every stylesheet has
// loaded or failed, and no longer than the veil's patience.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const veil = require("../../src/innomap/web/veil.js");

function link(loaded) {
    // A <link rel="stylesheet">: its sheet is null until it has loaded; fire() dispatches.
    const listeners = {};
    return {sheet: loaded ? {} : null,
            addEventListener(type, run, options) {
                assert.deepEqual(options, {once: true});
                listeners[type] = run;
            },
            fire(type) { listeners[type](); }};
}

function page(links) {
    return {documentElement: {style: {visibility: ""}},
            querySelectorAll(selector) {
                assert.equal(selector, 'link[rel="stylesheet"]');
                return links;
            }};
}

function clock() {
    // Timers the test runs by hand: set() records, clear() forgets.
    const timers = new Map();
    let next = 1;
    return {timers,
            set(run, ms) { timers.set(next, [run, ms]); return next++; },
            clear(id) { timers.delete(id); }};
}

test("hide() hides the document", () => {
    const doc = page([]);
    veil.hide(doc);
    assert.equal(doc.documentElement.style.visibility, "hidden");
});

test("with every stylesheet loaded, lift() shows the document at once and sets no timer", () => {
    const doc = page([link(true), link(true)]), timers = clock();
    veil.hide(doc);
    veil.lift(doc, timers);
    assert.equal(doc.documentElement.style.visibility, "");
    assert.equal(timers.timers.size, 0);
});

test("the document shows when the last pending stylesheet has loaded or failed", () => {
    const leaflet = link(false), ours = link(false), timers = clock();
    const doc = page([link(true), leaflet, ours]);
    veil.hide(doc);
    veil.lift(doc, timers);
    assert.deepEqual(veil.pending(doc), [leaflet, ours]);
    leaflet.fire("load");
    assert.equal(doc.documentElement.style.visibility, "hidden");
    ours.fire("error");
    assert.equal(doc.documentElement.style.visibility, "");
    assert.equal(timers.timers.size, 0, "the patience timer is cleared once shown");
});

test("a stylesheet that never settles holds the map back for PATIENCE_MS only", () => {
    const stalled = link(false), timers = clock(), doc = page([stalled]);
    veil.hide(doc);
    veil.lift(doc, timers);
    const [[run, ms]] = [...timers.timers.values()];
    assert.equal(ms, veil.PATIENCE_MS);
    assert.equal(doc.documentElement.style.visibility, "hidden");
    run();
    assert.equal(doc.documentElement.style.visibility, "");
});
