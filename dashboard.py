"""innomap: the ecosystem cities of Innovoivat kaupungit ja yhteisöt on a map of Finland.

A thin Streamlit shell: sidebar widgets → Filters → innomap calls → map, details, table, CSV.
Each widget's key is also its Filters field and its URL parameter.
"""

from __future__ import annotations

import logging
from functools import lru_cache, partial
from pathlib import Path

import streamlit as st

from innomap.assets import install_static
from innomap.cities import Dataset, DatasetStore, data_paths
from innomap.export import csv_filename, to_csv
from innomap.filters import MATCH_MODES, Choices, Filters, from_params
from innomap.i18n import format_number, pick_lang, sort_key, t
from innomap.mapview import nearest_city
from innomap.schema import LANGS, MACRO_REGIONS, DataError
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
from map_component import show_cities

APP_DIR = Path(__file__).resolve().parent
STATIC_DIR = APP_DIR / "static"
LOG = logging.getLogger("innomap")
# Up to this many rows the CSV is built with the page (about 5 ms for 20, 75 ms for 1,000).
EAGER_CSV_ROWS = 1000
FILTER_KEYS = ("focus", "theme", "region", "body", "q", "partners", "match")
# st.dataframe's toolbar offers its own CSV download that would bypass our formula escaping.
PAGE_STYLE = """<style>
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none !important; }
.innomap-headline { font-size: 1.5rem; font-weight: 600; margin: 0.25rem 0 0.5rem; }
.innomap-details h3 { font-size: 1.4rem; font-weight: 600; margin: 0.2rem 0 0.6rem; }
.innomap-details dl { display: grid; grid-template-columns: auto 1fr; gap: 0.15rem 0.8rem; }
.innomap-details dt { font-weight: 600; }
.innomap-details dd { margin: 0; }
.innomap-details, .innomap-headline { overflow-wrap: anywhere; }
.innomap-chip { display: inline-block; background: #e8eefb; color: #1c3f8a; border-radius: 0.5rem;
    padding: 0 0.45rem; margin: 0.1rem 0.2rem 0.1rem 0; font-size: 0.85rem; }
.innomap-similar-title { font-weight: 600; margin: 0.8rem 0 0.2rem; }
.innomap-provenance { font-size: 0.85rem; color: #6b6b6b; }
</style>"""


@st.cache_resource(show_spinner=False)
def _serve_assets() -> None:
    install_static(STATIC_DIR)


@st.cache_resource(show_spinner=False)
def _store() -> DatasetStore:
    """One store per server process: each data version is loaded and validated once."""
    return DatasetStore()


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _choose_lang() -> str:
    # A segmented control can be cleared; fall back to the URL or the browser's language then.
    if st.session_state.get("lang") not in LANGS:
        st.session_state.lang = pick_lang(st.query_params.get("lang"), st.context.locale)
    return st.session_state.lang


def _sync_from_url(dataset: Dataset) -> list[str]:
    """Put the URL's view into the widgets when the URL changed outside the app.

    That is the first run of a session (a shared link) and the browser's back and forward
    buttons; otherwise the widgets lead and the URL follows. Return notices for bad values.
    """
    params = _url_params()
    if st.session_state.get("_url") == params:
        return []
    choices = Choices(focus=dataset.taxonomy.focus_ids, theme=dataset.taxonomy.broad_ids,
                      body=tuple(dataset.bodies("fi")))
    filters, notices = from_params(params, choices)
    for key in FILTER_KEYS:
        value = getattr(filters, key)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    city = (params.get("city") or [""])[-1]
    if city and city not in set(dataset.cities["id"]):
        notices.append(f"city={city[:40]}")
        city = ""
    st.session_state.city = city or None
    lang = (params.get("lang") or [""])[-1]
    if lang in LANGS:
        st.session_state.lang = lang
    elif lang:
        notices.append(f"lang={lang[:40]}")
    return notices


def _keep_values_across_languages(lang: str) -> None:
    """Re-assert the widgets' values after a language switch, before they are drawn.

    Widgets send their values back as the labels they showed; in the new language those labels
    no longer match any option, and the choices would silently be lost.
    """
    if st.session_state.get("_drawn_lang") not in (None, lang):
        for key in (*FILTER_KEYS, "city"):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state._drawn_lang = lang


