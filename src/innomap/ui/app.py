"""The dashboard page, top to bottom: data → URL → sidebar → header → tabs → URL.

A Streamlit entry script (dashboard.py in the checkout, the one `innomap serve` writes) calls
`main` with the folder Streamlit serves as `app/static/`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from innomap.assets import install_static
from innomap.cities import DatasetStore
from innomap.filters import labels
from innomap.i18n import t
from innomap.schema import DataError
from innomap.shipped import data_paths
from innomap.ui import sections, state
from innomap.view import View

LOG = logging.getLogger("innomap")
TABS = ("map", "table", "chart", "matrix", "about", "statement")


@st.cache_resource(show_spinner=False)
def _serve_assets(static_dir: Path) -> None:
    install_static(static_dir)


@st.cache_resource(show_spinner=False)
def _store(unique_codes: bool) -> DatasetStore:
    """One store per server process: each data version is loaded and validated once."""
    return DatasetStore(unique_codes)


def render_page(static_dir: Path, unique_codes: bool = True) -> None:
    """Draw the whole page for the current URL, widgets and data file."""
    try:
        dataset, stale = _store(unique_codes).get(*data_paths())
    except DataError as err:
        sections.render_data_error(err, state.choose_lang())
        return
    # The page's styles first: the headline and the map's frame then take their final size
    # as they arrive, and nothing below them moves (layout shift).
    sections.render_style()
    notices = state.sync_from_url(dataset)
    # After the URL: a shared link or the back button may bring its language.
    lang = state.choose_lang()
    state.take_selection(dataset, t("tab.map", lang))
    state.keep_values_across_languages(lang)
    filters = sections.render_sidebar(labels(dataset, lang), lang)
    # The one view of this rerun: the rows are filtered here, once.
    view = View.of(dataset, filters, lang, st.context.url)
    sections.render_header(view, notices, stale)
    sections.render_headline(view)
    # Tabs track which one is open, so hidden tabs cost nothing on a rerun.
    tabs = dict(zip(TABS, st.tabs([t(f"tab.{name}", lang) for name in TABS], key="view",
                                  on_change="rerun"), strict=True))
    draw = {
        "map": lambda: sections.render_map_tab(view, static_dir),
        "table": lambda: sections.render_table_tab(view),
        "chart": lambda: sections.render_chart_tab(view),
        "matrix": lambda: sections.render_matrix_tab(view),
        "about": lambda: sections.render_about_tab(view),
        "statement": lambda: sections.render_statement_tab(lang),
    }
    for name, tab in tabs.items():
        if tab.open:
            with tab:
                draw[name]()
    sections.render_citation(view)
    sections.render_embed(view)
    # Last on the page: its slot, hidden once the script is in it, moves nothing below it.
    sections.render_page_texts(lang)
    state.write_url(filters, lang)


def main(static_dir: Path, unique_codes: bool = True) -> None:
    """Render the dashboard; show users a plain message, never a traceback.

    unique_codes=False accepts repeated municipality codes: for synthetic data sets of more
    than 1,000 places (benchmarks/ours_app.py), never for real data.
    """
    st.set_page_config(page_title="innomap", page_icon="🗺️", layout="wide")
    try:
        _serve_assets(static_dir)
        render_page(static_dir, unique_codes)
    except Exception:
        LOG.exception("innomap failed to render")
        st.error(t("error.unexpected", state.choose_lang()))
