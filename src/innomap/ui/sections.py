"""The page's sections: sidebar, header and headline, the tabs' contents, the error page.

Each `render_*` draws one part of the page from the dataset, the filters and the language.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import streamlit as st

from innomap.about import about_html, version_html
from innomap.assets import PAGE_SCRIPTS, hashed_name
from innomap.citation import citation
from innomap.embedding import embed_code, frame_origin
from innomap.export import FORMATS, export_bytes, export_filename
from innomap.filters import KINDS, MAX_QUERY_CHARS, FilterKind, Filters, Labels, view_url
from innomap.i18n import format_date, format_number, sort_key, streamlit_texts, t
from innomap.mapcaption import alt_text
from innomap.mapsizes import SIZES
from innomap.schema import LANGS, DataError
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
from innomap.view import View
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
# The map's room until page.css sizes it: the frame's largest height there (page.css), so that
# what follows the map is below the first view before the styles arrive as it is after.
MAP_RESERVE_PX = 1400
# The map and details columns' widths, without and with a chosen city.
DETAILS_SPLIT = {False: (7, 2), True: (3, 2)}
# Up to this many rows the files are built with the page (20 rows: CSV 5 ms, Excel 10 ms).
EAGER_ROWS = 1000
# Export files kept, by format, data version, language, filters and view URL.
EXPORTS_KEPT = 96


def render_style() -> None:
    """Add the page's stylesheet (style-only HTML takes no space on the page)."""
    st.html(PAGE_STYLE)


def render_page_texts(lang: str) -> None:
    """Put Streamlit's own English texts and the page's lang attribute in the language, on
    every tab (web/pagetexts.js; page.css hides its empty slot)."""
    # From the server's root, so that the URL also works behind server.baseUrlPath.
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    src = f"{'/' + base if base else ''}/app/static/{hashed_name(WEB_DIR / PAGE_SCRIPTS[0])}"
    texts = html.escape(json.dumps(streamlit_texts(lang), ensure_ascii=False), quote=True)
    st.html(f'<script class="innomap-page-texts" src="{src}" data-lang="{lang}" '
            f'data-texts="{texts}"></script>', unsafe_allow_javascript=True)


def render_sidebar(words: Labels, lang: str) -> Filters:
    """Draw the language switch and a widget per filter kind; return the Filters they hold.

    `words` are the filters' values in the language (filters.labels).
    """
    side = st.sidebar
    side.segmented_control(t("sidebar.language", lang), LANGS, key="lang",
                           format_func=lambda code: t(f"lang.{code}", code))
    side.header(t("sidebar.filters", lang), anchor=False)
    for kind in KINDS:
        _render_filter(kind, words.get(kind.name, {}), lang)
    side.button(t("sidebar.reset", lang), key="reset", on_click=reset_filters, width="stretch")
    return current_filters()


def _render_filter(kind: FilterKind, words: Mapping[str, str], lang: str) -> None:
    """Draw one filter kind's widget, keyed by its name, defaulting to the opened view, and
    its help as text under it."""
    side, name = st.sidebar, kind.name
    label = t(f"sidebar.{name}", lang)
    # Each widget's default is the view the session was opened with (state.opened).
    if kind.widget == "text":
        side.text_input(label, opened(name), key=name, max_chars=MAX_QUERY_CHARS,
                        placeholder=t(f"sidebar.{name}_hint", lang))
    elif kind.widget == "toggle":
        side.toggle(label, opened(name), key=name)
    elif kind.widget == "radio":
        side.radio(label, kind.fixed, kind.fixed.index(opened(name)), key=name,
                   horizontal=True, format_func=words.__getitem__)
    else:
        options = sorted(words, key=lambda v: sort_key(words[v])) if kind.sort else list(words)
        # No "Select all": choosing every option filters nothing (any) or nearly everything
        # away (all), and the bulk action sits where a hurried click on the first option lands.
        side.multiselect(label, options, opened(name), key=name, format_func=words.__getitem__,
                         placeholder=t("sidebar.choose", lang), select_all=False)
    # Text on the page, not help= (a tooltip): the keyboard reaches it, and Streamlit would
    # name the tooltip's icon "Help for …" in English.
    if kind.helped:
        side.caption(t(f"sidebar.{name}_help", lang))


