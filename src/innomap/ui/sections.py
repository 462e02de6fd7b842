"""The page's sections: sidebar, header and headline, the tabs' contents, the error page.

Each `render_*` draws one part of the page from the dataset, the filters and the language.
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path

import streamlit as st

from innomap.cities import Dataset
from innomap.export import csv_filename, to_csv
from innomap.filters import MATCH_MODES, Filters, headline
from innomap.i18n import sort_key, t
from innomap.schema import LANGS, MACRO_REGIONS, DataError
from innomap.shipped import WEB_DIR
from innomap.ui.mapcomponent import show_cities
from innomap.ui.state import current_filters, page_state, reset_filters
from innomap.views import (
    city_details,
    city_table,
    code_span,
    details_html,
    focus_chart,
    focus_counts,
    focus_matrix,
    similar_table,
    text_html,
)

PAGE_STYLE = WEB_DIR / "page.css"
# Up to this many rows the CSV is built with the page (about 5 ms for 20, 75 ms for 1,000).
EAGER_CSV_ROWS = 1000


def render_style() -> None:
    """Add the page's stylesheet (style-only HTML takes no space on the page)."""
    st.html(PAGE_STYLE)


def render_sidebar(dataset: Dataset, lang: str) -> Filters:
    """Draw the language switch and the filters; return the Filters they hold."""
    tax = dataset.taxonomy
    side = st.sidebar
    choose = t("sidebar.choose", lang)
    side.segmented_control(t("sidebar.language", lang), LANGS, key="lang",
                           format_func=lambda code: t(f"lang.{code}", code))
    side.header(t("sidebar.filters", lang), anchor=False)
    side.text_input(t("sidebar.search", lang), key="q", placeholder=t("sidebar.search_hint", lang),
                    max_chars=200)
    side.multiselect(t("sidebar.focus", lang), tax.focus_ids, key="focus", placeholder=choose,
                     format_func=lambda f: tax.focus_label(f, lang))
    side.multiselect(t("sidebar.theme", lang), tax.broad_ids, key="theme", placeholder=choose,
                     format_func=lambda b: tax.broad_label(b, lang))
    side.radio(t("sidebar.match", lang), MATCH_MODES, key="match", horizontal=True,
               format_func=lambda m: t(f"sidebar.match_{m}", lang))
    side.multiselect(t("sidebar.region", lang), MACRO_REGIONS, key="region", placeholder=choose,
                     format_func=lambda r: t(f"region.{r}", lang))
    bodies = dataset.bodies(lang)
    side.multiselect(t("sidebar.body", lang), sorted(bodies, key=lambda b: sort_key(bodies[b])),
                     key="body", format_func=bodies.get, placeholder=choose)
    side.toggle(t("sidebar.partners", lang), key="partners")
    side.button(t("sidebar.reset", lang), key="reset", on_click=reset_filters, width="stretch")
    return current_filters()


def render_header(dataset: Dataset, lang: str, notices: list[str],
                  stale: DataError | None) -> None:
    """Draw the title, the programme line, and notices about the URL and the data file."""
    programme = dataset.metadata.get("programme", {}).get(lang, "")
    st.title(t("app.title", lang), anchor=False)
    st.html(text_html(t("app.subtitle", lang, programme=programme), "p", "innomap-provenance"))
    for notice in notices:
        st.warning(t("notice.ignored_param", lang, param=code_span(notice)))
    if stale is not None:
        st.warning(t("error.stale", lang, path=code_span(stale.path),
                     problem=code_span(str(stale.problems[0]))))


