"""The About tab's sourced facts and networks as escaped HTML (pure: no Streamlit)."""

from __future__ import annotations

import html
import re

from innomap.changes import changelog, changelog_beside
from innomap.i18n import format_date, t
from innomap.networks import Network, month_text
from innomap.programme import TOPICS, Fact
from innomap.view import View


def source_link(url: str) -> str:
    """Return a link to a source page, named by its address without scheme and "www."."""
    site = url.split("://", 1)[-1].removeprefix("www.")
    return (f'<a href="{html.escape(url, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer">{html.escape(site)}</a>')


def _item(text: str, sources: tuple[str, ...], unconfirmed: bool, lang: str,
          after: str = "", *, escaped: bool = False) -> str:
    mark = (f'<span class="innomap-unconfirmed">{html.escape(t("about.unconfirmed", lang))}'
            "</span> " if unconfirmed else "")
    body = text if escaped else html.escape(text)
    return f"<li>{mark}{body} {sources_html(sources, lang)}{after}</li>"


def fact_item(fact: Fact, lang: str) -> str:
    """Return a fact as a list item: its sentence, the period it describes where it has one,
    its sources, and a dated note of what has changed since, with the note's own pages."""
    text = fact.sentence(lang)
    if fact.until:
        text += " " + t("about.until", lang, date=format_date(fact.until, lang))
    note = ""
    if fact.note:
        line = t("about.note", lang, date=format_date(fact.note.date, lang),
                 text=fact.note.text[lang])
        note = (f'<br><span class="innomap-note">{html.escape(line)} '
                f"{sources_html(fact.note.sources, lang)}</span>")
    return _item(text, fact.sources, fact.status != "confirmed", lang, note)


def sources_html(sources: tuple[str, ...], lang: str) -> str:
    """Return "(source: link)" or "(sources: link, link)" in the language."""
    word = t("about.source" if len(sources) == 1 else "about.sources", lang)
    links = ", ".join(source_link(url) for url in sources)
    return f'<span class="innomap-sources">({html.escape(word)}: {links})</span>'


def period_text(period: tuple[str, str | None], lang: str) -> str:
    """Return a period as "4/2023–12/2024", or "from 2023" in the language."""
    start, end = period
    if end is None:
        return t("about.period_from", lang, start=month_text(start))
    return f"{month_text(start)}–{month_text(end)}"


# Where the published name goes in about.network_published, filled after escaping.
_SLOT = "\x00"


def network_html(view: View, network: Network) -> str:
    """Return what is known of a network in one sentence-like line, as escaped HTML; a
    published name in another language is marked with its language (WCAG 3.1.2)."""
    dataset, lang = view.dataset, view.lang
    other = network.published_lang(lang)
    name = html.escape(network.name[lang])
    if other is not None:
        published = (f'<span lang="{other}">{html.escape(network.name[other])}</span>')
        said = html.escape(t("about.network_published", lang, name=_SLOT))
        name += (f" ({html.escape(t('network.translated', lang))}; "
                 f"{said.replace(_SLOT, published)})")
    parts = []
    if network.status != "confirmed":
        parts.append(t("about.network_unconfirmed", lang))
    else:
        lead = (t("about.network_lead", lang, name=dataset.city_name(network.lead, lang))
                if network.lead else t("about.network_no_lead", lang))
        names = ", ".join(dataset.city_name(c, lang) for c in network.members)
        parts += [lead, t("about.network_members", lang, names=names)]
    parts.append(period_text(network.period, lang))
    return " · ".join([name, *map(html.escape, parts)])


def about_html(view: View) -> str:
    """Return the programme's facts by topic, each with its sources, and the networks."""
    dataset, lang = view.dataset, view.lang
    by_topic: dict[str, list[Fact]] = {}
    for fact in dataset.programme:
        by_topic.setdefault(fact.topic, []).append(fact)
    sections = []
    for topic in TOPICS:
        items = [fact_item(f, lang) for f in by_topic.get(topic, [])]
        if topic == "networks":
            # A network with unconfirmed members says so in its own line.
            items += [_item(network_html(view, n), n.sources, False, lang, escaped=True)
                      for n in dataset.networks]
        if items:
            sections.append(f'<h4>{html.escape(t(f"about.topic.{topic}", lang))}</h4>'
                            f'<ul>{"".join(items)}</ul>')
    if not sections:
        return ""
    title = html.escape(t("about.facts", lang))
    return f'<div class="innomap-about"><h3>{title}</h3>{"".join(sections)}</div>'


# How many change-log entries the About tab shows (the newest first, as the file has them).
CHANGELOG_SHOWN = 3


def version_html(view: View) -> str:
    """Return the data version with its day, and the newest change-log entries in the
    language where the publisher keeps a log (data/CHANGES.md), as escaped HTML."""
    # Built once per dataset and language: every rerun draws the About tab.
    return view.dataset.derive(("version_html", view.lang), lambda: _version_html(view))


def _version_html(view: View) -> str:
    dataset, lang = view.dataset, view.lang
    entries = dataset.derive("changelog", lambda: changelog(changelog_beside(dataset.path)))
    day = entries[0].day if entries else dataset.metadata["source"]["retrieved"]
    line = t("about.version", lang, version=dataset.version, day=format_date(day, lang))
    out = f'<p class="innomap-version">{html.escape(line)}</p>'
    shown = [e for e in entries[:CHANGELOG_SHOWN] if e.lines[lang]]
    if not shown:
        return out
    items = "".join(f"<li>{html.escape(format_date(e.day, lang))}{_nested(e.lines[lang])}</li>"
                    for e in shown)
    return (f'{out}<div class="innomap-changes"><h4>{html.escape(t("about.changes", lang))}'
            f"</h4><ul>{items}</ul></div>")


def _nested(lines: list[str]) -> str:
    """Return Markdown bullet lines ("- a", "  - b") as nested lists, every text escaped."""
    out, depth = [], 0
    for line in lines:
        stripped = line.lstrip(" ")
        if not stripped.startswith("- "):
            continue
        level = (len(line) - len(stripped)) // 2 + 1
        while depth < level:
            out.append("<ul>")
            depth += 1
        while depth > level:
            out.append("</li></ul>")
            depth -= 1
        if out and out[-1] not in ("<ul>",):
            out.append("</li>")
        text = re.sub(r"\\(.)", r"\1", stripped[2:])
        out.append(f"<li>{html.escape(text)}")
    while depth:
        out.append("</li></ul>")
        depth -= 1
    return "".join(out)