def render_header(view: View, notices: list[str], stale: DataError | None) -> None:
    """Draw the title, the programme line, and notices about the URL and the data file."""
    lang = view.lang
    # schema.validate guarantees every metadata member read here and below.
    programme = view.dataset.metadata["programme"][lang]
    st.title(t("app.title", lang), anchor=False)
    # One element, two forms (page.css shows the disclosure on a phone): the line on a wide
    # screen; on a phone it folds, so that the map starts in the first screenful (issue 21).
    # Their sizes are inline (BOX_STYLES): the tabs below must not move, page.css or not.
    subtitle = _boxed(text_html(t("app.subtitle", lang, programme=programme), "p",
                                "innomap-provenance"), "p")
    summary = _boxed(text_html(t("app.intro", lang), "summary"), "summary")
    st.html(f'<div class="innomap-intro-wide" style="{BOX_STYLES["wide"]}">{subtitle}</div>'
            f'<details class="innomap-intro-narrow" style="{BOX_STYLES["narrow"]}">{summary}'
            f"{subtitle}</details>")
    for notice in notices:
        st.warning(t("notice.ignored_param", lang, param=code_span(notice)))
    if stale is not None:
        st.warning(_stale_notice(stale, lang))


# The header's st.html blocks, sized inline: until st.html's code arrives each is a 40 px
# placeholder, and page.css may apply a moment after their HTML. At 40 px (the programme's
# line up to two lines, the headline one line), the tabs below never move (issue 21).
BOX_STYLES = {
    "wide": "min-height: 2.5rem",
    "narrow": "display: none",
    "p": "margin: 0; font-size: 0.85rem; line-height: 1.25rem",
    "summary": "line-height: 2.5rem",
    "h2": "margin: 0; padding: 0; font-size: 1.5rem; font-weight: 600; line-height: 2.5rem",
}


def _boxed(html_text: str, tag: str) -> str:
    """Return the HTML with its first `tag` element given BOX_STYLES[tag] inline."""
    return html_text.replace(f"<{tag}", f'<{tag} style="{BOX_STYLES[tag]}"', 1)


def _stale_notice(err: DataError, lang: str) -> str:
    """Return the warning for a broken data file while its last good version is shown."""
    # The problems' own texts are English (for the CLI): the page names the file and the
    # first problem's place, and `innomap validate` tells the rest.
    first = err.problems[0]
    if first.place == "file":  # read_collection: missing, unreadable, empty, not JSON
        return t("error.stale_file", lang, path=code_span(err.path))
    return t("error.stale", lang, path=code_span(err.path), count=len(err.problems),
             place=code_span(first.place))


def render_headline(view: View) -> None:
    """Draw the count of places shown and the filters in words."""
    # Plain HTML, not Markdown: the search text comes from the URL and must stay text.
    st.html(_boxed(text_html(view.headline, "h2", "innomap-headline"), "h2"))
    if view.rows.empty:
        st.info(view.t("main.empty"))


def render_map_tab(view: View, static_dir: Path) -> None:
    """Draw the map beside the details panel, the downloads, and the list for print."""
    # With no city chosen the details column holds only the city picker: the map takes 7/9
    # of the row; a chosen city's details take the room they need (issue 21). The picker's
    # value is in the session (a click on the map set it already: state.take_selection).
    chosen = st.session_state["city"] if "city" in st.session_state else opened("city")
    map_column, details_column = st.columns(DETAILS_SPLIT[bool(chosen)])
    # The details first: its city picker decides which city the map shows selected.
    with details_column, st.container(key="details"):
        city = _render_details(view)
    # A box of a fixed height holds the map's room from the first paint, before page.css
    # (loaded with st.html's lazily loaded code) sizes it to the screen: what follows the map
    # is below the first view before and after, so it never moves in sight (issue 21).
    with map_column, st.container(height=MAP_RESERVE_PX, border=False, key="map_box"):
        show_cities(view, static_dir, city or "")
    _render_downloads(view)
    _render_print_list(view)


def _render_print_list(view: View) -> None:
    """Add the shown places as a table that only print shows (page.css)."""
    if not view.rows.empty:
        st.html(print_list_html(view))