def _write_url(filters: Filters, lang: str) -> None:
    params: dict[str, str | list[str]] = {**filters.to_params(), "lang": lang}
    if st.session_state.get("city"):
        params["city"] = st.session_state.city
    st.query_params.from_dict(params)
    st.session_state._url = _url_params()


def _reset() -> None:
    for key in FILTER_KEYS:
        value = getattr(Filters(), key)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value


def _render_sidebar(dataset: Dataset, lang: str) -> Filters:
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
    side.button(t("sidebar.reset", lang), key="reset", on_click=_reset, width="stretch")
    return Filters(**{key: _widget_value(key) for key in FILTER_KEYS})


def _widget_value(key: str) -> object:
    value = st.session_state.get(key, getattr(Filters(), key))
    return tuple(value) if isinstance(value, list) else value


def _labels(dataset: Dataset, lang: str) -> dict[str, dict[str, str]]:
    tax = dataset.taxonomy
    return {
        "focus": {f: tax.focus_label(f, lang) for f in tax.focus_ids},
        "theme": {b: tax.broad_label(b, lang) for b in tax.broad_ids},
        "region": {r: t(f"region.{r}", lang) for r in MACRO_REGIONS},
        "body": dataset.bodies(lang),
        "_glue": {m: t(f"describe.{m}", lang) for m in MATCH_MODES},
        "_partners": {"off": t("describe.no_partners", lang)},
    }


def _render_header(dataset: Dataset, lang: str, notices: list[str]) -> None:
    programme = dataset.metadata.get("programme", {}).get(lang, "")
    st.title(t("app.title", lang), anchor=False)
    st.html(text_html(t("app.subtitle", lang, programme=programme), "p", "innomap-provenance"))
    for notice in notices:
        st.warning(t("notice.ignored_param", lang, param=code_span(notice)))


def _render_headline(shown: int, total: int, filters: Filters, dataset: Dataset,
                     lang: str) -> None:
    count = t("main.headline", lang, shown=format_number(shown, lang),
              total=format_number(total, lang))
    described = filters.describe(_labels(dataset, lang))
    # Plain HTML, not Markdown: the search text comes from the URL and must stay text.
    st.html(text_html(f"{count} · {described}" if described else count, "h3",
                      "innomap-headline"))


def _render_map(rows, dataset: Dataset, lang: str) -> None:
    show_cities(rows, dataset, lang, STATIC_DIR, st.session_state.get("city") or "")


def _take_selection(dataset: Dataset, lang: str) -> None:
    """Select the city whose marker, table row or similar-city row was clicked since last run."""
    clicked = (st.session_state.get("map") or {}).get("last_object_clicked")
    if clicked and clicked != st.session_state.get("_clicked"):
        st.session_state._clicked = clicked
        st.session_state.city = nearest_city(dataset.cities, clicked["lat"], clicked["lng"])
    for key in ("table", "similar"):
        picked = ((st.session_state.get(key) or {}).get("selection") or {}).get("rows", [])
        shown = st.session_state.get(f"_{key}_ids", [])
        if picked != st.session_state.get(f"_{key}_picked"):
            st.session_state[f"_{key}_picked"] = picked
            if picked and picked[0] < len(shown):
                st.session_state.city = shown[picked[0]]
                # A row picked in the table tab shows the city on the map, with its details.
                st.session_state.view = t("tab.map", lang)


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
    st.session_state._similar_ids = list(table.index)
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
        lambda lang, filters: to_csv(filters.apply(dataset.cities, _broad_of(dataset)),
                                     dataset, lang)))
    return build(lang, filters)


def _broad_of(dataset: Dataset) -> dict[str, set[str]]:
    return dataset.derive("broad_of", lambda: {f.id: set(f.broad_themes)
                                               for f in dataset.taxonomy.focus_areas})


