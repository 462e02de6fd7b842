"""Filters as one small frozen value, and the registry of filter kinds that describes each once.

Each kind's name is the Filters field, the sidebar widget's key, the URL query parameter and the
CLI option (`--name`). The sidebar, URL parsing, the CLI and the headline all read `KINDS`:
adding a kind means a Filters field, a `FilterKind` and its words in the catalogues.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd

from innomap.cities import Dataset, fold, slugify
from innomap.i18n import t
from innomap.networks import display_name
from innomap.schema import MACRO_REGIONS

MATCH_MODES = ("any", "all")
MAX_QUERY_CHARS = 200
# The words of a filter's values in one language, per kind: {kind: {value id: words}}.
Labels = Mapping[str, Mapping[str, str]]
# Which cities a kind keeps: (cities, the filters, each focus area's broad themes) → a mask.
Keep = Callable[[gpd.GeoDataFrame, "Filters", Mapping[str, set[str]]], "pd.Series[bool]"]


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Kinds combine with AND; values within a kind with OR."""

    focus: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    network: tuple[str, ...] = ()
    q: str = ""
    partners: bool = True
    match: str = "any"

    def apply(self, cities: gpd.GeoDataFrame, broad_of: Mapping[str, set[str]]) -> gpd.GeoDataFrame:
        """Return the cities that pass every filter, in their original order.

        `broad_of` maps each focus-area id to the broad themes it belongs to.
        """
        keep = pd.Series(True, index=cities.index)
        for kind in KINDS:
            if kind.keep is not None and getattr(self, kind.name) != kind.default:
                keep &= kind.keep(cities, self, broad_of)
        return cities.loc[keep]

    def matches(self, have: set[str], wanted: tuple[str, ...]) -> bool:
        """Tell whether a city's values meet the wanted ones under the any/all switch."""
        if self.match == "all":
            return set(wanted) <= have
        return bool(have & set(wanted))

    def describe(self, labels: Labels, joiner: str = " · ") -> str:
        """Describe the active filters in words, using `labels[kind][value]` for display.

        The chosen values first (in the registry's order), then the search and the switches.
        """
        ordered = [k for k in KINDS if k.is_list] + [k for k in KINDS if not k.is_list]
        parts = [words for kind in ordered if (words := kind.words(self, labels))]
        return joiner.join(parts)

    def to_params(self) -> dict[str, str | list[str]]:
        """Return the non-default fields as URL query parameters."""
        params: dict[str, str | list[str]] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value == field.default:
                continue
            if isinstance(value, tuple):
                params[field.name] = list(value)
            elif isinstance(value, bool):
                params[field.name] = "1" if value else "0"
            else:
                params[field.name] = value
        return params

    def slug(self) -> str:
        """Return a short file-name-safe summary of the filters ("all" when none)."""
        words = [v for kind in KINDS if kind.is_list for v in getattr(self, kind.name)]
        if self.q.strip():
            words.append(self.q.strip())
        if not self.partners:
            words.append("no-partners")
        if len(words) > 1 and self.match == "all":
            words.insert(0, "all-of")
        text = "_".join(slugify(w) or "x" for w in words) or "all"
        return text[:80].rstrip("-_")


@dataclass(frozen=True)
class FilterKind:
    """One kind of filter: its name and how the sidebar, URL, CLI and headline treat it."""

    # The Filters field; also the widget key, the URL parameter and the CLI option --name.
    name: str
    # The sidebar's widget: "multiselect" (a list of ids), "text", "radio" or "toggle".
    widget: str
    # The CLI option's help (the CLI speaks English).
    cli_help: str
    # Which cities it keeps when set (None: it only changes how other kinds match).
    keep: Keep | None = None
    # Whether the filter names the any/all switch between its values (else always any).
    matched: bool = False
    # Whether the sidebar lists the values by their words (else in the data's order).
    sort: bool = False
    # Whether the sidebar shows the catalogue's "sidebar.<name>_help" beside it.
    helped: bool = False
    # The values it accepts whatever the data (else `choices` reads them from the data).
    fixed: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        """Tell whether the filter holds a list of chosen ids (validated against the data)."""
        return self.widget == "multiselect"

    @property
    def default(self) -> Any:
        """Return the value that filters nothing."""
        return getattr(Filters(), self.name)

    def words(self, filters: Filters, labels: Labels) -> str:
        """Return the headline's words for this kind's value in `filters` ("" when unset)."""
        value = getattr(filters, self.name)
        if self.is_list and value:
            glue = labels.get("_glue", {}).get(filters.match if self.matched else "any", "/")
            return f" {glue} ".join(labels.get(self.name, {}).get(v, v) for v in value)
        if self.widget == "text" and value.strip():
            return labels.get("_quote", {}).get("q", "“{q}”").format(q=value.strip())
        if self.widget == "toggle" and value != self.default:
            return labels.get("_partners", {}).get("off", "no partner towns")
        return ""


def _themes(cities: gpd.GeoDataFrame, filters: Filters, _: Mapping[str, set[str]]) -> pd.Series:
    return cities["themes"].map(lambda have: filters.matches(set(have), filters.focus))


def _broad(cities: gpd.GeoDataFrame, filters: Filters, broad_of: Mapping[str, set[str]]
           ) -> pd.Series:
    return cities["themes"].map(lambda have: filters.matches(
        set().union(*(broad_of.get(f, set()) for f in have)), filters.theme))