def _render_details(view: View) -> str | None:
    dataset, lang = view.dataset, view.lang
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
    details = city_details(view, city)
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
# The map as an image, after the size it is drawn at: format, widget key and label.
IMAGES = (
    ("png", "download_png", "download.png"),
    ("svg", "download_svg", "download.svg"),
)


def _render_downloads(view: View) -> None:
    """Offer the list as Excel, GeoJSON and CSV and the map as an image (PNG, SVG, in a size
    chosen beside them): one labelled row, in tab order, a line saying which tool each file is
    for, and the image's text alternative."""
    lang, slug = view.lang, view.filters.slug()
    with st.container(horizontal=True, key="downloads", vertical_alignment="center"):
        st.html(text_html(t("download.title", lang), "p", "innomap-downloads"), width="content")
        for fmt, key, label in DOWNLOADS:
            try:
                data = _export_data(fmt, view)
            except TextTooLong as err:
                st.warning(_too_long_notice(err, lang))
                continue
            st.download_button(t(label, lang), data=data, mime=FORMATS[fmt], key=key,
                               file_name=export_filename(slug, lang, fmt),
                               icon=":material/download:", on_click="ignore",
                               type="primary" if fmt == "xlsx" else "secondary")
        _render_image_downloads(view)
    # Text on the page, not tooltips: a tooltip opens on hover only, never by keyboard.
    st.html(text_html(t("download.hint", lang), "p", "innomap-download-hint"))
    st.html(text_html(f"{t('image.description', lang)}: {alt_text(view)}", "p",
                      "innomap-image-description"))


def _render_image_downloads(view: View) -> None:
    """Offer the map as PNG and SVG in the chosen size, drawn only when a button is pressed
    (a second of work at 1,000 places) and then kept for the view (_export_file)."""
    lang, slug = view.lang, view.filters.slug()
    size = st.radio(t("image.size", lang), tuple(SIZES), key="image_size", horizontal=True,
                    format_func=lambda name: t(f"image.size.{name}", lang), width="content")
    for fmt, key, label in IMAGES:
        # A callable: Streamlit runs it when the button is pressed, not on every rerun.
        st.download_button(t(label, lang), data=partial(_export_file, fmt, _export_key(view),
                                                        view, size),
                           mime=FORMATS[fmt], key=key, on_click="ignore",
                           file_name=export_filename(slug, lang, fmt, size),
                           icon=":material/image:", type="secondary")


def _too_long_notice(err: TextTooLong, lang: str) -> str:
    """Return the notice for a text too long for an Excel cell, naming it in the language."""
    # Code spans: the row is a place's name from the data file, shown literally.
    values = {"column": code_span(err.column), "chars": format_number(err.chars, lang),
              "limit": format_number(MAX_CELL_CHARS, lang)}
    if err.row:
        return t("download.too_long", lang, row=code_span(err.row), **values)
    return t("download.too_long_field", lang, **values)


def _export_data(fmt: str, view: View) -> bytes | Callable[[], bytes]:
    """Return a download's bytes for up to EAGER_ROWS rows (cached), else build on click."""
    if len(view.rows) > EAGER_ROWS:
        # A 10,000-row CSV takes half a second: build it only when asked for. Streamlit may
        # sweep such a click-built file away before a very busy browser fetches it.
        return partial(export_bytes, fmt, view)
    # Bytes held by the session stay downloadable however many other sessions run.
    return _export_file(fmt, _export_key(view), view)


def _export_key(view: View) -> tuple:
    """Return what names a view's files: the data, language, filters and view URL."""
    dataset = view.dataset
    return dataset.path, dataset.version, view.lang, repr(view.filters), view.list_url


@st.cache_resource(show_spinner=False, max_entries=EXPORTS_KEPT)
def _export_file(fmt: str, key: tuple, _view: View, size: str = "slide") -> bytes:
    """Return one export file, built once per format, key (the view, named by its values)
    and image size."""
    # The view itself is not hashed (underscore): its key names the data, language and filters.
    return export_bytes(fmt, _view, size)


