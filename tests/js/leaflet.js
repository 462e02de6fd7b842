// The real Leaflet, as the map loads it (XStatic-Leaflet's leaflet.js in .venv), in jsdom.
// jsdom lays nothing out: an element is 0 px until a test gives it a size (resize()).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const LIB = path.resolve(__dirname, "..", "..", ".venv", "lib");

function source() {
    // leaflet.js of the XStatic package in .venv (python3 dev.py sets it up), or null.
    const found = (fs.existsSync(LIB) ? fs.readdirSync(LIB) : [])
        .map((python) => path.join(LIB, python, "site-packages", "xstatic", "pkg", "leaflet",
                                   "data", "leaflet.js"))
        .filter((file) => fs.existsSync(file));
    return found.length ? fs.readFileSync(found[0], "utf8") : null;
}

function load() {
    // {window} with Leaflet loaded (L is also the global the runtime's files use), or
    // {skip: why not}.
    const code = source();
    if (code === null) {
        return {skip: "no Leaflet in .venv: python3 dev.py test sets it up"};
    }
    let jsdom;
    try {
        jsdom = require("jsdom");
    } catch {
        return {skip: "jsdom is not installed: npm ci"};
    }
    const dom = new jsdom.JSDOM("<!DOCTYPE html><body></body>", {runScripts: "outside-only"});
    dom.window.eval(code);
    global.L = dom.window.L;
    return {window: dom.window, skip: false};
}

function resize(box, width, height) {
    // Give an element the size a browser would lay it out at (what Leaflet reads).
    Object.defineProperty(box, "clientWidth", {configurable: true, value: width});
    Object.defineProperty(box, "clientHeight", {configurable: true, value: height});
}

module.exports = {load, resize};
