"""Read a PDF that Chromium printed, with the standard library only (for the print tests).

Enough for Chromium's own output (Skia's PDF writer): plain objects, Flate streams, text as
hex strings in fonts that carry a ToUnicode map. Not a general PDF reader: text it cannot
decode is left out, so a test looking for it fails rather than passes by accident.
"""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(?:^|\n)(\d+) 0 obj\s*")
PAGE = re.compile(rb"<<\s*/Type\s*/Page\b")
# In a content stream: a font choice, a hex string (the glyphs), or the end of a text object.
TEXT_TOKEN = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\b(ET)\b")


def objects(data: bytes) -> dict[int, bytes]:
    """Return the PDF's objects by number, each up to the next one (streams are binary and
    may hold any bytes, "endobj" too)."""
    starts = list(OBJECT.finditer(data))
    ends = [m.start() for m in starts[1:]] + [len(data)]
    return {int(m[1]): data[m.end():end] for m, end in zip(starts, ends, strict=True)}


def pages(data: bytes) -> list[bytes]:
    """Return the page objects, in file order."""
    return [body for body in objects(data).values() if PAGE.match(body)]


def stream(body: bytes) -> bytes:
    """Return an object's stream (its /Length bytes), inflated when Flate-compressed."""
    head = re.search(rb"stream\r?\n", body)
    length = int(re.search(rb"/Length (\d+)", body[:head.start()])[1])
    raw = body[head.end():head.end() + length]
    return zlib.decompress(raw) if b"FlateDecode" in body[:head.start()] else raw


def unicode_map(cmap: bytes) -> dict[int, str]:
    """Return a ToUnicode CMap's glyph codes and their text."""
    text, out = cmap.decode("latin-1"), {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<(\w+)>\s*<(\w+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, dst in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = chr(int(dst, 16) + i)
    return out


def page_fonts(page: bytes, objs: dict[int, bytes]) -> dict[bytes, tuple[int, dict[int, str]]]:
    """Return a page's fonts by resource name: bytes per glyph code and the code's text."""
    fonts = {}
    for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", re.search(rb"/Font\s*<<(.*?)>>", page,
                                                                 re.S)[1]):
        font = objs[int(ref)]
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
        table = unicode_map(stream(objs[int(to_unicode[1])])) if to_unicode else {}
        fonts[name] = (2 if b"/Type0" in font else 1, table)
    return fonts


def page_text(page: bytes, objs: dict[int, bytes]) -> str:
    """Return a page's text, one line per text object."""
    fonts, width, table, parts = page_fonts(page, objs), 1, {}, []
    content = stream(objs[int(re.search(rb"/Contents (\d+) 0 R", page)[1])])
    for token in TEXT_TOKEN.finditer(content):
        if token[1]:
            width, table = fonts.get(token[1], (1, {}))
        elif token[3]:
            parts.append("\n")
        else:
            raw = bytes.fromhex(token[2].decode())
            parts.append("".join(table.get(int.from_bytes(raw[i:i + width], "big"), "")
                                 for i in range(0, len(raw), width)))
    return "".join(parts)


def text(data: bytes) -> str:
    """Return the text of every page, pages apart by a form feed."""
    objs = objects(data)
    return "\f".join(page_text(page, objs) for page in pages(data))
