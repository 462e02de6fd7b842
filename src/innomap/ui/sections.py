"""The page's sections: sidebar, header and headline, the tabs' contents, the error page.

Each `render_*` draws one part of the page from the dataset, the filters and the language.
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path

import streamlit as st

from innomap.about import about_html
from innomap.citation import citation
from innomap.cities import Dataset
from innomap.export import FORMATS, export_bytes, export_filename
from innomap.filters import MATCH_MODES, Filters, headline, network_names, view_params, view_url
from innomap.i18n import format_date, format_number, sort_key, t
from innomap.schema import LANGS, MACRO_REGIONS, DataError
from innomap.shipped import WEB_DIR
from innomap.statement import statement_html
from innomap.ui.mapcomponent import show_cities
from innomap.ui.state import (
    current_filters,
    opened,
    page_params,
    page_state,
    reset_filters,
)
from innomap.views import (
    city_details,
    city_table,
    code_span,
    details_html,
    focus_chart,
    focus_counts,
    focus_matrix,
    print_list_html,
    similar_table,
    text_html,
)
from innomap.xlsx import MAX_CELL_CHARS, TextTooLong

PAGE_STYLE = WEB_DIR / "page.css"
# Up to this many rows the files are built with the page (20 rows: CSV 5 ms, Excel 10 ms).
EAGER_ROWS = 1000


def render_style() -> None:
    """Add the page's stylesheet (style-only HTML takes no space on the page)."""
    st.html(PAGE_STYLE)


def _multiselect(label: str, options, default, **kwargs) -> None:
    """Draw a filter's multiselect in the sidebar, without Streamlit's "Select all"."""
    # Choosing every option filters nothing (any) or nearly everything away (all), and the
    # bulk action sits where a hurried click on the first option lands.
    st.sidebar.multiselect(label, options, default, select_all=False, **kwargs)


def render_sidebar(dataset: Dataset, lang: str) -> Filters:
    """Draw the language switch and the filters; return the Filters they hold."""
    tax = dataset.taxonomy
    side = st.sidebar
    choose = t("sidebar.choose", lang)
    side.segmented_control(t("sidebar.language", lang), LANGS, key="lang",
                           format_func=lambda code: t(f"lang.{code}", code))
    side.header(t("sidebar.filters", lang), anchor=False)
    # Each widget's default is the view the session was opened with (state.opened).
    side.text_input(t("sidebar.search", lang), opened("q"), key="q", max_chars=200,
                    placeholder=t("sidebar.search_hint", lang))
    _multiselect(t("sidebar.focus", lang), tax.focus_ids, opened("focus"), key="focus",
                     placeholder=choose, format_func=lambda f: tax.focus_label(f, lang))
    _multiselect(t("sidebar.theme", lang), tax.broad_ids, opened("theme"), key="theme",
                     placeholder=choose, format_func=lambda b: tax.broad_label(b, lang))
    side.radio(t("sidebar.match", lang), MATCH_MODES, MATCH_MODES.index(opened("match")),
               key="match", horizontal=True, format_func=lambda m: t(f"sidebar.match_{m}", lang),
               help=t("sidebar.match_help", lang))
    _multiselect(t("sidebar.region", lang), MACRO_REGIONS, opened("region"), key="region",
                     placeholder=choose, format_func=lambda r: t(f"region.{r}", lang))
    bodies = dataset.bodies(lang)
    _multiselect(t("sidebar.body", lang), sorted(bodies, key=lambda b: sort_key(bodies[b])),
                     opened("body"), key="body", format_func=bodies.get, placeholder=choose)
    networks = network_names(dataset, lang)
    _multiselect(t("sidebar.network", lang), list(networks), opened("network"),
                     key="network", format_func=networks.get, placeholder=choose,
                     help=t("sidebar.network_help", lang))
    side.toggle(t("sidebar.partners", lang), opened("partners"), key="partners")
    side.button(t("sidebar.reset", lang), key="reset", on_click=reset_filters, width="stretch")
    return current_filters()


def render_header(dataset: Dataset, lang: str, notices: list[str],
                  stale: DataError | None) -> None:
    """Draw the title, the programme line, and notices about the URL and the data file."""
    # schema.validate guarantees every metadata member read here and below.
    programme = dataset.metadata["programme"][lang]
    st.title(t("app.title", lang), anchor=False)
    st.html(text_html(t("app.subtitle", lang, programme=programme), "p", "innomap-provenance"))
    for notice in notices:
        st.warning(t("notice.ignored_param", lang, param=code_span(notice)))
    if stale is not None:
        st.warning(_stale_notice(stale, lang))