def _search(cities: gpd.GeoDataFrame, filters: Filters, _: Mapping[str, set[str]]) -> pd.Series:
    needle = fold(filters.q.strip())
    return cities["search"].map(lambda text: needle in text)


# In the sidebar's order (the headline names the lists first, see Filters.describe).
KINDS = (
    FilterKind("q", "text", "Free-text search over names and priorities.", _search),
    FilterKind("focus", "multiselect", "Focus-area id (repeatable).", _themes, matched=True),
    FilterKind("theme", "multiselect", "Broad-theme id (repeatable).", _broad, matched=True),
    FilterKind("match", "radio", "Match any or all chosen focus areas / broad themes (the "
               "other filters always match any).", fixed=MATCH_MODES, helped=True),
    FilterKind("region", "multiselect", "Major region (repeatable).",
               lambda c, f, _: c["macro_region"].isin(f.region), fixed=MACRO_REGIONS),
    FilterKind("body", "multiselect", "Intermediate-body id, e.g. uudenmaan-liitto.",
               lambda c, f, _: c["body"].isin(f.body), sort=True),
    FilterKind("network", "multiselect", "Lead-theme network id, e.g. battery_chemistry "
               "(repeatable).", lambda c, f, _: c["networks"].map(
                   lambda ids: bool(set(f.network).intersection(ids))), helped=True),
    FilterKind("partners", "toggle", "Include partner towns.",
               lambda c, f, _: c["role"] != "partner_town"),
)
KIND_NAMES = tuple(kind.name for kind in KINDS)
LIST_FIELDS = tuple(kind.name for kind in KINDS if kind.is_list)


def labels(dataset: Dataset, lang: str) -> dict[str, dict[str, str]]:
    """Return every list kind's values as {id: words} in a language, and the headline's glue.

    The ids are also what a URL or the CLI may choose (`choices`).
    """
    tax = dataset.taxonomy
    return dataset.derive(("filter_labels", lang), lambda: {
        "focus": {f: tax.focus_label(f, lang) for f in tax.focus_ids},
        "theme": {b: tax.broad_label(b, lang) for b in tax.broad_ids},
        "region": {r: t(f"region.{r}", lang) for r in MACRO_REGIONS},
        "body": dataset.bodies(lang),
        "network": {n.id: display_name(n, lang) for n in dataset.mapped_networks},
        "match": {m: t(f"sidebar.match_{m}", lang) for m in MATCH_MODES},
        "_glue": {m: t(f"describe.{m}", lang) for m in MATCH_MODES},
        "_partners": {"off": t("describe.no_partners", lang)},
        "_quote": {"q": t("describe.quote", lang)},
    })


def choices(dataset: Dataset) -> dict[str, tuple[str, ...]]:
    """Return the ids each list kind accepts from a URL or the command line."""
    words = labels(dataset, "fi")
    return {kind.name: kind.fixed or tuple(words[kind.name]) for kind in KINDS if kind.is_list}


def view_params(filters: Filters, lang: str) -> dict[str, str | list[str]]:
    """Return the URL parameters that reopen a list: the filters and the language."""
    return {**filters.to_params(), "lang": lang}


def view_url(base: str | None, params: Mapping[str, str | list[str]]) -> str:
    """Return the address of a view: the page `base` with the view's parameters.

    Without a base, just the query string. A query string or fragment already in `base` is
    replaced. Encoded as Streamlit writes st.query_params into the address bar; the page is a
    folder ("/" or "/innomap/"), and st.context.url leaves out its closing slash.
    """
    query = urlencode(params, doseq=True)
    if not base:
        return f"?{query}"
    scheme, netloc, path, _, _ = urlsplit(base)
    return urlunsplit((scheme, netloc, path if path.endswith("/") else path + "/", query, ""))


def from_params(params: Mapping[str, Any],
                allowed: Mapping[str, tuple[str, ...]]) -> tuple[Filters, list[str]]:
    """Build Filters from URL parameters; return it and a notice per ignored value.

    `allowed` gives the ids each list kind accepts (`choices`); a kind with fixed values
    accepts those.
    """
    notices: list[str] = []
    values: dict[str, Any] = {}
    for kind in KINDS:
        value, bad = _read(kind, params.get(kind.name), allowed)
        notices.extend(f"{kind.name}={_short(v)}" for v in bad)
        if value is not None:
            values[kind.name] = value
    return replace(Filters(), **values), notices


def _read(kind: FilterKind, raw: Any, allowed: Mapping[str, tuple[str, ...]]
          ) -> tuple[Any, list[str]]:
    """Return a kind's value in a URL parameter (None: absent or bad) and the bad values."""
    if kind.is_list:
        items = _as_list(raw)
        known = kind.fixed or allowed.get(kind.name, ())
        good = tuple(dict.fromkeys(v for v in items if v in known))
        return good or None, [v for v in items if v not in known]
    last = _last(raw)
    if last is None:
        return None, []
    if kind.widget == "text":
        return (last, []) if len(last) <= MAX_QUERY_CHARS else (None, [last])
    if kind.widget == "toggle":
        value = {"1": True, "0": False}.get(last)
        return (value, []) if value is not None else (None, [last])
    return (last, []) if last in kind.fixed else (None, [last])


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for item in items:
        out.extend(part for part in str(item).split(",") if part)
    return out


def _last(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."
