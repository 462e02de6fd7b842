"""The session's state between reruns: the widgets' values and one typed PageState.

Each filter widget's key is also its Filters field and its URL parameter. What is not a widget
value lives in PageState, one object under one key, with a comment per field.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from innomap.cities import Dataset
from innomap.filters import KIND_NAMES, Filters, choices, from_params, view_params
from innomap.i18n import pick_lang, requested_lang
from innomap.mapview import nearest_city
from innomap.schema import LANGS

FILTER_KEYS = KIND_NAMES
# Widgets that pick a city; each keeps its shown rows' ids in PageState.shown.
CITY_PICKERS = ("table", "similar")
# Everything a user's input changes: the filters, the language, the city, the tab, the map's
# marker click and the city pickers' row selections.
INPUT_KEYS = (*FILTER_KEYS, "lang", "city", "view", "map", *CITY_PICKERS)


@dataclass
class PageState:
    """What the page remembers between reruns besides the widgets' own values."""

    # The URL's parameters as this session last read or wrote them. A URL that differs came
    # from outside the app: the first run of a shared link, or the back and forward buttons.
    url: dict[str, list[str]] | None = None
    # The inputs' values as the last finished run left them (INPUT_KEYS). A rerun that brings
    # other values brings a user's input, and the URL that came with it may be stale.
    inputs: dict[str, Any] = field(default_factory=dict)
    # The language the widgets were drawn in on the previous run.
    drawn_lang: str | None = None
    # The last marker click taken; the map component keeps returning it on every rerun.
    clicked: dict[str, Any] | None = None
    # Per city picker (table, similar): the city ids of its rows, in the order shown.
    shown: dict[str, list[str]] = field(default_factory=dict)
    # Per city picker: the row selection last taken, so a rerun does not take it again.
    picked: dict[str, list[int]] = field(default_factory=dict)
    # The view in the URL the session started with, by widget key: the widgets' defaults.
    # Defaults, not assigned values: a browser that reconnects to a new server process (a
    # replica died) starts a session there with its widgets' own values, and they must win.
    opened: dict[str, Any] = field(default_factory=dict)


def page_state() -> PageState:
    """Return this session's PageState, created on first use."""
    if "page" not in st.session_state:
        st.session_state.page = PageState()
    return st.session_state.page


def url_params() -> dict[str, list[str]]:
    """Return the URL's parameters, each with all its values."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def choose_lang() -> str:
    """Return the language: the widget's, else the URL's, else the browser's, else Finnish."""
    # A segmented control can be cleared; fall back to the URL or the browser's language then.
    if st.session_state.get("lang") not in LANGS:
        st.session_state.lang = pick_lang(st.query_params.get("lang"), st.context.locale)
    return st.session_state.lang


def sync_from_url(dataset: Dataset) -> list[str]:
    """Put the URL's view into the widgets when the URL changed outside the app.

    On a session's first run it becomes the widgets' defaults (PageState.opened); later (the
    back and forward buttons, which change no input) it is set into them. Otherwise the widgets
    lead and the URL follows. Return notices for bad values.
    """
    params, page = url_params(), page_state()
    if page.url == params:
        return []
    view, notices = _view_in(params, dataset)
    if page.url is None:
        page.opened = view
        page.url = params
    elif not _input_changed(page.inputs):
        for key, value in view.items():
            st.session_state[key] = value
    # Else a user's input came with a URL from before the last run (a click on a busy machine,
    # before the browser had that run's URL): not the back button, so the input wins.
    return notices


def _inputs() -> dict[str, Any]:
    # Copies: a later run must not change the values kept to compare with.
    return {key: deepcopy(st.session_state[key]) for key in INPUT_KEYS if key in st.session_state}


def _input_changed(before: dict[str, Any]) -> bool:
    # A widget the last run did not draw has no value now: that is no input.
    now = _inputs()
    return any(key not in before or before[key] != value for key, value in now.items())


def opened(key: str) -> Any:
    """Return a widget's default: its value in the URL the session was opened with."""
    value = page_state().opened.get(key, getattr(Filters(), key, None))
    return list(value) if isinstance(value, tuple) else value


def _view_in(params: dict[str, list[str]], dataset: Dataset) -> tuple[dict[str, Any],
                                                                     list[str]]:
    filters, notices = from_params(params, choices(dataset))
    view: dict[str, Any] = {key: list(v) if isinstance(v := getattr(filters, key), tuple) else v
                            for key in FILTER_KEYS}
    city = (params.get("city") or [""])[-1]
    if city and city not in dataset.by_id:
        notices.append(f"city={city[:40]}")
        city = ""
    view["city"] = city or None
    lang = (params.get("lang") or [""])[-1]
    if requested_lang(lang):
        view["lang"] = lang
    elif lang:
        notices.append(f"lang={lang[:40]}")
    return view, notices


def keep_values_across_languages(lang: str) -> None:
    """Re-assert the widgets' values after a language switch, before they are drawn.

    Widgets send their values back as the labels they showed; in the new language those labels
    no longer match any option, and the choices would silently be lost.
    """
    page = page_state()
    if page.drawn_lang not in (None, lang):
        for key in (*FILTER_KEYS, "city"):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    page.drawn_lang = lang


def page_params(filters: Filters, lang: str) -> dict[str, str | list[str]]:
    """Return the page's URL parameters: the view's filters and language, the selected city."""
    params = view_params(filters, lang)
    if st.session_state.get("city"):
        params["city"] = st.session_state.city
    return params


def write_url(filters: Filters, lang: str) -> None:
    """Write the current view into the URL."""
    st.query_params.from_dict(page_params(filters, lang))
    page = page_state()
    page.url = url_params()
    page.inputs = _inputs()


def reset_filters() -> None:
    """Set every filter widget back to its default (a button's callback)."""
    for key in FILTER_KEYS:
        value = getattr(Filters(), key)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value


def current_filters() -> Filters:
    """Return the Filters the widgets hold now."""
    defaults = Filters()
    values: dict[str, Any] = {key: st.session_state.get(key, getattr(defaults, key))
                              for key in FILTER_KEYS}
    chosen: dict[str, Any] = {key: tuple(v) if isinstance(v, list) else v
                              for key, v in values.items()}
    return Filters(**chosen)


def take_selection(dataset: Dataset, map_tab: str) -> None:
    """Select the city whose marker, table row or similar-city row was clicked since last run."""
    page = page_state()
    clicked = (st.session_state.get("map") or {}).get("last_object_clicked")
    if clicked and clicked != page.clicked:
        page.clicked = clicked
        st.session_state.city = nearest_city(dataset.cities, clicked["lat"], clicked["lng"])
    for key in CITY_PICKERS:
        picked = ((st.session_state.get(key) or {}).get("selection") or {}).get("rows", [])
        shown = page.shown.get(key, [])
        if picked != page.picked.get(key, []):
            page.picked[key] = picked
            if picked and picked[0] < len(shown):
                st.session_state.city = shown[picked[0]]
                # A row picked in the table tab shows the city on the map, with its details.
                st.session_state.view = map_tab