def _stale_notice(err: DataError, lang: str) -> str:
    """Return the warning for a broken data file while its last good version is shown."""
    # The problems' own texts are English (for the CLI): the page names the file and the
    # first problem's place, and `innomap validate` tells the rest.
    first = err.problems[0]
    if first.place == "file":  # read_collection: missing, unreadable, empty, not JSON
        return t("error.stale_file", lang, path=code_span(err.path))
    return t("error.stale", lang, path=code_span(err.path), count=len(err.problems),
             place=code_span(first.place))


def render_headline(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    """Draw the count of places shown and the filters in words."""
    # Plain HTML, not Markdown: the search text comes from the URL and must stay text.
    st.html(text_html(headline(filters, len(rows), dataset, lang), "h2", "innomap-headline"))
    if rows.empty:
        st.info(t("main.empty", lang))


def render_map_tab(rows, filters: Filters, dataset: Dataset, lang: str,
                   static_dir: Path) -> None:
    """Draw the map beside the details panel, the downloads, and the list for print."""
    map_column, details_column = st.columns([3, 2])
    # The details first: its city picker decides which city the map shows selected.
    with details_column, st.container(key="details"):
        city = _render_details(dataset, lang)
    with map_column:
        show_cities(rows, dataset, lang, static_dir, city or "", networks=filters.network)
    _render_downloads(rows, filters, dataset, lang)
    _render_print_list(rows, dataset, lang)


def _render_print_list(rows, dataset: Dataset, lang: str) -> None:
    """Add the shown places as a table that only print shows (page.css)."""
    if not rows.empty:
        st.html(print_list_html(rows, dataset, lang))


def _render_details(dataset: Dataset, lang: str) -> str | None:
    names = dataset.derive(("names", lang), lambda: dict(zip(
        dataset.cities["id"].tolist(), dataset.cities[f"name_{lang}"].tolist(), strict=True)))
    ids = dataset.derive(("ids_by_name", lang),
                         lambda: sorted(names, key=lambda c: sort_key(names[c])))
    first = opened("city")
    city = st.selectbox(t("details.choose", lang), ids, key="city",
                        index=ids.index(first) if first in ids else None,
                        format_func=names.__getitem__, placeholder=t("details.none", lang))
    if not city:
        return None
    details = city_details(dataset, city, lang)
    st.html(details_html(details, lang))
    st.html(text_html(t("details.similar", lang), "p", "innomap-similar-title"))
    if not details.similar:
        st.caption(t("details.similar_none", lang))
        return city
    table = similar_table(details, lang)
    page_state().shown["similar"] = list(table.index)
    st.dataframe(table, hide_index=True, key="similar", width="stretch", on_select="rerun",
                 selection_mode="single-row")
    st.caption(t("details.similar_hint", lang))
    return city


# The download row, in the order shown: format, widget key and label. The CSV keeps the key
# "download" it had when it was the only file.
DOWNLOADS = (
    ("xlsx", "download_xlsx", "download.xlsx"),
    ("geojson", "download_geojson", "download.geojson"),
    ("csv", "download", "download.csv"),
)


def _render_downloads(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    """Offer the list as Excel, GeoJSON and CSV: one labelled row of buttons, in tab order,
    and a line saying which tool each file is for."""
    # The page's own address with this list's parameters (view_url restores what
    # st.context.url drops: the query and the closing slash).
    url = view_url(st.context.url, view_params(filters, lang))
    slug = filters.slug()
    with st.container(horizontal=True, key="downloads", vertical_alignment="center"):
        st.html(text_html(t("download.title", lang), "p", "innomap-downloads"), width="content")
        for fmt, key, label in DOWNLOADS:
            try:
                data = _export_data(fmt, rows, filters, dataset, lang, url)
            except TextTooLong as err:
                st.warning(_too_long_notice(err, lang))
                continue
            st.download_button(t(label, lang), data=data, mime=FORMATS[fmt], key=key,
                               file_name=export_filename(slug, lang, fmt),
                               icon=":material/download:", on_click="ignore",
                               type="primary" if fmt == "xlsx" else "secondary")
    # Text on the page, not tooltips: a tooltip opens on hover only, never by keyboard.
    st.html(text_html(t("download.hint", lang), "p", "innomap-download-hint"))


def _too_long_notice(err: TextTooLong, lang: str) -> str:
    """Return the notice for a text too long for an Excel cell, naming it in the language."""
    # Code spans: the row is a place's name from the data file, shown literally.
    values = {"column": code_span(err.column), "chars": format_number(err.chars, lang),
              "limit": format_number(MAX_CELL_CHARS, lang)}
    if err.row:
        return t("download.too_long", lang, row=code_span(err.row), **values)
    return t("download.too_long_field", lang, **values)


def _export_data(fmt: str, rows, filters: Filters, dataset: Dataset, lang: str, url: str):
    """Return a download's bytes for up to EAGER_ROWS rows (cached), else build on click."""
    if len(rows) > EAGER_ROWS:
        # A 10,000-row CSV takes half a second: build it only when asked for. Streamlit may
        # sweep such a click-built file away before a very busy browser fetches it.
        return partial(export_bytes, fmt, rows, dataset, filters, lang, url)
    # Bytes held by the session stay downloadable however many other sessions run.
    build = dataset.derive("exports", lambda: lru_cache(maxsize=96)(
        lambda fmt, lang, filters, url: export_bytes(
            fmt, filters.apply(dataset.cities, broad_of(dataset)), dataset, filters, lang, url)))
    return build(fmt, lang, filters, url)


def broad_of(dataset: Dataset) -> dict[str, set[str]]:
    """Return each focus area's broad themes (once per dataset)."""
    return dataset.derive("broad_of", lambda: {f.id: set(f.broad_themes)
                                               for f in dataset.taxonomy.focus_areas})


def render_table_tab(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    """Draw the downloads and the table of places; a row picked selects its city."""
    # Its own tab: the grid's scripts are the heaviest on the page and would delay the map.
    _render_downloads(rows, filters, dataset, lang)
    if rows.empty:
        return
    table = city_table(rows, dataset, lang)
    page_state().shown["table"] = list(table.index)
    # The grid is a canvas that prints only its visible rows, cut at the page's edge: print
    # shows the same list as the map tab instead.
    with st.container(key="table_view"):
        st.dataframe(table, hide_index=True, key="table", width="stretch", on_select="rerun",
                     selection_mode="single-row")
        st.caption(t("table.hint", lang))
    _render_print_list(rows, dataset, lang)


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
    facts = about_html(dataset, lang)
    if facts:
        st.html(facts)
    source, licence = dataset.metadata["source"], dataset.metadata["licence"]
    st.html(text_html(t("about.data", lang, source=source["title"],
                        publisher=source["publisher"], url=source["url"],
                        retrieved=format_date(source["retrieved"], lang),
                        licence=licence["name"]),
                      "p", "innomap-provenance"))


def render_statement_tab(lang: str) -> None:
    """Draw the accessibility statement (its contact comes from INNOMAP_CONTACT)."""
    st.html(statement_html(lang))


def render_citation(dataset: Dataset, filters: Filters, lang: str) -> None:
    """Draw the citation line for this exact view in the sidebar, with a copy button, and
    below the page for print (which leaves the sidebar out)."""
    url = view_url(st.context.url, page_params(filters, lang))
    line = citation(dataset.metadata, dataset.version, lang, url)
    side = st.sidebar
    side.html(text_html(t("cite.title", lang), "p", "innomap-citation-title"))
    side.code(line, language=None, wrap_lines=True)
    side.caption(t("cite.hint", lang))
    st.html(f'<div class="innomap-print-citation">{text_html(t("cite.title", lang), "p")}'
            f"{text_html(line, 'p')}</div>")


def render_data_error(err: DataError, lang: str) -> None:
    """Draw the page for a data file with no good version: every problem, and how to fix it."""
    st.title(t("app.title", lang), anchor=False)
    st.error(t("error.data", lang, path=code_span(err.path), count=len(err.problems)))
    st.code("\n".join(str(p) for p in err.problems[:200]), language=None)
    st.info(t("error.data_fix", lang))
    # The statement must be reachable from every view, this one too (law 306/2019).
    with st.expander(t("statement.title", lang)):
        render_statement_tab(lang)