def render_table_tab(view: View) -> None:
    """Draw the downloads and the table of places; a row picked selects its city."""
    # Its own tab: the grid's scripts are the heaviest on the page and would delay the map.
    _render_downloads(view)
    if view.rows.empty:
        return
    lang = view.lang
    table = city_table(view)
    page_state().shown["table"] = list(table.index)
    # The grid is a canvas that prints only its visible rows, cut at the page's edge: print
    # shows the same list as the map tab instead.
    with st.container(key="table_view"):
        st.dataframe(table, hide_index=True, key="table", width="stretch", on_select="rerun",
                     selection_mode="single-row")
        st.caption(t("table.hint", lang))
    _render_print_list(view)


def render_chart_tab(view: View) -> None:
    """Draw how many places work on each focus area, coloured by macro-region."""
    st.caption(view.t("chart.caption"))
    if not view.rows.empty:
        st.altair_chart(focus_chart(focus_counts(view), view.lang), width="stretch")


def render_matrix_tab(view: View) -> None:
    """Draw the place × focus-area matrix (an accessible alternative to the map)."""
    st.caption(view.t("matrix.caption"))
    if not view.rows.empty:
        st.dataframe(focus_matrix(view), key="matrix", width="stretch")


def render_about_tab(view: View) -> None:
    """Draw the programme's description and the data's provenance."""
    lang, meta = view.lang, view.dataset.metadata
    st.markdown(t("about.body", lang))
    facts = about_html(view)
    if facts:
        st.html(facts)
    source, licence = meta["source"], meta["licence"]
    st.html(text_html(t("about.data", lang, source=source["title"],
                        publisher=source["publisher"][lang], url=source["url"],
                        retrieved=format_date(source["retrieved"], lang),
                        licence=licence["name"]),
                      "p", "innomap-provenance"))
    st.html(version_html(view))


def render_statement_tab(lang: str) -> None:
    """Draw the accessibility statement (its contact comes from INNOMAP_CONTACT)."""
    st.html(statement_html(lang))


def render_citation(view: View) -> None:
    """Draw the citation line for this exact view in the sidebar, with a copy button, and
    below the page for print (which leaves the sidebar out)."""
    lang = view.lang
    # The page's address, with the city chosen in this run (the list's URL has none).
    url = view_url(view.base_url, page_params(view.filters, lang))
    line = citation(view.dataset.metadata, view.dataset.version, lang, url)
    # Keyed: the citation's code block is told apart from the embed code's below it.
    side = st.sidebar.container(key="citation")
    side.html(text_html(t("cite.title", lang), "p", "innomap-citation-title"))
    side.code(line, language=None, wrap_lines=True)
    side.caption(t("cite.hint", lang))
    st.html(f'<div class="innomap-print-citation">{text_html(t("cite.title", lang), "p")}'
            f"{text_html(line, 'p')}</div>")


def render_embed(view: View) -> None:
    """Draw the embed code for this view in the sidebar, with a copy button, and what the
    embedding site must allow."""
    # Only a page with an absolute address has one (st.context.url; a browser always sends it).
    try:
        code = embed_code(view.list_url, view.t("embed.frame_title", title=view.t("app.title"),
                                                headline=view.headline))
    except ValueError:
        return
    side = st.sidebar.container(key="embed")
    side.html(text_html(view.t("embed.title"), "p", "innomap-embed-title"))
    # A literal element, like the citation: the code is shown as text and copied as is.
    side.code(code, language=None, wrap_lines=True)
    side.caption(view.t("embed.hint", origin=code_span(frame_origin(view.list_url))))


def render_data_error(err: DataError, lang: str) -> None:
    """Draw the page for a data file with no good version: every problem, and how to fix it."""
    render_style()
    st.title(t("app.title", lang), anchor=False)
    st.error(t("error.data", lang, path=code_span(err.path), count=len(err.problems)))
    # The problems' own texts are English (innomap validate's): marked so, for screen readers
    # on a Finnish or Swedish page (WCAG 3.1.2).
    problems = html.escape("\n".join(str(p) for p in err.problems[:200]))
    st.html(f'<pre class="innomap-problems" lang="en">{problems}</pre>')
    st.info(t("error.data_fix", lang))
    # The statement must be reachable from every view, this one too (law 306/2019).
    with st.expander(t("statement.title", lang)):
        render_statement_tab(lang)
    render_page_texts(lang)
