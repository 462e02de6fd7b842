"""The real server with the shipped production config (.streamlit/config.toml), no browser.

The config turns Streamlit's source watcher off; these tests pin that a data file edited while
the server runs still reaches the next interaction, through innomap's own check. They talk to
the server over its WebSocket protocol with tests/support/wire.py, as a browser tab would.
"""

from __future__ import annotations

import asyncio
import tomllib

from tests.support import wire
from tests.support.harness import ARTIFACTS, ROOT, start_server
from tests.support.sessions import expected

QUERY = "lang=en"


def without(city: str):
    """Return an edit that drops one city from a feature collection."""

    def edit(collection: dict) -> None:
        collection["features"] = [f for f in collection["features"]
                                  if f["properties"]["id"] != city]

    return edit


def test_the_shipped_config_is_the_production_one() -> None:
    """No source watcher and no forced collection per run: see benchmarks/README.md (load)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


def test_a_data_edit_reaches_the_next_interaction(write_cities) -> None:
    """Valid edit: the next run shows it; broken edit: the last good data stays on the map."""
    path = write_cities()
    server = start_server(ARTIFACTS / "streamlit-data-edit.log", data=path)

    async def scenario() -> list[tuple[str, ...]]:
        async with wire.WireSession(server.port) as session:
            seen = [(await session.open(QUERY)).places]
            write_cities(without("rovaniemi"))
            seen.append((await session.change(q="")).places)
            path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
            seen.append((await session.change(q="")).places)
            return seen

    try:
        first, edited, broken = asyncio.run(scenario())
    finally:
        server.stop()
    assert len(first) == 20 and "rovaniemi" in first
    assert sorted(edited) == sorted(set(first) - {"rovaniemi"})
    assert sorted(broken) == sorted(edited)


def test_a_tab_that_reconnects_to_a_new_session_keeps_its_widgets() -> None:
    """A replica died: the tab reconnects to another server, where its next change is the first
    run of a new session. The change and the tab's other values win over its (older) URL."""
    server = start_server(ARTIFACTS / "streamlit-reconnect.log")

    async def scenario() -> tuple[wire.Snapshot, wire.Snapshot]:
        async with wire.WireSession(server.port) as first:
            opened = await first.open(QUERY + "&focus=water")
            tab = first.resumed(server.port)
        async with tab:
            await tab.connect()
            return opened, await tab.change(region=["Eastern Finland"])

    try:
        opened, changed = asyncio.run(scenario())
    finally:
        server.stop()
    assert opened.params() == {"focus": ["water"], "lang": ["en"]}
    assert changed.params() == {"focus": ["water"], "region": ["east"], "lang": ["en"]}
    assert set(changed.places) == expected(focus=("water",), region=("east",)) == {"kuopio",
                                                                                   "mikkeli"}
