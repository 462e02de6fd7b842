"""The embed code of a view: the `<iframe>` element another site pastes to show the live map.

The frame opens the view's address with Streamlit's `embed=true`, which leaves out the page's
header bar and menu; the app never reads that parameter (st.query_params hides it) and keeps
it when it writes the view into the address (issue 22).
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit, urlunsplit

# Room for the headline, the tabs, a map the page sizes to the frame and the download row.
FRAME_HEIGHT_PX = 800
EMBED_PARAM = "embed=true"


def embed_url(page_url: str) -> str:
    """Return the page's absolute http(s) address with Streamlit's embed=true added."""
    scheme, netloc, path, query, _ = _checked(page_url)
    return urlunsplit((scheme, netloc, path, f"{query}&{EMBED_PARAM}" if query else EMBED_PARAM,
                       ""))


def frame_origin(page_url: str) -> str:
    """Return the scheme and host a site must allow as a frame source to show the page."""
    scheme, netloc, *_ = _checked(page_url)
    return f"{scheme}://{netloc}"


def embed_code(page_url: str, title: str, height: int = FRAME_HEIGHT_PX) -> str:
    """Return one `<iframe>` element showing the page, its address and title escaped."""
    # One line: newlines in the title (a search text from the URL) would only split it.
    attributes = {"src": embed_url(page_url), "title": " ".join(title.split()),
                  "width": "100%", "height": str(height), "style": "border: 0",
                  "loading": "lazy"}
    # quote=True: no value can close its attribute ("), or open a tag (<) or entity (&).
    written = " ".join(f'{name}="{html.escape(value, quote=True)}"'
                       for name, value in attributes.items())
    return f"<iframe {written}></iframe>"


def _checked(page_url: str) -> tuple[str, str, str, str, str]:
    parts = urlsplit(page_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the embed code needs the page's absolute http(s) address, "
                         f"got {page_url[:80]!r}")
    return parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment
