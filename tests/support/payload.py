"""The map's payload read by field name (mapview.WIRE), as the browser's web/wire.js reads it."""

from __future__ import annotations

from innomap.mapview import WIRE

# Where each kind of record travels in the payload.
LISTS = {"place": "places", "line": "lines", "link": "links"}


def named(data: dict, kind: str = "place") -> list[dict]:
    """Return a payload's places (or lines, links) as dicts by field name."""
    return [dict(zip(WIRE[kind], row, strict=True)) for row in data[LISTS[kind]]]
