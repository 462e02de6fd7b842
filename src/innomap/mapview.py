"""Build the folium map: a constant offline base map and a compact layer of cities.

The base map depends only on the language, so streamlit-folium keeps one Leaflet map across
filter changes and only the city layer travels again. The cities go to the browser as compact
JSON (texts deduplicated into one table); popups and tooltips are built there on demand with
`textContent`, so no text from the data is ever parsed as HTML.
"""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd

from innomap.assets import css_links, js_links, regions_url
from innomap.cities import Dataset
from innomap.i18n import t
from innomap.mapelements import REGION_COLOURS, Runtime, runtime_config
from innomap.networks import roles_of
from innomap.shipped import WEB_DIR
from innomap.view import View

FINLAND_BOUNDS = [[59.7, 19.4], [70.1, 31.6]]
# How far users can zoom: out to the whole of Finland with its neighbours, in to a town. 3.5,
# not 4: a laptop's first view has a frame ~400 px tall, where Finland and the legend under
# it need zoom 4 and 413 px (issue 21); a shorter window still shows every city clear of it.
MIN_ZOOM = 3.5
MAX_ZOOM = 12
# Above this many places, markers are drawn on one canvas instead of as SVG elements.
CANVAS_THRESHOLD = 1000
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
POPUP_FIELDS = ("region", "role", "agreement", "networks", "body")
# Shown in a tooltip or popup while the texts file is on its way, or when it failed.
POPUP_NOTES = ("loading", "unavailable")
# How a city layer reaches the browser: a call of the runtime with the payload as JSON.
LAYER_CALL = "window.innomap.show("
# The fields of the payload's places, lines and links, named once for Python and the browser
# (web/wire.js decodes by it; setup() gets it in runtime_config). They travel as arrays in
# this order: keyed objects would make what a rerun sends (all places, texts in their file)
# 2.5 times as large at 20 places (3,765 B instead of 1,523 B) and 2.7 times at 1,000
# synthetic places (175 KB instead of 66 KB); 1.5 and 1.6 times with the texts included.
WIRE: dict[str, tuple[str, ...]] = {
    kind: tuple(fields)
    for kind, fields in json.loads((WEB_DIR / "wire.json").read_text(encoding="utf-8")).items()}


def build_base_map(lang: str, height: int = 600, tiles: bool = True) -> folium.Map:
    """Return the language's base map: Finland's regions, legend, optional web tiles."""
    # Fractional zoom lets tall, narrow Finland fill the frame instead of a whole level less.
    base = folium.Map(location=[65.0, 26.0], zoom_start=5, tiles=None, height=height,
                      zoom_snap=0.25, zoom_delta=0.5)
    # The zoom limits go on the Leaflet map itself: folium gives min_zoom and max_zoom to its
    # tile layer only, and with tiles=None Leaflet had none. Its maximum was then infinite, and
    # framing the cities in a frame still 0 px wide (a new iframe on a language switch) asked
    # for an infinite zoom: "Invalid LatLng object: (NaN, NaN)".
    base.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    # Per-instance lists: class-level default_js is shared by every map in the process.
    base.default_js = [(f"js{i}", url) for i, url in enumerate(js_links())]
    base.default_css = [(f"css{i}", url) for i, url in enumerate(css_links())]
    background = {"url": TILE_URL, "attribution": TILE_ATTRIBUTION, "maxZoom": 18,
                  "name": t("map.tiles", lang)} if tiles else None
    Runtime(runtime_config(lang, regions_url(), background, FINLAND_BOUNDS, WIRE)).add_to(base)
    return base


def nearest_city(rows: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """Return the id of the city nearest to a clicked point, or None for no rows."""
    if rows.empty:
        return None
    distance = (rows["lat"] - lat) ** 2 + (rows["lon"] - lon) ** 2
    return str(rows.loc[distance.idxmin(), "id"])


def fit_bounds(rows: gpd.GeoDataFrame) -> list[list[float]]:
    """Return [[south, west], [north, east]] around the rows (all of Finland for none)."""
    if rows.empty:
        return FINLAND_BOUNDS
    return [[float(rows["lat"].min()), float(rows["lon"].min())],
            [float(rows["lat"].max()), float(rows["lon"].max())]]


def city_layer_script(map_var: str, group_var: str, data: dict[str, Any]) -> str:
    """Return the JavaScript that draws a city payload into a Leaflet group on a map."""
    # Evaluated as script, not parsed as HTML; U+2028/9 are escaped for older JS engines.
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    blob = blob.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{LAYER_CALL}{map_var}, {group_var}, {blob});"


