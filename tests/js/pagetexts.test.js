// Streamlit's English in the page's language (web/pagetexts.js) in jsdom: exact texts only,
// never innomap's texts or the data, later changes too, no loop, a change of language.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const {JSDOM} = require("jsdom");
const pagetexts = require("../../src/innomap/web/pagetexts.js");

function catalogue(lang) {
    const file = path.join(__dirname, "..", "..", "data", "i18n", lang + ".json");
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

// The table as i18n.streamlit_texts builds it: every language's words → the page's.
function table(lang) {
    const wanted = catalogue(lang), out = {};
    for (const other of ["fi", "sv", "en"]) {
        for (const [key, text] of Object.entries(catalogue(other))) {
            if (key.startsWith("streamlit_text.") && text !== wanted[key]) { out[text] = wanted[key]; }
        }
    }
    return out;
}
const FI = catalogue("fi");

// A page with Streamlit's texts in its controls and the same words as innomap's and data texts.
const PAGE = `<a data-testid="stSkipToContent" href="#stMain">Skip to main content</a>
<section data-testid="stSidebar" aria-label="Sidebar">
  <button aria-label="Collapse sidebar"></button>
  <div data-testid="stMarkdownContainer"><p>Open</p><p>No results</p></div>
  <label data-testid="stWidgetLabel">Search</label><label><span>Open</span></label>
  <input aria-label="Search" placeholder="Search">
  <div data-testid="stMultiSelect"><button aria-label="Open" title="Open"></button>
    <span data-tag aria-label="Open" title="Open">Open<button aria-label="Remove Open"></button></span>
  </div>
  <div role="listbox" data-empty="true"><div role="option"><span>No results</span></div></div>
  <div role="listbox"><div role="option"><span>No results</span></div></div>
  <div data-testid="stHtml"><p title="Copy to clipboard">Copy to clipboard</p></div>
  <div data-testid="stCode"><pre><code>Copy to clipboard</code></pre>
    <button aria-label="Copy to clipboard"></button></div>
</section>
<svg aria-roledescription="visualization"><text>visualization</text></svg>
<div aria-live="polite">18 options available.</div>`;

function page() {
    const dom = new JSDOM(`<!DOCTYPE html><html lang="en"><body>${PAGE}</body></html>`);
    return dom.window.document;
}

function settled() {
    // MutationObserver callbacks run as microtasks: one turn of the event loop is enough.
    return new Promise((resolve) => setImmediate(resolve));
}

test("Streamlit's texts take the page's words, as whole texts and attributes", () => {
    const doc = page();
    const translator = pagetexts.observe(doc, table("fi"));
    const q = (selector) => doc.querySelector(selector);
    assert.equal(q("[data-testid=stSkipToContent]").textContent, FI["streamlit_text.skip"]);
    assert.equal(q("[data-testid=stSidebar]").getAttribute("aria-label"),
                 FI["streamlit_text.sidebar"]);
    assert.equal(q("[data-testid=stSidebar] > button").getAttribute("aria-label"),
                 FI["streamlit_text.collapse_sidebar"]);
    const open = q("[data-testid=stMultiSelect] > button");
    assert.equal(open.getAttribute("aria-label"), FI["streamlit_text.open"]);
    assert.equal(open.title, FI["streamlit_text.open"]);
    assert.equal(q("[data-empty=true] span").textContent, FI["streamlit_text.no_results"]);
    // Streamlit's own labels (the table's search box) are not a widget's label.
    assert.equal(doc.querySelectorAll("label")[1].textContent, FI["streamlit_text.open"]);
    assert.equal(q("[data-testid=stCode] button").getAttribute("aria-label"),
                 FI["streamlit_text.copy"]);
    assert.equal(q("svg").getAttribute("aria-roledescription"),
                 FI["streamlit_text.visualization"]);
    assert.equal(q("[aria-live]").textContent,
                 FI["streamlit_text.options_available"].replace("{label}", "18"));
    // A slot keeps its label: the tag's remove button names the (data) value.
    assert.equal(q("[data-tag] button").getAttribute("aria-label"),
                 FI["streamlit_text.remove"].replace("{label}", "Open"));
    translator.stop();
});

test("innomap's texts and the data keep their words, however they are spelt", () => {
    const doc = page();
    const translator = pagetexts.observe(doc, table("fi"));
    const q = (selector) => doc.querySelector(selector);
    assert.equal(q("[data-testid=stMarkdownContainer]").textContent, "OpenNo results");
    assert.equal(q("label").textContent, "Search");
    assert.equal(q("[data-tag]").getAttribute("aria-label"), "Open");
    assert.equal(q("[data-tag]").title, "Open");
    assert.equal(q("[data-tag]").firstChild.nodeValue, "Open");
    // An option of a list that has options is data, even when its words are Streamlit's.
    assert.equal(q("[role=listbox]:not([data-empty]) span").textContent, "No results");
    assert.equal(q("[data-testid=stHtml] p").textContent, "Copy to clipboard");
    assert.equal(q("[data-testid=stHtml] p").title, "Copy to clipboard");
    assert.equal(q("code").textContent, "Copy to clipboard");
    assert.equal(q("svg text").textContent, "visualization");
    translator.stop();
});

test("only exact texts change: one character more or less is left for the scan to find", () => {
    const doc = page();
    doc.body.insertAdjacentHTML("beforeend",
        "<button aria-label='Open '>x</button><span>Press Enter to apply.</span>");
    const translator = pagetexts.observe(doc, table("fi"));
    assert.equal(doc.querySelector("button[aria-label^=Open]").getAttribute("aria-label"), "Open ");
    assert.equal(doc.body.lastChild.textContent, "Press Enter to apply.");
    translator.stop();
});

test("texts Streamlit writes later are translated too, and translating stops", async () => {
    const doc = page();
    const translator = pagetexts.observe(doc, table("sv"));
    const box = doc.createElement("div");
    box.innerHTML = "<span>Press Enter to apply</span><button aria-label='Clear all'></button>";
    doc.body.appendChild(box);
    const button = doc.querySelector("button[aria-label='Clear all']");
    doc.querySelector("[aria-live]").firstChild.nodeValue = "1 option available.";
    await settled();
    const sv = catalogue("sv");
    assert.equal(box.textContent, sv["streamlit_text.enter_to_apply"]);
    assert.equal(button.getAttribute("aria-label"), sv["streamlit_text.clear_all"]);
    assert.equal(doc.querySelector("[aria-live]").textContent,
                 sv["streamlit_text.option_available"].replace("{label}", "1"));
    // An attribute Streamlit sets again is translated again.
    button.setAttribute("aria-label", "Clear all");
    await settled();
    assert.equal(button.getAttribute("aria-label"), sv["streamlit_text.clear_all"]);
    translator.stop();
    button.setAttribute("aria-label", "Clear all");
    await settled();
    assert.equal(button.getAttribute("aria-label"), "Clear all");
});

test("its own changes do not feed it: a burst of changes settles after one round", async () => {
    const doc = page();
    const view = doc.defaultView, Original = view.MutationObserver;
    let rounds = 0;
    view.MutationObserver = class extends Original {
        constructor(callback) { super((changes, me) => { rounds += 1; callback(changes, me); }); }
    };
    const translator = pagetexts.observe(doc, table("fi"));
    doc.body.insertAdjacentHTML("beforeend", "<button aria-label='Main menu'>Running...</button>");
    await settled();
    await settled();
    // The insertion, then the translator's own edits (one text, one attribute), then nothing.
    assert.ok(rounds <= 2, `${rounds} rounds`);
    assert.equal(doc.body.lastChild.textContent, FI["streamlit_text.running"]);
    translator.stop();
});

test("a page that changes language takes the new one's words, back to English too", async () => {
    const doc = page();
    const script = doc.createElement("script");
    script.setAttribute("data-lang", "fi");
    script.setAttribute("data-texts", JSON.stringify(table("fi")));
    doc.body.appendChild(script);
    delete doc.defaultView.innomapPageTexts;
    const translator = pagetexts.start(script);
    const skip = doc.querySelector("[data-testid=stSkipToContent]");
    const clear = doc.createElement("button");
    clear.setAttribute("aria-label", "Clear all");
    doc.body.appendChild(clear);
    assert.equal(doc.documentElement.lang, "fi");
    assert.equal(skip.textContent, FI["streamlit_text.skip"]);
    for (const lang of ["sv", "en"]) {
        script.setAttribute("data-lang", lang);
        script.setAttribute("data-texts", JSON.stringify(table(lang)));
        // A rerun's new script finds the page's translator and hands it its table.
        assert.equal(pagetexts.start(script), translator);
        assert.equal(doc.documentElement.lang, lang);
        assert.equal(skip.textContent, catalogue(lang)["streamlit_text.skip"]);
        // Exact texts before slots: "Poista kaikki valinnat" is not "Poista {label}".
        await settled();
        assert.equal(clear.getAttribute("aria-label"), catalogue(lang)["streamlit_text.clear_all"]);
    }
    translator.stop();
});

test("no language's words are another's key: nothing is translated twice", () => {
    for (const lang of ["fi", "sv", "en"]) {
        const words = table(lang);
        const clash = Object.values(words).filter((text) => Object.hasOwn(words, text));
        assert.deepEqual(clash, [], lang);
    }
});
