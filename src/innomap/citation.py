"""The citation line for the view on screen: title, data version, retrieval date, exact URL."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from innomap.i18n import format_date, t


def data_version(paths: tuple[Path, ...]) -> str:
    """Return a short fingerprint of the data files' contents (it changes when any does)."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:8]


def citation(metadata: Mapping, version: str, lang: str, url: str) -> str:
    """Return the citation line in a language from validated metadata (schema.METADATA)."""
    title = metadata["title"][lang]
    retrieved = format_date(metadata["source"]["retrieved"], lang)
    return t("cite.text", lang, title=title, version=version, retrieved=retrieved, url=url)