def city_layer_data(script: str) -> dict[str, Any]:
    """Return the city payload in a script or page city_layer_script wrote (its inverse)."""
    start = script.find(LAYER_CALL)
    brace = script.find("{", start) if start >= 0 else -1
    if brace < 0:
        raise ValueError(f"expected {LAYER_CALL}<map>, <group>, {{…}}) in the script, "
                         f"got {script[:120]!r}")
    # raw_decode stops at the object's end, whatever follows (a text may hold "});").
    return json.JSONDecoder().raw_decode(script, brace)[0]


def city_payload(view: View, selected: str = "", catalogue: str | None = None) -> dict[str, Any]:
    """Return what the browser needs on a rerun to draw the view's rows: places, not texts.

    Places, partner lines and network links are arrays whose fields web/wire.json names (the
    `WIRE` schema, read by the browser's decoder too). A place is its id, lat, lon, partner
    (1 for a partner town), region (an index into REGION_COLOURS, -1 for none), then indexes
    into the texts of `place_texts`: name, area (maakunta and macro-region), role, agreement,
    body and priorities, focus (an index into its focus sets) and networks. With a
    `catalogue` URL the browser fetches those once (the dashboard); without, they are included
    (a self-contained map). The view's chosen networks get links (lead city to each member).
    """
    rows, lang = view.rows, view.lang
    places = _catalogue(view)[0]
    shown = [places[city] for city in rows["id"].tolist()]
    whole = rows.empty or len(rows) == len(view.dataset.cities)
    return {
        "places": shown, "catalogue": catalogue or place_texts(view),
        "labels": {"priorities": t("popup.priorities", lang),
                   **{f: t(f"popup.{f}", lang) for f in (*POPUP_FIELDS, *POPUP_NOTES)}},
        "lines": partner_lines(view),
        "links": network_links(view),
        # Everything (or nothing) shown: frame all of Finland, not just the cities' extent.
        "bounds": FINLAND_BOUNDS if whole else fit_bounds(rows),
        "selected": selected, "canvas": len(shown) > CANVAS_THRESHOLD,
    }


def place_texts(view: View) -> dict[str, list]:
    """Return {texts, sets} of all places in the view's language: each distinct text once, and
    focus sets as lists of text indexes (the same for every view of the data and language)."""
    return _catalogue(view)[1]


def _catalogue(view: View) -> tuple[dict[str, list], dict[str, list]]:
    return view.dataset.derive(("catalogue", view.lang), lambda: _build_catalogue(view))


def _build_catalogue(view: View) -> tuple[dict[str, list], dict[str, list]]:
    dataset, lang = view.dataset, view.lang
    regions = list(REGION_COLOURS)
    agreements = _agreement_texts(view)
    labels = {f: dataset.taxonomy.focus_label(f, lang) for f in dataset.taxonomy.focus_ids}
    # Each distinct text gets the next number; dicts keep insertion order, so the keys are
    # the table.
    index: dict[str, int] = {}
    sets: list[list[int]] = []
    set_index: dict[tuple[str, ...], int] = {}
    places: dict[str, list] = {}
    # Whole columns as lists: iterating a frame's rows costs a hundred times more.
    columns = dataset.cities[["id", "lat", "lon", "role", "macro_region", f"maakunta_{lang}",
                              f"name_{lang}", f"body_{lang}", f"priorities_{lang}", "themes"]]
    for city, lat, lon, role, macro, maakunta, name, body, priorities, themes in zip(
            *(columns[c].tolist() for c in columns.columns), strict=True):
        focus = tuple(themes)
        if focus not in set_index:
            set_index[focus] = len(sets)
            sets.append([index.setdefault(labels[f], len(index)) for f in focus])
        # Numbered in this order: name, area, role, agreement, body, priorities, networks.
        strings = {"name": name, "area": f"{maakunta} · {t('region.' + macro, lang)}",
                   "role": t(f"role.{role}", lang), "agreement": agreements.get(city, ""),
                   "body": body, "priorities": priorities,
                   "networks": "; ".join(roles_of(dataset.networks, city, lang))}
        places[city] = _wire_row("place", {
            "id": city, "lat": round(float(lat), 5), "lon": round(float(lon), 5),
            "partner": int(role == "partner_town"),
            "region": regions.index(macro) if macro in regions else -1,
            "focus": set_index[focus],
            **{field: index.setdefault(text, len(index)) for field, text in strings.items()}})
    return places, {"texts": list(index), "sets": sets}


