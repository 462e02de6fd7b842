// The map by keyboard (web/keyboard.js): which key does what, and which new marker takes
// the focus back after a rerun.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const keyboard = require("../../src/innomap/web/keyboard.js");

// [key, a popup is open, the action]
const KEYS = [
    ["Enter", false, "activate"],
    [" ", false, "activate"],
    ["Spacebar", false, "activate"],  // old browsers' name for the space bar
    ["Enter", true, "activate"],      // a click on a marker whose popup is open
    ["Escape", true, "close"],
    ["Escape", false, null],          // nothing to close: Escape goes on to the page
    ["Tab", false, null],
    ["Tab", true, null],
    ["a", false, null],
    ["Space", false, null],           // a code, not a key: browsers send " "
];

for (const [key, open, expected] of KEYS) {
    test(`${JSON.stringify(key)} with the popup ${open ? "open" : "closed"}: ${expected}`,
         () => {
             assert.equal(keyboard.action(key, open), expected);
         });
}

test("the activated city's new marker takes the focus back, within 10 s only", () => {
    const refocus = {id: "oulu", until: 10000};
    assert.equal(keyboard.refocusing(refocus, "oulu", 9999), true);
    assert.equal(keyboard.refocusing(refocus, "oulu", 10000), false);
    assert.equal(keyboard.refocusing(refocus, "kajaani", 5000), false);
    assert.equal(keyboard.refocusing(null, "oulu", 5000), false);
});
