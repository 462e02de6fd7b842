"""Write data/README.md's focus-area and traceability tables from themes.json and cities.geojson.

    python scripts/data_tables.py           rewrite the two tables in data/README.md
    python scripts/data_tables.py --check   exit 1 (and say which) if either table is stale

The tables are derived data: editing a term, a label or a priority line changes them, and the
test suite runs --check so that the README cannot drift from the data.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
README = DATA / "README.md"
FOCUS_HEADER = "| id | fi | sv | en | broad themes | terms | cities |"
TRACE_HEADER = "| City | Focus area | Matched term(s) | Words in `priorities.fi` |"
# A word of a priority line: letters and digits, with hyphens inside or at the end ("Bio-").
WORD_CHAR = re.compile(r"[\w-]")


def codes(values: list[str]) -> str:
    """Return ids as comma-separated code spans, or a dash for none."""
    return ", ".join(f"`{v}`" for v in values) or "—"


def focus_table(themes: dict, features: list[dict]) -> list[str]:
    """Return the focus-area table: labels, broad themes, terms and how many points have it."""
    rows = [FOCUS_HEADER, "|---|---|---|---|---|---|---|"]
    for area in themes["focus_areas"]:
        count = sum(area["id"] in f["properties"]["themes"] for f in features)
        label = area["label"]
        rows.append(f"| `{area['id']}` | {label['fi']} | {label['sv']} | {label['en']} | "
                    f"{codes(area['broad_themes'])} | {codes(area['terms'])} | {count} |")
    return rows


def words_with(text: str, term: str) -> list[str]:
    """Return the words of text (source spelling) that contain term, case-insensitively."""
    found = []
    for match in re.finditer(re.escape(term), text.lower()):
        start, end = match.start(), match.end()
        while start > 0 and WORD_CHAR.match(text[start - 1]):
            start -= 1
        while end < len(text) and WORD_CHAR.match(text[end]):
            end += 1
        found.append(text[start:end])
    return found


def trace_table(themes: dict, features: list[dict]) -> list[str]:
    """Return one row per point and focus area: the terms that matched and the words."""
    terms = {area["id"]: area["terms"] for area in themes["focus_areas"]}
    rows = [TRACE_HEADER, "|---|---|---|---|"]
    for feature in features:
        props = feature["properties"]
        text = props["priorities"]["fi"]
        for focus in props["themes"]:
            matched = [term for term in terms[focus] if term in text.lower()]
            words = dict.fromkeys(w for term in matched for w in words_with(text, term))
            rows.append(f"| {props['name']['fi']} | `{focus}` | {codes(matched)} | "
                        + ", ".join(f"«{w}»" for w in words) + " |")
    return rows


def replace_table(readme: str, header: str, rows: list[str]) -> str:
    """Return readme with the table that starts at header replaced by rows."""
    lines = readme.split("\n")
    start = lines.index(header)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:start] + rows + lines[end:])


def regenerated(readme: str) -> str:
    """Return the README text with both tables rebuilt from the data files."""
    themes = json.loads((DATA / "themes.json").read_text(encoding="utf-8"))
    features = json.loads((DATA / "cities.geojson").read_text(encoding="utf-8"))["features"]
    readme = replace_table(readme, FOCUS_HEADER, focus_table(themes, features))
    return replace_table(readme, TRACE_HEADER, trace_table(themes, features))


def main() -> int:
    """Rewrite or check the README's tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables")
    check = parser.parse_args().check
    current = README.read_text(encoding="utf-8")
    fresh = regenerated(current)
    if check:
        if fresh != current:
            print(f"{README}: the focus-area or traceability table differs from the data; "
                  "run python scripts/data_tables.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
