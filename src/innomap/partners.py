"""Partner finder: rank other municipalities by the networks, then the focus areas, they share
with a city."""

from __future__ import annotations

from dataclasses import dataclass

from innomap.cities import Dataset
from innomap.i18n import sort_key


@dataclass(frozen=True)
class Match:
    """A municipality like the chosen one: the networks both are in, the focus areas both have."""

    city: str
    shared: tuple[str, ...]
    similarity: float
    networks: tuple[str, ...] = ()


def find_city(dataset: Dataset, text: str) -> str | None:
    """Return the id of the city named by an id or a name in any language, else None."""
    wanted = text.strip().casefold()
    for row in dataset.cities.itertuples(index=False):
        names = (row.id, row.name_fi, row.name_sv, row.name_en)
        if wanted in (n.casefold() for n in names):
            return row.id
    return None


def rank_partners(dataset: Dataset, city_id: str, lang: str = "fi") -> list[Match]:
    """Rank municipalities outside the city's own agreement by what they share with it.

    More shared lead-theme networks first (real collaboration), then more shared focus areas;
    ties go to the closer overall profile (Jaccard similarity), then to alphabetical order in
    the given language.
    """
    cities = dataset.cities.set_index("id", drop=False)
    if city_id not in cities.index:
        raise KeyError(city_id)
    own = cities.loc[city_id]
    mine, my_networks = set(own["themes"]), set(own["networks"])
    matches = []
    for row in cities.itertuples(index=False):
        if row.agreement == own["agreement"]:
            continue
        shared = tuple(f for f in row.themes if f in mine)
        networks = tuple(n for n in row.networks if n in my_networks)
        if shared or networks:
            union = mine | set(row.themes)
            matches.append((Match(row.id, shared, len(shared) / len(union), networks),
                            getattr(row, f"name_{lang}")))
    matches.sort(key=lambda m: (-len(m[0].networks), -len(m[0].shared), -m[0].similarity,
                                sort_key(m[1])))
    return [match for match, _ in matches]
