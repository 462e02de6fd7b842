"""innomap: the ecosystem cities of Innovoivat kaupungit ja yhteisöt on a map of Finland.

A thin Streamlit shell: sidebar widgets → Filters → innomap calls → map, table, CSV.
Each widget's key is also its Filters field and its URL parameter.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from innomap.assets import install_static
from innomap.cities import Dataset, data_paths, load_dataset
from innomap.export import csv_filename, to_csv
from innomap.filters import MATCH_MODES, Choices, Filters, from_params
from innomap.i18n import format_number, pick_lang, sort_key, t
from innomap.mapview import build_base_map, build_city_layer
from innomap.schema import LANGS, MACRO_REGIONS, DataError

APP_DIR = Path(__file__).resolve().parent
LOG = logging.getLogger("innomap")
FILTER_KEYS = ("focus", "theme", "region", "body", "q", "partners", "match")
# st.dataframe's toolbar offers its own CSV download that bypasses our formula escaping.
HIDE_TABLE_DOWNLOAD = """<style>
.st-key-table [data-testid="stElementToolbar"] button[aria-label="Download as CSV"],
.st-key-table [data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"])
{ display: none !important; }
</style>"""


@st.cache_resource(show_spinner=False)
def _serve_assets() -> None:
    install_static(APP_DIR / "static")


@st.cache_data(show_spinner=False, max_entries=4)
def _load(cities: str, themes: str, version: tuple) -> Dataset:
    return load_dataset(cities, themes)


def _file_version(*paths: Path) -> tuple:
    """Return (mtime, size) per file so the cache reloads when a file changes."""
    stats = []
    for path in paths:
        try:
            stat = path.stat()
            stats.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stats.append(None)
    return tuple(stats)


def _choose_lang() -> str:
    # A segmented control can be cleared; fall back to the URL or browser language then.
    if st.session_state.get("lang") not in LANGS:
        st.session_state.lang = pick_lang(st.query_params.get("lang"), st.context.locale)
    return st.session_state.lang


def _restore_from_url(dataset: Dataset) -> list[str]:
    """On a session's first run, put the URL's filters into the widgets; return notices."""
    if st.session_state.get("_restored"):
        return []
    st.session_state._restored = True
    choices = Choices(focus=dataset.taxonomy.focus_ids, theme=dataset.taxonomy.broad_ids,
                      body=tuple(dataset.bodies("fi")))
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    filters, notices = from_params(params, choices)
    for key in FILTER_KEYS:
        value = getattr(filters, key)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return notices


def _reset() -> None:
    for key in FILTER_KEYS:
        value = getattr(Filters(), key)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value


def _render_sidebar(dataset: Dataset, lang: str) -> Filters:
    tax = dataset.taxonomy
    side = st.sidebar
    side.segmented_control(t("sidebar.language", lang), LANGS, key="lang",
                           format_func=lambda code: t(f"lang.{code}", code))
    side.header(t("sidebar.filters", lang))
    side.text_input(t("sidebar.search", lang), key="q", placeholder=t("sidebar.search_hint", lang))
    side.multiselect(t("sidebar.focus", lang), tax.focus_ids, key="focus",
                     format_func=lambda f: tax.focus_label(f, lang),
                     placeholder=t("sidebar.choose", lang))
    side.multiselect(t("sidebar.theme", lang), tax.broad_ids, key="theme",
                     format_func=lambda b: tax.broad_label(b, lang),
                     placeholder=t("sidebar.choose", lang))
    side.radio(t("sidebar.match", lang), MATCH_MODES, key="match", horizontal=True,
               format_func=lambda m: t(f"sidebar.match_{m}", lang))
    side.multiselect(t("sidebar.region", lang), MACRO_REGIONS, key="region",
                     format_func=lambda r: t(f"region.{r}", lang),
                     placeholder=t("sidebar.choose", lang))
    bodies = dataset.bodies(lang)
    side.multiselect(t("sidebar.body", lang), sorted(bodies, key=lambda b: sort_key(bodies[b])),
                     key="body", format_func=bodies.get, placeholder=t("sidebar.choose", lang))
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


def _render_headline(shown: int, total: int, filters: Filters, dataset: Dataset,
                     lang: str) -> None:
    count = t("main.headline", lang, shown=format_number(shown, lang),
              total=format_number(total, lang))
    described = filters.describe(_labels(dataset, lang))
    st.subheader(f"{count} · {described}" if described else count, anchor=False)


def _render_table(rows, dataset: Dataset, lang: str) -> None:
    tax = dataset.taxonomy
    table = rows.assign(
        _name=rows[f"name_{lang}"],
        _role=rows["role"].map(lambda r: t(f"role.{r}", lang)),
        _region=rows["macro_region"].map(lambda r: t(f"region.{r}", lang)),
        _focus=rows["themes"].map(lambda fs: "; ".join(tax.focus_label(f, lang) for f in fs)),
    )
    columns = {"_name": "name", "_role": "role", "_region": "macro_region",
               f"maakunta_{lang}": "maakunta", f"body_{lang}": "intermediate_body",
               "_focus": "focus_areas", f"priorities_{lang}": "priorities"}
    view = table[list(columns)].rename(columns={k: t(f"col.{v}", lang)
                                                 for k, v in columns.items()})
    view = view.iloc[sorted(range(len(view)), key=lambda i: sort_key(view.iloc[i, 0]))]
    st.markdown(HIDE_TABLE_DOWNLOAD, unsafe_allow_html=True)
    st.dataframe(view, hide_index=True, key="table", width="stretch")


def _render_header(dataset: Dataset, lang: str) -> None:
    programme = dataset.metadata.get("programme", {}).get(lang, "")
    st.title(t("app.title", lang), anchor=False)
    st.caption(t("app.subtitle", lang, programme=programme))


def _render_footer(dataset: Dataset, lang: str) -> None:
    meta = dataset.metadata
    source = meta.get("source", {})
    licence = meta.get("licence", {})
    st.caption(t("main.footer", lang, source=source.get("title", "?"),
                 publisher=source.get("publisher", "?"), retrieved=source.get("retrieved", "?"),
                 licence=licence.get("name", "?")))


def _render_data_error(err: DataError, lang: str) -> None:
    st.error(t("error.data", lang, path=err.path, count=len(err.problems)))
    st.code("\n".join(str(p) for p in err.problems[:200]), language=None)
    st.info(t("error.data_fix", lang))


def _render_page(lang: str) -> None:
    cities_path, themes_path = data_paths()
    try:
        dataset = _load(str(cities_path), str(themes_path), _file_version(cities_path, themes_path))
    except DataError as err:
        st.title(t("app.title", lang), anchor=False)
        _render_data_error(err, lang)
        return
    notices = _restore_from_url(dataset)
    filters = _render_sidebar(dataset, lang)
    st.query_params.from_dict({**filters.to_params(), "lang": lang})
    _render_header(dataset, lang)
    for notice in notices:
        st.warning(t("notice.ignored_param", lang, param=notice))
    rows = filters.apply(dataset.cities, {f.id: set(f.broad_themes)
                                          for f in dataset.taxonomy.focus_areas})
    _render_headline(len(rows), len(dataset.cities), filters, dataset, lang)
    if rows.empty:
        st.info(t("main.empty", lang))
    st_folium(build_base_map(lang), feature_group_to_add=build_city_layer(rows, dataset, lang),
              returned_objects=[], key="map", height=600, use_container_width=True)
    st.download_button(t("main.download", lang), data=to_csv(rows, dataset, lang),
                       file_name=csv_filename(filters.slug(), lang), mime="text/csv",
                       key="download", icon=":material/download:")
    if not rows.empty:
        _render_table(rows, dataset, lang)
    _render_footer(dataset, lang)


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
