"""Read an HTML snippet as the standard library's parser does: every tag, text and comment."""

from __future__ import annotations

from html.parser import HTMLParser


class Elements(HTMLParser):
    """The start and end tags, text and comments the HTML parser finds, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(("start", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.found.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.found.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.found.append(("comment", data))


def parsed(snippet: str) -> list[tuple]:
    """Return what the HTML parser finds in a snippet, character references decoded."""
    parser = Elements()
    parser.feed(snippet)
    parser.close()
    return parser.found