def render_headline(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    """Draw the count of places shown and the filters in words."""
    # Plain HTML, not Markdown: the search text comes from the URL and must stay text.
    st.html(text_html(headline(filters, len(rows), dataset, lang), "h3", "innomap-headline"))
    if rows.empty:
        st.info(t("main.empty", lang))


def render_map_tab(rows, filters: Filters, dataset: Dataset, lang: str,
                   static_dir: Path) -> None:
    """Draw the map beside the details panel, and the download button."""
    map_column, details_column = st.columns([3, 2])
    with map_column:
        show_cities(rows, dataset, lang, static_dir, st.session_state.get("city") or "")
    with details_column:
        _render_details(dataset, lang)
    _render_download(rows, filters, dataset, lang)


def _render_details(dataset: Dataset, lang: str) -> None:
    names = dataset.derive(("names", lang), lambda: dict(zip(
        dataset.cities["id"].tolist(), dataset.cities[f"name_{lang}"].tolist(), strict=True)))
    ids = dataset.derive(("ids_by_name", lang),
                         lambda: sorted(names, key=lambda c: sort_key(names[c])))
    city = st.selectbox(t("details.choose", lang), ids, key="city", index=None,
                        format_func=names.__getitem__, placeholder=t("details.none", lang))
    if not city:
        return
    details = city_details(dataset, city, lang)
    st.html(details_html(details, lang))
    st.html(text_html(t("details.similar", lang), "p", "innomap-similar-title"))
    if not details.similar:
        st.caption(t("details.similar_none", lang))
        return
    table = similar_table(details, lang)
    page_state().shown["similar"] = list(table.index)
    st.dataframe(table, hide_index=True, key="similar", width="stretch", on_select="rerun",
                 selection_mode="single-row")
    st.caption(t("details.similar_hint", lang))


def _render_download(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    st.download_button(t("main.download", lang), data=_csv_data(rows, filters, dataset, lang),
                       file_name=csv_filename(filters.slug(), lang), mime="text/csv",
                       key="download", icon=":material/download:", on_click="ignore")


def _csv_data(rows, filters: Filters, dataset: Dataset, lang: str):
    """Return the CSV: bytes for up to EAGER_CSV_ROWS rows (cached), else built on click."""
    if len(rows) > EAGER_CSV_ROWS:
        # A 10,000-row CSV takes half a second: build it only when asked for. Streamlit may
        # sweep such a click-built file away before a very busy browser fetches it.
        return partial(to_csv, rows, dataset, lang)
    # Bytes held by the session stay downloadable however many other sessions run.
    build = dataset.derive("csv", lambda: lru_cache(maxsize=32)(
        lambda lang, filters: to_csv(filters.apply(dataset.cities, broad_of(dataset)),
                                     dataset, lang)))
    return build(lang, filters)


def broad_of(dataset: Dataset) -> dict[str, set[str]]:
    """Return each focus area's broad themes (once per dataset)."""
    return dataset.derive("broad_of", lambda: {f.id: set(f.broad_themes)
                                               for f in dataset.taxonomy.focus_areas})


def render_table_tab(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    """Draw the download button and the table of places; a row picked selects its city."""
    # Its own tab: the grid's scripts are the heaviest on the page and would delay the map.
    _render_download(rows, filters, dataset, lang)
    if rows.empty:
        return
    table = city_table(rows, dataset, lang)
    page_state().shown["table"] = list(table.index)
    st.dataframe(table, hide_index=True, key="table", width="stretch", on_select="rerun",
                 selection_mode="single-row")
    st.caption(t("table.hint", lang))


def render_chart_tab(rows, dataset: Dataset, lang: str) -> None:
    """Draw how many places work on each focus area, coloured by macro-region."""
    st.caption(t("chart.caption", lang))
    if not rows.empty:
        st.altair_chart(focus_chart(focus_counts(rows, dataset, lang), lang), width="stretch")


def render_matrix_tab(rows, dataset: Dataset, lang: str) -> None:
    """Draw the place × focus-area matrix (an accessible alternative to the map)."""
    st.caption(t("matrix.caption", lang))
    if not rows.empty:
        st.dataframe(focus_matrix(rows, dataset, lang), key="matrix", width="stretch")


def render_about_tab(dataset: Dataset, lang: str) -> None:
    """Draw the programme's description and the data's provenance."""
    st.markdown(t("about.body", lang))
    source, licence = dataset.metadata.get("source", {}), dataset.metadata.get("licence", {})
    st.html(text_html(t("about.data", lang, source=source.get("title", "?"),
                        publisher=source.get("publisher", "?"), url=source.get("url", "?"),
                        retrieved=source.get("retrieved", "?"), licence=licence.get("name", "?")),
                      "p", "innomap-provenance"))


def render_data_error(err: DataError, lang: str) -> None:
    """Draw the page for a data file with no good version: every problem, and how to fix it."""
    st.title(t("app.title", lang), anchor=False)
    st.error(t("error.data", lang, path=code_span(err.path), count=len(err.problems)))
    st.code("\n".join(str(p) for p in err.problems[:200]), language=None)
    st.info(t("error.data_fix", lang))