def _render_map_tab(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    map_column, details_column = st.columns([3, 2])
    with map_column:
        _render_map(rows, dataset, lang)
    with details_column:
        _render_details(dataset, lang)
    _render_download(rows, filters, dataset, lang)


def _render_table_tab(rows, filters: Filters, dataset: Dataset, lang: str) -> None:
    # Its own tab: the grid's scripts are the heaviest on the page and would delay the map.
    _render_download(rows, filters, dataset, lang)
    if rows.empty:
        return
    table = city_table(rows, dataset, lang)
    st.session_state._table_ids = list(table.index)
    st.dataframe(table, hide_index=True, key="table", width="stretch", on_select="rerun",
                 selection_mode="single-row")
    st.caption(t("table.hint", lang))


def _render_overview(rows, dataset: Dataset, lang: str) -> None:
    st.caption(t("chart.caption", lang))
    if not rows.empty:
        st.altair_chart(focus_chart(focus_counts(rows, dataset, lang), lang), width="stretch")


def _render_matrix(rows, dataset: Dataset, lang: str) -> None:
    st.caption(t("matrix.caption", lang))
    if not rows.empty:
        st.dataframe(focus_matrix(rows, dataset, lang), key="matrix", width="stretch")


def _render_about(dataset: Dataset, lang: str) -> None:
    st.markdown(t("about.body", lang))
    _render_provenance(dataset, lang)


def _render_provenance(dataset: Dataset, lang: str) -> None:
    source, licence = dataset.metadata.get("source", {}), dataset.metadata.get("licence", {})
    st.html(text_html(t("about.data", lang, source=source.get("title", "?"),
                        publisher=source.get("publisher", "?"), url=source.get("url", "?"),
                        retrieved=source.get("retrieved", "?"), licence=licence.get("name", "?")),
                      "p", "innomap-provenance"))


def _render_data_error(err: DataError, lang: str) -> None:
    st.title(t("app.title", lang), anchor=False)
    st.error(t("error.data", lang, path=code_span(err.path), count=len(err.problems)))
    st.code("\n".join(str(p) for p in err.problems[:200]), language=None)
    st.info(t("error.data_fix", lang))


def _render_page(lang: str) -> None:
    try:
        dataset, stale = _store().get(*data_paths())
    except DataError as err:
        _render_data_error(err, lang)
        return
    notices = _sync_from_url(dataset)
    lang = _choose_lang()
    _take_selection(dataset, lang)
    _keep_values_across_languages(lang)
    filters = _render_sidebar(dataset, lang)
    _render_header(dataset, lang, notices)
    if stale is not None:
        st.warning(t("error.stale", lang, path=code_span(stale.path),
                     problem=code_span(str(stale.problems[0]))))
    rows = filters.apply(dataset.cities, _broad_of(dataset))
    _render_headline(len(rows), len(dataset.cities), filters, dataset, lang)
    if rows.empty:
        st.info(t("main.empty", lang))
    # Style-only HTML goes to the event container: no space taken, no Markdown-HTML parser.
    st.html(PAGE_STYLE)
    # Tabs track which one is open, so hidden tabs cost nothing on a rerun.
    tab_map, tab_table, tab_chart, tab_matrix, tab_about = st.tabs([
        t("tab.map", lang), t("tab.table", lang), t("tab.chart", lang), t("tab.matrix", lang),
        t("tab.about", lang)], key="view", on_change="rerun")
    if tab_map.open:
        with tab_map:
            _render_map_tab(rows, filters, dataset, lang)
    if tab_table.open:
        with tab_table:
            _render_table_tab(rows, filters, dataset, lang)
    if tab_chart.open:
        with tab_chart:
            _render_overview(rows, dataset, lang)
    if tab_matrix.open:
        with tab_matrix:
            _render_matrix(rows, dataset, lang)
    if tab_about.open:
        with tab_about:
            _render_about(dataset, lang)
    _write_url(filters, lang)


def main() -> None:
    """Render the dashboard; show users a plain message, never a traceback."""
    st.set_page_config(page_title="innomap", page_icon="🗺️", layout="wide")
    lang = _choose_lang()
    try:
        _serve_assets()
        _render_page(lang)
    except Exception:
        LOG.exception("innomap failed to render")
        st.error(t("error.unexpected", lang))


main()
