"""Filters as one small frozen value: apply to cities, describe in words, round-trip via URL.

Each field's name is also the sidebar widget's key and the URL query parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd

from innomap.cities import Dataset, fold, slugify
from innomap.i18n import format_number, t
from innomap.networks import display_name
from innomap.schema import MACRO_REGIONS

MATCH_MODES = ("any", "all")
# The filters whose chosen values combine by the any/all switch; the rest always match any.
MATCHED_FIELDS = ("focus", "theme")
# The filters that hold a list of chosen values, in the order the headline names them.
LIST_FIELDS = ("focus", "theme", "region", "body", "network")
MAX_QUERY_CHARS = 200


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

    @property
    def is_default(self) -> bool:
        """Tell whether nothing is filtered."""
        return self == Filters()

    def apply(self, cities: gpd.GeoDataFrame, broad_of: Mapping[str, set[str]]) -> gpd.GeoDataFrame:
        """Return the cities that pass every filter, in their original order.

        `broad_of` maps each focus-area id to the broad themes it belongs to.
        """
        keep = pd.Series(True, index=cities.index)
        if self.focus:
            keep &= cities["themes"].map(lambda t: self._matches(set(t), self.focus))
        if self.theme:
            keep &= cities["themes"].map(
                lambda t: self._matches(set().union(*(broad_of.get(f, set()) for f in t)),
                                        self.theme)
            )
        if self.region:
            keep &= cities["macro_region"].isin(self.region)
        if self.body:
            keep &= cities["body"].isin(self.body)
        if self.network:
            chosen = set(self.network)
            keep &= cities["networks"].map(lambda ids: bool(chosen.intersection(ids)))
        if self.q.strip():
            needle = fold(self.q.strip())
            keep &= cities["search"].map(lambda text: needle in text)
        if not self.partners:
            keep &= cities["role"] != "partner_town"
        return cities.loc[keep]

    def _matches(self, have: set[str], wanted: tuple[str, ...]) -> bool:
        if self.match == "all":
            return set(wanted) <= have
        return bool(have & set(wanted))

    def describe(self, labels: Mapping[str, Mapping[str, str]], joiner: str = " · ") -> str:
        """Describe the active filters in words, using `labels[field][value]` for display."""
        parts = []
        glues = labels.get("_glue", {})
        for field in LIST_FIELDS:
            values = getattr(self, field)
            if values:
                named = [labels.get(field, {}).get(v, v) for v in values]
                # Only the theme filters follow the any/all switch; the others always use OR.
                mode = self.match if field in MATCHED_FIELDS else "any"
                parts.append(f" {glues.get(mode, '/')} ".join(named))
        if self.q.strip():
            quote = labels.get("_quote", {}).get("q", "“{q}”")
            parts.append(quote.format(q=self.q.strip()))
        if not self.partners:
            parts.append(labels.get("_partners", {}).get("off", "no partner towns"))
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
        words = [*self.focus, *self.theme, *self.region, *self.body, *self.network]
        if self.q.strip():
            words.append(self.q.strip())
        if not self.partners:
            words.append("no-partners")
        if len(words) > 1 and self.match == "all":
            words.insert(0, "all-of")
        text = "_".join(slugify(w) or "x" for w in words) or "all"
        return text[:80].rstrip("-_")


def labels(dataset: Dataset, lang: str) -> dict[str, dict[str, str]]:
    """Return the display words `Filters.describe` uses, in a language."""
    tax = dataset.taxonomy
    return {
        "focus": {f: tax.focus_label(f, lang) for f in tax.focus_ids},
        "theme": {b: tax.broad_label(b, lang) for b in tax.broad_ids},
        "region": {r: t(f"region.{r}", lang) for r in MACRO_REGIONS},
        "body": dataset.bodies(lang),
        "network": network_names(dataset, lang),
        "_glue": {m: t(f"describe.{m}", lang) for m in MATCH_MODES},
        "_partners": {"off": t("describe.no_partners", lang)},
        "_quote": {"q": t("describe.quote", lang)},
    }


def network_names(dataset: Dataset, lang: str) -> dict[str, str]:
    """Return the mapped networks as {id: name} in the language, in the file's order."""
    return {n.id: display_name(n, lang) for n in dataset.mapped_networks}


def headline(filters: Filters, shown: int, dataset: Dataset, lang: str) -> str:
    """Return the page's headline: how many places are shown, then the filters in words."""
    count = t("main.headline", lang, shown=format_number(shown, lang),
              total=format_number(len(dataset.cities), lang))
    described = filters.describe(labels(dataset, lang))
    return f"{count} · {described}" if described else count


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


@dataclass(frozen=True)
class Choices:
    """The values each filter field accepts, for validating URL input."""

    focus: tuple[str, ...]
    theme: tuple[str, ...]
    body: tuple[str, ...]
    region: tuple[str, ...] = MACRO_REGIONS
    network: tuple[str, ...] = ()


def from_params(params: Mapping[str, Any], choices: Choices) -> tuple[Filters, list[str]]:
    """Build Filters from URL parameters; return it and a notice per ignored value."""
    notices: list[str] = []
    values: dict[str, Any] = {}
    for name in LIST_FIELDS:
        raw = _as_list(params.get(name))
        allowed = getattr(choices, name)
        good = tuple(dict.fromkeys(v for v in raw if v in allowed))
        notices.extend(f"{name}={_short(v)}" for v in raw if v not in allowed)
        if good:
            values[name] = good
    q = _last(params.get("q"))
    if q is not None:
        if len(q) > MAX_QUERY_CHARS:
            notices.append(f"q={_short(q)}")
        else:
            values["q"] = q
    for name, allowed, convert in (
        ("partners", ("1", "0"), lambda v: v == "1"),
        ("match", MATCH_MODES, str),
    ):
        raw_value = _last(params.get(name))
        if raw_value is None:
            continue
        if raw_value in allowed:
            values[name] = convert(raw_value)
        else:
            notices.append(f"{name}={_short(raw_value)}")
    return replace(Filters(), **values), notices


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
