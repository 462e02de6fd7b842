"""The citation line for the view on screen: title, data version, retrieval date, exact URL."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from innomap.i18n import format_date, t


def data_version(paths: tuple[Path, ...]) -> str:
    """Return a short fingerprint of the data files' contents (it changes when any does)."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:8]


def view_url(base: str | None, params: Mapping[str, str | list[str]]) -> str:
    """Return the view's address: the page's URL with the query string the app writes."""
    # Encoded exactly as Streamlit writes st.query_params into the address bar. The page is a
    # folder ("/" or "/innomap/"); st.context.url leaves out its closing slash.
    query = urlencode(params, doseq=True)
    page = base if not base or base.endswith("/") else base + "/"
    return f"{page or ''}?{query}" if query else (page or "")


def citation(metadata: Mapping, version: str, lang: str, url: str) -> str:
    """Return the citation line in a language."""
    title = metadata.get("title", {}).get(lang, "innomap")
    retrieved = format_date(metadata.get("source", {}).get("retrieved", "?"), lang)
    return t("cite.text", lang, title=title, version=version, retrieved=retrieved, url=url)
