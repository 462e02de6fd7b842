"""User-facing text in Finnish, Swedish and English, from catalogues in data/i18n/."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import cache

from innomap.schema import LANGS
from innomap.shipped import I18N_DIR

DEFAULT_LANG = "fi"
# Finnish and Swedish both sort å, ä, ö after z (and in that order).
_NORDIC_TAIL = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the message catalogue of a language."""
    if lang not in LANGS:
        raise ValueError(f"language: expected one of {', '.join(LANGS)}, got {lang!r}")
    path = I18N_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def t(key: str, lang: str, **values: object) -> str:
    """Translate a message key, filling {placeholders} from keyword arguments."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


# Streamlit's own English texts (and those of the libraries it draws with: react-aria, Vega)
# that innomap puts in the page's language (web/pagetexts.js): each name's text in en.json is
# exactly what Streamlit 1.67 writes ("{label}" a slot for a value), in fi.json and sv.json
# innomap's words. tests/browser/test_browser_texts.py finds any other English on the page.
# Three show in no state it scans: "Running..." and "Connecting" (while a run or a reconnection
# lasts) and "Main menu" (with the menu on: .streamlit/config.toml turns it off).
STREAMLIT_TEXTS = ("skip", "main_menu", "sidebar", "collapse_sidebar", "expand_sidebar",
                   "running", "open", "no_results", "clear_all", "clear_value",
                   "enter_to_apply", "copy", "search", "columns", "fullscreen", "close",
                   "download_csv", "download_png", "show_data", "copy_spec", "dismiss",
                   "remove", "visualization", "group_mark", "rect_mark",
                   "options_available", "option_available", "selected_values", "copied",
                   "close_search", "type_to_search", "scroll_left", "scroll_right",
                   "show_chart", "connecting")


def streamlit_texts(lang: str) -> dict[str, str]:
    """Return what the page script replaces for a language: each Streamlit text, and its
    words in the other languages (a page that changes language), → the language's words."""
    table: dict[str, str] = {}
    for name in STREAMLIT_TEXTS:
        # Read raw: "{label}" is a slot the page script fills, not a placeholder of t().
        wanted = catalogue(lang)[f"streamlit_text.{name}"]
        for other in LANGS:
            text = catalogue(other)[f"streamlit_text.{name}"]
            if text != wanted:
                table[text] = wanted
    # A replacement that were itself replaced would change again with every observed change.
    clash = set(table) & set(table.values())
    if clash:
        raise ValueError(f"streamlit_text.*: one language's words are another's: {sorted(clash)}")
    return table


def requested_lang(value: str | None) -> str | None:
    """Return a requested language (the URL's lang) if it is exactly fi, sv or en, else None."""
    # Exact, like every other URL value: "svenska" or "EN" is ignored with a notice, never
    # read as a language the notice then says was ignored.
    return value if value in LANGS else None


def pick_lang(requested: str | None, browser_locale: str | None = None) -> str:
    """Choose the language: an exact request, else the browser locale's (sv-FI → sv), else
    Finnish."""
    code = re.split(r"[-_]", (browser_locale or "").strip().lower())[0]
    return requested_lang(requested) or (code if code in LANGS else DEFAULT_LANG)


def sort_key(text: str) -> str:
    """Return a key that sorts names by Finnish/Swedish alphabet rules (å, ä, ö last)."""
    folded = text.casefold().translate(_NORDIC_TAIL)
    stripped = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in stripped if not unicodedata.combining(c))


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """Format a number the way the language writes it (1 234,5 in fi/sv; 1,234.5 in en)."""
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def format_date(iso: str, lang: str) -> str:
    """Format an ISO date the way the language writes it (27.11.2026; 27 November 2026).

    Anything that is not an ISO date comes back unchanged.
    """
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


_EUR_UNITS = {"fi": ("{x} miljoonaa euroa", "{x} miljardia euroa"),
              "sv": ("{x} miljoner euro", "{x} miljarder euro"),
              "en": ("EUR {x} million", "EUR {x} billion")}


def format_eur(amount: float, lang: str) -> str:
    """Write a euro amount in millions or billions (21,6 miljoonaa euroa; EUR 3.159 billion)."""
    billions = amount >= 1e9
    value = amount / (1e9 if billions else 1e6)
    decimals = next(d for d in range(4) if round(value, d) == round(value, 3))
    return _EUR_UNITS[lang][billions].format(x=format_number(value, lang, decimals))
