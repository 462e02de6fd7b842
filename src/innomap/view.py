"""One view of the data: the dataset, the filters and the language, and what follows from them.

The page builds one View per rerun and hands it to its sections, the map and the exports; the
CLI builds one per command. The filtered rows are computed once, when the View is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd

from innomap.cities import Dataset
from innomap.filters import Filters, Labels, labels, view_params, view_url
from innomap.i18n import format_number, t


@dataclass(frozen=True, eq=False)
class View:
    """What one rerun (or one CLI command) shows, in which language, and where it lives."""

    dataset: Dataset
    lang: str
    # The cities shown, in the file's order: the filters applied once, by View.of.
    rows: gpd.GeoDataFrame
    filters: Filters = field(default_factory=Filters)
    # The page's address (st.context.url, or the CLI's --url): the exports link to the view
    # there. None: links are the view's query string alone.
    base_url: str | None = None

    @classmethod
    def of(cls, dataset: Dataset, filters: Filters | None = None, lang: str = "fi",
           base_url: str | None = None) -> View:
        """Return the view of the cities that pass the filters (all of them without)."""
        filters = filters or Filters()
        return cls(dataset, lang, filters.apply(dataset.cities, broad_themes(dataset)), filters,
                   base_url)

    def t(self, key: str, **values: object) -> str:
        """Translate a message key into the view's language."""
        return t(key, self.lang, **values)

    @cached_property
    def labels(self) -> Labels:
        """Return the filters' values in words in the view's language (Filters.describe)."""
        return labels(self.dataset, self.lang)

    @cached_property
    def headline(self) -> str:
        """Return how many places are shown, then the filters in words."""
        count = self.t("main.headline", shown=format_number(len(self.rows), self.lang),
                       total=format_number(len(self.dataset.cities), self.lang))
        described = self.filters.describe(self.labels)
        return f"{count} · {described}" if described else count

    @cached_property
    def list_url(self) -> str:
        """Return the address that reopens this list: its filters and language."""
        return view_url(self.base_url, view_params(self.filters, self.lang))


def broad_themes(dataset: Dataset) -> dict[str, set[str]]:
    """Return each focus area's broad themes (once per dataset), as Filters.apply takes them."""
    return dataset.derive("broad_of", lambda: {f.id: set(f.broad_themes)
                                               for f in dataset.taxonomy.focus_areas})