def _wire_row(kind: str, record: dict[str, Any]) -> list[Any]:
    """Return a record as the array the payload carries: its fields in WIRE[kind]'s order."""
    fields = WIRE[kind]
    if set(record) != set(fields):
        raise ValueError(f"a {kind} needs the fields {list(fields)} (web/wire.json), "
                         f"got {list(record)}")
    return [record[field] for field in fields]


def partner_lines(view: View) -> list[list[float]]:
    """Return a line (WIRE["line"]: lat, lon, leadLat, leadLon, region) per shown partner
    town, to its lead city."""
    dataset = view.dataset
    lines = dataset.derive("partner_lines", lambda: _build_partner_lines(dataset))
    return [lines[city] for city in view.rows["id"].tolist() if city in lines]


def network_links(view: View) -> list[list[Any]]:
    """Return a link (WIRE["link"]: leadLat, leadLon, memberLat, memberLon, network, member)
    per link shown.

    A network the view chose, with a confirmed lead, links the lead to each member; a link is
    drawn only when both of its cities are shown.
    """
    dataset, chosen = view.dataset, view.filters.network
    shown = set(view.rows["id"].tolist())
    links: list[list[Any]] = []
    for network in dataset.mapped_networks:
        if network.id not in chosen or network.lead is None or network.lead not in shown:
            continue
        lead = dataset.by_id[network.lead]
        links.extend(_wire_row("link", {
            "leadLat": lead.lat, "leadLon": lead.lon, "memberLat": dataset.by_id[m].lat,
            "memberLon": dataset.by_id[m].lon, "network": network.id, "member": m})
            for m in network.members if m != lead.id and m in shown)
    return links


def _build_partner_lines(dataset: Dataset) -> dict[str, list[float]]:
    regions = list(REGION_COLOURS)
    lines = {}
    for row in dataset.by_id.values():
        lead = dataset.by_id.get(row.lead_city) if row.role == "partner_town" else None
        if lead is not None:
            region = regions.index(row.macro_region) if row.macro_region in regions else -1
            lines[row.id] = _wire_row("line", {"lat": row.lat, "lon": row.lon,
                                               "leadLat": lead.lat, "leadLon": lead.lon,
                                               "region": region})
    return lines


def _agreement_texts(view: View) -> dict[str, str]:
    """Return, per city id, the popup's agreement line: lead city, co-members, partner towns."""
    return view.dataset.derive(("agreement_texts", view.lang),
                               lambda: _build_agreement_texts(view.dataset, view.lang))


def _build_agreement_texts(dataset: Dataset, lang: str) -> dict[str, str]:
    members: dict[str, list[Any]] = {}
    for row in dataset.by_id.values():
        members.setdefault(row.agreement, []).append(row)
    lines = {}
    for row in dataset.by_id.values():
        others = [r for r in members[row.agreement] if r.id != row.id]
        lines[row.id] = _agreement_line(row, others, lang)
    return lines


def _agreement_line(row: Any, others: list[Any], lang: str) -> str:
    name = f"name_{lang}"
    if row.role == "partner_town":
        return t("popup.partner_of", lang, lead=", ".join(getattr(r, name) for r in others
                                                          if r.role == "ecosystem_city"))
    shared = [getattr(r, name) for r in others if r.role == "ecosystem_city"]
    towns = [getattr(r, name) for r in others if r.role == "partner_town"]
    parts = []
    if shared:
        parts.append(t("popup.shared_with", lang, names=", ".join(shared)))
    if towns:
        parts.append(t("popup.partner_towns", lang, names=", ".join(towns)))
    return "; ".join(parts) or t("popup.own_agreement", lang)
