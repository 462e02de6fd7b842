// Label placement (web/labels.js) with the 20 shipped cities at a phone's and a wide
// screen's width: no overlaps, every name tied to its marker, the controls left clear.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const labels = require("../../src/innomap/web/labels.js");
const {layout} = require("./finland.js");

// A name placed beside its marker touches its disc within this many px (tests/
// test_browser_labels.py allows the same).
const BESIDE_PX = 4;

function intersect(a, b) {
    // Whether two boxes overlap (touching edges do not).
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function gap(disc, box) {
    // The distance from a disc {c, r} to a box (negative: the box covers its centre).
    const dx = Math.max(box.x - disc.c.x, 0, disc.c.x - box.x - box.w);
    const dy = Math.max(box.y - disc.c.y, 0, disc.c.y - box.y - box.h);
    return Math.hypot(dx, dy) - disc.r;
}

function placed(width, lang) {
    const map = layout(width, lang);
    const spots = labels.place(map.items, map.size, map.controls);
    return {map, spots, shown: map.items.map((item, i) => ({item, spot: spots[i]}))
        .filter((s) => s.spot)};
}

function problems({map, shown}) {
    // Every overlap, covered marker, name outside the map or over a control, and every name
    // not tied to its marker (beside it, or at the end of a leader from its disc's edge).
    const found = [];
    shown.forEach((a, i) => shown.slice(i + 1).forEach((b) => {
        if (intersect(a.spot.box, b.spot.box)) { found.push(`${a.item.id} overlaps ${b.item.id}`); }
    }));
    shown.forEach(({item, spot}) => {
        const box = spot.box;
        map.items.forEach((other) => {
            if (other !== item && gap(other, box) < 0) {
                found.push(`${item.id}'s name covers ${other.id}'s marker`);
            }
        });
        if (box.x < 0 || box.y < 0 || box.x + box.w > map.size.x || box.y + box.h > map.size.y) {
            found.push(`${item.id}'s name is outside the map`);
        }
        map.controls.forEach((control, c) => {
            if (intersect(box, control)) { found.push(`${item.id}'s name is over control ${c}`); }
            if (spot.line && labels.crosses(spot.line, control)) {
                found.push(`${item.id}'s leader crosses control ${c}`);
            }
        });
        if (!spot.line) {
            if (gap(item, box) > BESIDE_PX) { found.push(`${item.id}'s name is off its marker`); }
        } else {
            const [x0, y0, x1, y1] = spot.line;
            const start = Math.hypot(x0 - item.c.x, y0 - item.c.y) - item.r;
            const end = gap({c: {x: x1, y: y1}, r: 0}, box);
            if (Math.abs(start) > 0.5 || end > 1) {
                found.push(`${item.id}'s leader does not join marker and name`);
            }
        }
    });
    return found;
}

for (const width of [390, 1400]) {
    test(`at ${width} px no name overlaps, covers a marker or a control, or leaves the map`,
         () => {
             assert.deepEqual(problems(placed(width, "en")), []);
         });
}

test("at 1,400 px every city is named, in each language", () => {
    for (const lang of ["fi", "sv", "en"]) {
        const result = placed(1400, lang);
        assert.deepEqual(problems(result), [], lang);
        assert.equal(result.shown.length, 20, lang);
    }
});

test("on a phone every ecosystem city is named (a partner town's name gives way)", () => {
    const result = placed(390, "en");
    const unnamed = result.map.items.filter((item, i) => item.lead && !result.spots[i]);
    assert.deepEqual(unnamed.map((item) => item.id), []);
});

test("the capital region's crowded names are tied to their markers by leader lines", () => {
    const result = placed(1400, "en");
    const capital = result.shown.filter((s) => ["helsinki", "espoo", "vantaa"]
        .includes(s.item.id));
    assert.equal(capital.length, 3);
    assert.ok(capital.some((s) => s.spot.line), "three markers a few px apart need leaders");
});

test("a lone marker's name goes beside it, to the east, without a leader", () => {
    const item = {c: {x: 200, y: 200}, r: 9.75, w: 50, h: 15, lead: true};
    const [spot] = labels.place([item], {x: 400, y: 400}, []);
    assert.equal(spot.line, null);
    assert.deepEqual(spot.box, {x: 200 + 9.75 + 2, y: 200 - 7.5, w: 50, h: 15});
});

test("a name that fits nowhere is left out (null), not forced over a control", () => {
    const item = {c: {x: 50, y: 50}, r: 9.75, w: 60, h: 15, lead: true};
    const cover = [{x: 0, y: 0, w: 100, h: 100}];
    assert.deepEqual(labels.place([item], {x: 100, y: 100}, cover), [null]);
});

test("overlap counts boxes closer than 1 px, not farther ones", () => {
    const a = {x: 0, y: 0, w: 10, h: 10};
    assert.equal(labels.overlap(a, {x: 10.5, y: 0, w: 5, h: 5}), true);
    assert.equal(labels.overlap(a, {x: 11.5, y: 0, w: 5, h: 5}), false);
    assert.equal(labels.overlap(a, {x: 0, y: 11.5, w: 5, h: 5}), false);
});

test("crosses: a line through a box, or within a radius of a point", () => {
    const box = {x: 10, y: -5, w: 10, h: 10};
    assert.equal(labels.crosses([0, 0, 30, 0], box), true);
    assert.equal(labels.crosses([0, 20, 30, 20], box), false);
    assert.equal(labels.crosses([0, 0, 30, 0], {x: 15, y: 3}, 4), true);
    assert.equal(labels.crosses([0, 0, 30, 0], {x: 15, y: 5}, 4), false);
});

test("cut: two leader lines crossing, or not", () => {
    assert.equal(labels.cut([0, 0, 10, 10], [0, 10, 10, 0]), true);
    assert.equal(labels.cut([0, 0, 10, 0], [0, 5, 10, 5]), false);
});
