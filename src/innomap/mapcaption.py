"""The map image's words: its title, its text alternative and its source line (pure).

The page shows the text alternative beside the download buttons, and the image files carry it
(PNG tEXt "Description", SVG dc:description), so it is cheap: no drawing needed.
"""

from __future__ import annotations

from innomap.i18n import format_date, format_number, t
from innomap.mapelements import REGION_COLOURS
from innomap.mapview import WIRE, network_links
from innomap.networks import display_name
from innomap.view import View


def title_of(view: View) -> str:
    """Return the data's title in the view's language (the image's title line)."""
    title = view.dataset.metadata.get("title")
    return str(title.get(view.lang, "")) if isinstance(title, dict) else str(title or "")


def source_line(view: View) -> str:
    """Return the image's attribution: source, publisher, retrieval date, data version,
    licence, the region borders' origin and the view's address."""
    meta, lang = view.dataset.metadata, view.lang
    source, licence = meta.get("source") or {}, meta.get("licence") or {}
    publisher = source.get("publisher")
    publisher = publisher.get(lang, "") if isinstance(publisher, dict) else publisher or ""
    parts = [f"{t('export.source', lang)}: {source.get('title', '')}, {publisher}, "
             f"{source.get('url', '')} ({t('export.retrieved', lang).lower()} "
             f"{format_date(str(source.get('retrieved', '')), lang)})",
             f"{t('export.version', lang)} {view.dataset.version}",
             f"{t('export.licence', lang)} {licence.get('name', '')}",
             t("image.borders", lang),
             f"{t('export.view', lang)}: {view.list_url}"]
    return " · ".join(parts)


def alt_text(view: View) -> str:
    """Return the image's description in the view's language: what it shows, how many
    places, how many in each macro-region, the partner towns and the chosen networks."""
    rows, lang = view.rows, view.lang
    counts = rows["macro_region"].value_counts()
    regions = [f"{t(f'region.{r}', lang)} {format_number(int(counts[r]), lang)}"
               for r in REGION_COLOURS if r in counts.index]
    sentences = [t("image.alt", lang, title=title_of(view), headline=view.headline,
                   count=format_number(len(rows), lang))]
    if regions:
        sentences.append(t("image.alt_regions", lang, regions=", ".join(regions)))
    partners = rows.loc[rows["role"] == "partner_town", f"name_{lang}"].tolist()
    if partners:
        sentences.append(t("image.alt_partners", lang, names=", ".join(partners)))
    linked = {link[WIRE["link"].index("network")] for link in network_links(view)}
    if linked:
        names = [display_name(n, lang) for n in view.dataset.networks if n.id in linked]
        sentences.append(t("image.alt_networks", lang, networks="; ".join(names)))
    return " ".join(sentences)
