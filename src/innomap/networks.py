"""The programme's lead-theme networks (vetovastuuhankkeet): which cities work together.

`load_networks` reads networks.json, checks it against the cities' ids and returns every
problem at once. Only confirmed memberships are entered: a network whose members are not
confirmed has status "unconfirmed", no members and no lead, and is never drawn on the map.

A name that no source gives in a language is innomap's translation: `translated` lists those
languages, and wherever the name is shown in one of them it is marked as a translation (the
About tab also gives the published name beside it).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from innomap.i18n import t
from innomap.schema import (
    LANGS,
    SLUG,
    DataError,
    Problem,
    check_translations,
    check_urls,
    describe,
    read_collection,
)

FILE_NAME = "networks.json"
STATUSES = ("confirmed", "unconfirmed")
FIELDS = ("id", "name", "lead", "members", "period", "sources", "status")
OPTIONAL_FIELDS = ("translated",)
# The order in which a published name is chosen to show beside a translated one.
PUBLISHED_ORDER = ("fi", "en", "sv")
# A period's ends: a year ("2023") or a month ("2023-04").
PERIOD_END = re.compile(r"^(19|20)[0-9]{2}(-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Network:
    """One lead-theme network: its names, lead city, member cities, period and sources."""

    id: str
    name: dict[str, str]
    lead: str | None
    members: tuple[str, ...]
    period: tuple[str, str | None]
    sources: tuple[str, ...]
    status: str
    translated: tuple[str, ...] = ()

    @property
    def mapped(self) -> bool:
        """Tell whether the network's members are confirmed, so that it may be mapped."""
        return self.status == "confirmed" and bool(self.members)

    def role_of(self, city: str) -> str | None:
        """Return "lead" or "member" for a city in this network, else None."""
        if city == self.lead:
            return "lead"
        return "member" if city in self.members else None

    def published_name(self, lang: str) -> str | None:
        """Return the published name to show beside a translated name, or None when the name
        in this language is itself the published one."""
        other = self.published_lang(lang)
        return None if other is None else self.name[other]

    def published_lang(self, lang: str) -> str | None:
        """Return the language of the published name shown beside a translated name (for its
        lang attribute), or None when the name in this language is itself the published one."""
        if lang not in self.translated:
            return None
        return next(other for other in PUBLISHED_ORDER
                    if other != lang and other not in self.translated)


def path_beside(cities_path: str | Path) -> Path:
    """Return where the networks file of a cities file is: beside it."""
    return Path(cities_path).with_name(FILE_NAME)


def load_networks(path: str | Path, city_ids: Collection[str]) -> tuple[Network, ...]:
    """Load and check a networks file against the cities' ids; raise DataError on problems."""
    data = read_collection(path, FILE_NAME, "the cities file's folder")
    problems = validate(data, city_ids)
    if problems:
        raise DataError(path, problems)
    return tuple(_network(item) for item in data["networks"])


def validate(data: dict[str, Any], city_ids: Collection[str]) -> list[Problem]:
    """Return every problem in a parsed networks file (empty when it is valid)."""
    items = data.get("networks")
    problems = [Problem("file", key, 'only "networks"', "an unknown member")
                for key in sorted(data.keys() - {"networks"})]
    if not isinstance(items, list):
        return [*problems, Problem("file", "networks", "a list of networks", describe(items))]
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = _where(index, item)
        if not isinstance(item, dict):
            problems.append(Problem(where, "", "an object", describe(item)))
            continue
        problems.extend(_check_network(where, item, city_ids))
        ident = item.get("id")
        if isinstance(ident, str) and ident in seen:
            problems.append(Problem(where, "id", f"a unique id (already used by "
                                                 f"networks[{seen[ident]}])", describe(ident)))
        elif isinstance(ident, str):
            seen[ident] = index
    return problems


def _where(index: int, item: Any) -> str:
    ident = item.get("id") if isinstance(item, dict) else None
    return f"networks[{index}] ({ident})" if isinstance(ident, str) else f"networks[{index}]"


def _check_network(where: str, item: dict, city_ids: Collection[str]) -> Iterator[Problem]:
    for field in FIELDS:
        if field not in item:
            yield Problem(where, field, "a value (field is required)", "nothing")
    for field in sorted(item.keys() - set(FIELDS) - set(OPTIONAL_FIELDS)):
        yield Problem(where, field, f"only known fields ({', '.join(FIELDS + OPTIONAL_FIELDS)})",
                      "an unknown field")
    if "translated" in item:
        yield from _check_translated(where, item["translated"])
    if "id" in item and (not isinstance(item["id"], str) or not SLUG.match(item["id"])):
        yield Problem(where, "id", 'a lowercase ASCII slug like "battery_chemistry"',
                      describe(item["id"]))
    if "name" in item:
        yield from check_translations(where, "name", item["name"])
    if "sources" in item:
        yield from check_urls(where, "sources", item["sources"])
    if "period" in item:
        yield from _check_period(where, item["period"])
    status = item.get("status")
    if "status" in item and status not in STATUSES:
        yield Problem(where, "status", 'one of "confirmed", "unconfirmed"', describe(status))
    yield from _check_members(where, item, city_ids)


