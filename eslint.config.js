// ESLint 9 (flat config) for innomap's browser runtime and its Node tests:
// `python3 dev.py test` runs it and fails on any problem.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

// Mistakes the recommended set lets through: a name that hides another, a global made by
// accident, a var used before it is set, == where === was meant.
const RULES = {
    "no-shadow": ["error", {hoist: "all"}],
    "no-implicit-globals": "error",
    "no-use-before-define": ["error", {functions: false}],
    "no-var": "off",  // the runtime keeps the ES5 style of its first version
    eqeqeq: "error",
    strict: ["error", "global"],
    "no-unused-vars": ["error", {args: "after-used", caughtErrors: "all"}],
};

module.exports = [
    // Not ours, or made by the app and the tests (`npx eslint .` stays on our files).
    {ignores: [".venv/", "static/", "build/", "test-artifacts/", "benchmarks/"]},
    js.configs.recommended,
    {
        // The runtime: scripts in the browser after Leaflet (L), modules under Node (tests).
        files: ["src/innomap/web/**/*.js"],
        languageOptions: {
            ecmaVersion: 2020,
            sourceType: "script",
            globals: {...globals.browser, L: "readonly", module: "readonly",
                      require: "readonly"},
        },
        rules: RULES,
    },
    {
        files: ["tests/js/**/*.js", "eslint.config.js"],
        languageOptions: {ecmaVersion: 2022, sourceType: "commonjs", globals: globals.node},
        rules: RULES,
    },
];
