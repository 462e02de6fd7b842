"""Display tables and charts built from the filtered cities (pure: no Streamlit)."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from innomap.i18n import sort_key, t
from innomap.mapview import REGION_COLOURS
from innomap.networks import display_name, roles_of
from innomap.partners import Match, rank_partners
from innomap.schema import LANGS, MACRO_REGIONS
from innomap.view import View

if TYPE_CHECKING:
    import altair as alt

TABLE_COLUMNS = ("name", "role", "macro_region", "maakunta", "intermediate_body", "focus_areas",
                 "priorities")
# The printed list: the table's first columns, and at most this many rows (a synthetic data set
# of 10,000 places would print 200 pages and send a megabyte with every rerun).
PRINT_COLUMNS = ("name", "role", "maakunta", "macro_region")
PRINT_ROWS = 300


def code_span(text: str) -> str:
    """Return text as a Markdown code span: shown literally, never a link or directive."""
    text = text.replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def text_html(text: str, tag: str = "span", cls: str = "") -> str:
    """Return one escaped HTML element holding text (for st.html: no Markdown, no autolinks)."""
    attr = f' class="{html.escape(cls)}"' if cls else ""
    return f"<{tag}{attr}>{html.escape(text)}</{tag}>"


def nordic_order(rows: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    """Return rows sorted by name in the language, with å, ä, ö after z."""
    names = rows[f"name_{lang}"].tolist()
    return rows.iloc[sorted(range(len(names)), key=lambda i: sort_key(names[i]))]


def city_table(view: View) -> pd.DataFrame:
    """Return the city list as shown under the map, headers in the language, id as index."""
    tax, lang = view.dataset.taxonomy, view.lang
    ordered = nordic_order(view.rows, lang)
    values = {
        "name": ordered[f"name_{lang}"],
        "role": ordered["role"].map(lambda r: t(f"role.{r}", lang)),
        "macro_region": ordered["macro_region"].map(lambda r: t(f"region.{r}", lang)),
        "maakunta": ordered[f"maakunta_{lang}"],
        "intermediate_body": ordered[f"body_{lang}"],
        "focus_areas": ordered["themes"].map(
            lambda fs: "; ".join(tax.focus_label(f, lang) for f in fs)),
        "priorities": ordered[f"priorities_{lang}"],
    }
    table = pd.DataFrame({t(f"col.{c}", lang): values[c] for c in TABLE_COLUMNS})
    table.index = pd.Index(ordered["id"], name="id")
    return table


def print_list_html(view: View, limit: int = PRINT_ROWS) -> str:
    """Return the shown places as an escaped table for print only (name, role, regions)."""
    lang = view.lang
    table = city_table(view)
    headers = [t(f"col.{c}", lang) for c in PRINT_COLUMNS]
    head = "".join(text_html(h, "th") for h in headers)
    body = "".join("<tr>" + "".join(text_html(str(v), "td") for v in values) + "</tr>"
                   for values in table[headers].head(limit).itertuples(index=False))
    more = (text_html(t("print.more", lang, count=len(table) - limit), "p")
            if len(table) > limit else "")
    return (f'<div class="innomap-print-list"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{more}</div>")


def focus_matrix(view: View) -> pd.DataFrame:
    """Return a city × focus-area table of ✓ marks (an accessible alternative to the map)."""
    tax, lang = view.dataset.taxonomy, view.lang
    ordered = nordic_order(view.rows, lang)
    used = [f for f in tax.focus_ids if any(f in themes for themes in ordered["themes"])]
    matrix = pd.DataFrame(
        {tax.focus_label(f, lang): ["✓" if f in themes else "" for themes in ordered["themes"]]
         for f in used},
        index=pd.Index(ordered[f"name_{lang}"], name=t("col.name", lang)),
    )
    return matrix


def focus_counts(view: View) -> pd.DataFrame:
    """Return how many municipalities work on each focus area, split by macro-region."""
    tax, lang, rows = view.dataset.taxonomy, view.lang, view.rows
    counts = Counter((f, region) for themes, region in zip(rows["themes"], rows["macro_region"],
                                                           strict=True) for f in themes)
    records = [{"focus": tax.focus_label(f, lang), "region": t(f"region.{r}", lang),
                "count": counts[f, r]}
               for f in tax.focus_ids for r in MACRO_REGIONS if counts[f, r]]
    return pd.DataFrame(records, columns=["focus", "region", "count"])


def focus_chart(counts: pd.DataFrame, lang: str) -> alt.Chart:
    """Return a horizontal stacked bar chart of focus areas, coloured by macro-region."""
    # Imported here: Altair costs a third of a second at start and only this tab needs it.
    import altair as alt

    regions = [t(f"region.{r}", lang) for r in MACRO_REGIONS]
    totals = counts.groupby("focus", sort=False)["count"].sum().sort_values(ascending=False)
    # The columns named in the language: the chart's "Show data" shows them as its headers.
    focus, region, count = (t("chart.focus", lang), t("map.legend", lang),
                            t("chart.count", lang))
    data = counts.rename(columns={"focus": focus, "region": region, "count": count})
    return (
        alt.Chart(data)
        .mark_bar(aria=False)
        .encode(
            x=alt.X(field=count, aggregate="sum", type="quantitative", title=count,
                    axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(field=focus, type="nominal", title=None, sort=list(totals.index)),
            color=alt.Color(field=region, type="nominal", title=region,
                            scale=alt.Scale(domain=regions,
                                            range=[REGION_COLOURS[r] for r in MACRO_REGIONS])),
            order=alt.Order(field=region, type="nominal"),
            tooltip=[alt.Tooltip(field=focus, type="nominal"),
                     alt.Tooltip(field=region, type="nominal"),
                     alt.Tooltip(field=count, type="quantitative")],
        )
        # One image named by the caption's sentence in the language: without aria=False, Vega
        # names each bar, axis and legend in English ("X-axis titled …", "bar"); the counts
        # are text in the table and matrix tabs (the accessibility statement says so).
        .properties(height=max(120, 24 * len(totals)), description=t("chart.caption", lang))
        .configure(aria=False)
    )


@dataclass(frozen=True)
class Details:
    """Everything the details panel shows about one city."""

    id: str
    names: dict[str, str]
    region: str
    role: str
    agreement_members: list[str]
    partner_towns: list[str]
    lead_city: str
    body: str
    priorities: str
    # A priority that a page other than the programme text names, and that page ("" if none).
    additional: str
    additional_source: str
    focus: list[str]
    # Each as "name (lead)" or "name (member)".
    networks: list[str]
    # The pages the city's facts come from.
    sources: list[str]
    # (id, name, shared networks' names, shared focus areas' labels), best first.
    similar: list[tuple[str, str, list[str], list[str]]]


def city_details(view: View, city_id: str, limit: int = 8) -> Details:
    """Return the details of one city and the municipalities most like it."""
    dataset, lang = view.dataset, view.lang
    row = dataset.by_id[city_id]._asdict()
    others = [r for r in dataset.by_id.values()
              if r.agreement == row["agreement"] and r.id != city_id]
    tax = dataset.taxonomy
    similar = [_similar(view, m) for m in rank_partners(dataset, city_id, lang)[:limit]]
    return Details(
        id=city_id,
        names={code: row[f"name_{code}"] for code in LANGS},
        region=f"{row[f'maakunta_{lang}']} · {t('region.' + row['macro_region'], lang)}",
        role=t(f"role.{row['role']}", lang),
        agreement_members=[getattr(r, f"name_{lang}") for r in others
                           if r.role == "ecosystem_city"],
        partner_towns=[getattr(r, f"name_{lang}") for r in others if r.role == "partner_town"],
        lead_city=dataset.city_name(row["lead_city"], lang) if row["lead_city"] else "",
        body=row[f"body_{lang}"],
        priorities=row[f"priorities_{lang}"],
        additional=row[f"additional_{lang}"],
        additional_source=row["additional_source"],
        focus=[tax.focus_label(f, lang) for f in row["themes"]],
        networks=roles_of(dataset.networks, city_id, lang),
        sources=list(row["sources"]),
        similar=similar,
    )


def _similar(view: View, match: Match) -> tuple[str, str, list[str], list[str]]:
    dataset, lang = view.dataset, view.lang
    labels = [dataset.taxonomy.focus_label(f, lang) for f in match.shared]
    networks = [display_name(network, lang) for n in match.networks
                if (network := dataset.network(n)) is not None]
    return match.city, dataset.city_name(match.city, lang), networks, labels


def agreement_line(d: Details, lang: str) -> str:
    """Return the agreement fact: lead city, co-members and partner towns, or 'own'."""
    parts = []
    if d.lead_city:
        parts.append(t("details.lead_city", lang, name=d.lead_city))
    if d.agreement_members:
        parts.append(t("details.members", lang, names=", ".join(d.agreement_members)))
    if d.partner_towns:
        parts.append(t("details.partner_towns", lang, names=", ".join(d.partner_towns)))
    return "; ".join(parts) or t("details.own_agreement", lang)


def details_html(d: Details, lang: str) -> str:
    """Return the details panel as escaped HTML: every data text is shown as text."""
    e = html.escape
    facts = [("details.names", " · ".join(dict.fromkeys(d.names.values()))),
             ("details.region", d.region), ("details.role", d.role),
             ("details.agreement", agreement_line(d, lang))]
    if d.networks:
        facts.append(("details.networks", "; ".join(d.networks)))
    facts.append(("details.body", d.body))
    chips = "".join(text_html(name, "span", "innomap-chip") for name in d.focus)
    dl = "".join(f"<dt>{e(t(key, lang))}</dt><dd>{e(value)}</dd>" for key, value in facts)
    if d.sources:
        dl += f"<dt>{e(t('details.sources', lang))}</dt><dd>{source_links(d.sources)}</dd>"
    return (
        f'<div class="innomap-details" data-city="{e(d.id)}">'
        f"{text_html(d.names[lang], 'h3')}"
        f'<p class="innomap-priorities"><b>{e(t("details.priorities", lang))}:</b> '
        f"{e(d.priorities)}</p>{additional_html(d, lang)}"
        f'<p class="innomap-chips"><b>{e(t("details.focus", lang))}:</b> {chips}</p>'
        f"<dl>{dl}</dl></div>"
    )


def additional_html(d: Details, lang: str) -> str:
    """Return the priorities named beyond the programme text, with their page, or ""."""
    if not d.additional:
        return ""
    return (f'<p class="innomap-priorities"><b>{html.escape(t("details.additional", lang))}:'
            f"</b> {html.escape(d.additional)} ({source_links([d.additional_source])})</p>")


def source_links(urls: list[str] | tuple[str, ...]) -> str:
    """Return escaped links to source pages, each showing its address without the scheme."""
    e = html.escape
    return ", ".join(f'<a href="{e(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                     f"{e(url.removeprefix('https://'))}</a>" for url in urls)


def similar_table(d: Details, lang: str) -> pd.DataFrame:
    """Return the municipalities like this one as a table (id index): name, shared networks,
    number and names of shared focus areas."""
    return pd.DataFrame(
        {t("col.name", lang): [name for _, name, _, _ in d.similar],
         t("details.shared_networks", lang): ["; ".join(n) for _, _, n, _ in d.similar],
         t("details.shared_count", lang): [len(areas) for _, _, _, areas in d.similar],
         t("details.shared_areas", lang): ["; ".join(areas) for _, _, _, areas in d.similar]},
        index=pd.Index([other for other, _, _, _ in d.similar], name="id"),
    )