def _check_translated(where: str, value: Any) -> Iterator[Problem]:
    expected = ("a list of the languages (fi, sv, en) whose name is innomap's translation, each "
                "once, leaving at least one published name")
    if (not isinstance(value, list) or not set(map(str, value)) <= set(LANGS)
            or len(set(map(str, value))) != len(value) or len(value) == len(LANGS)):
        yield Problem(where, "translated", expected, describe(value))


def _check_members(where: str, item: dict, city_ids: Collection[str]) -> Iterator[Problem]:
    members, lead, status = item.get("members"), item.get("lead"), item.get("status")
    if not isinstance(members, list):
        yield Problem(where, "members", "a list of city ids", describe(members))
        members = []
    for position, city in enumerate(members):
        if city not in city_ids:
            yield Problem(where, f"members[{position}]", "a city id from the cities file",
                          describe(city))
    if len(set(map(str, members))) != len(members):
        yield Problem(where, "members", "each city once", describe(members))
    if status == "confirmed" and len(members) < 2:
        yield Problem(where, "members", "at least two confirmed member cities", describe(members))
    if status == "unconfirmed" and (members or lead is not None):
        yield Problem(where, "members" if members else "lead",
                      "none for an unconfirmed network (enter only confirmed memberships)",
                      describe(members or lead))
    elif lead is not None and not isinstance(lead, str):
        yield Problem(where, "lead", "a city id, or null where the lead is not confirmed",
                      describe(lead))
    elif isinstance(lead, str) and lead not in members:
        yield Problem(where, "lead", "one of the network's members", describe(lead))


def _check_period(where: str, period: Any) -> Iterator[Problem]:
    if not isinstance(period, dict) or set(period) != {"start", "end"}:
        yield Problem(where, "period", 'an object {"start": "2023-04", "end": "2024-12" or null}',
                      describe(period))
        return
    start, end = period["start"], period["end"]
    if not isinstance(start, str) or not PERIOD_END.match(start):
        yield Problem(where, "period.start", 'a year or month like "2023" or "2023-04"',
                      describe(start))
    elif end is not None and (not isinstance(end, str) or not PERIOD_END.match(end)):
        yield Problem(where, "period.end", 'null, or a year or month like "2024-12"',
                      describe(end))
    elif end is not None and end[:len(start)] < start[:len(end)]:
        yield Problem(where, "period.end", f"not before the start {describe(start)}",
                      describe(end))


def _network(item: dict[str, Any]) -> Network:
    return Network(item["id"], dict(item["name"]), item["lead"], tuple(item["members"]),
                   (item["period"]["start"], item["period"]["end"]), tuple(item["sources"]),
                   item["status"], tuple(item.get("translated", ())))


def memberships(networks: tuple[Network, ...]) -> dict[str, tuple[str, ...]]:
    """Return, per city id, the mapped networks it belongs to, in the file's order."""
    out: dict[str, list[str]] = {}
    for network in networks:
        if network.mapped:
            for city in network.members:
                out.setdefault(city, []).append(network.id)
    return {city: tuple(ids) for city, ids in out.items()}


def month_text(value: str) -> str:
    """Return a period end as people write it: "2023-04" as "4/2023", a year as is."""
    year, _, month = value.partition("-")
    return f"{int(month)}/{year}" if month else year


def ended_text(network: Network, lang: str, today: date | None = None) -> str:
    """Return "ended 12/2024" in the language once the network's period is over, else ""."""
    end = network.period[1]
    if end is None:
        return ""
    # A year ends with its December; "2024-12" is over from January 2025 on.
    last = end if "-" in end else f"{end}-12"
    if (today or date.today()).isoformat()[:7] <= last:
        return ""
    return t("network.ended", lang, end=month_text(end))


def translated_text(network: Network, lang: str) -> str:
    """Return "innomap's translation" in the language where no source gives the name, else ""."""
    return t("network.translated", lang) if lang in network.translated else ""


def _named(network: Network, lang: str, *notes: str) -> str:
    """Return the name with its notes in brackets, the translation mark first ("; " between)."""
    shown = [note for note in (translated_text(network, lang), *notes) if note]
    return f"{network.name[lang]} ({'; '.join(shown)})" if shown else network.name[lang]


def display_name(network: Network, lang: str, today: date | None = None) -> str:
    """Return the network's name, marked "(innomap's translation)" where no source gives it
    in the language and "(ended 12/2024)" once its period is over."""
    return _named(network, lang, ended_text(network, lang, today))


def roles_of(networks: tuple[Network, ...], city: str, lang: str) -> list[str]:
    """Return a city's mapped networks as "name (lead)" or "name (member, ended 12/2024)",
    with the translation mark first where the name is innomap's."""
    out = []
    for network in networks:
        role = network.role_of(city) if network.mapped else None
        if role:
            notes = [t(f"network.{role}", lang), ended_text(network, lang)]
            out.append(_named(network, lang, ", ".join(n for n in notes if n)))
    return out
