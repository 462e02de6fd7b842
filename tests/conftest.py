"""Shared fixtures: the shipped dataset, factories for edited copies of it, and the browser
fixtures (a server per module, Chromium, a tab, its traffic) for tests/browser/ and for the
browser tests elsewhere (the wheel, the replicas, the load sessions)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from innomap.cities import Dataset, load_dataset
from innomap.shipped import CITIES, THEMES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """Return the shipped data, loaded and validated."""
    return load_dataset(CITIES, THEMES)


@pytest.fixture(scope="session")
def broad_of(dataset: Dataset) -> dict[str, set[str]]:
    """Map each focus area to its broad themes."""
    return {f.id: set(f.broad_themes) for f in dataset.taxonomy.focus_areas}


@pytest.fixture(scope="session")
def collection() -> dict:
    """Return the shipped cities file as parsed JSON (do not mutate; copy first)."""
    return json.loads(CITIES.read_text(encoding="utf-8"))


@pytest.fixture
def write_cities(tmp_path: Path, collection: dict) -> Callable[..., Path]:
    """Write an edited copy of the shipped cities file and return its path."""

    def write(edit: Callable[[dict], object] | None = None, name: str = "cities.geojson") -> Path:
        data = copy.deepcopy(collection)
        if edit is not None:
            edit(data)
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


# ---------------------------------------------------------------- browser suite
# Only browser tests ask for these, so only they import Playwright (tests/support/browser.py);
# the server and Chromium start in tests/support/harness.py.

SERVER_FIXTURES = ("server", "prefixed_server")


@pytest.fixture(scope="module", autouse=True)
def needs_chromium(request: pytest.FixtureRequest) -> None:
    """In a browser module, skip (fail on CI) before any server starts without Chromium."""
    if request.node.get_closest_marker("browser"):
        from tests.support.browser import chromium_path

        chromium_path()


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator:
    """Serve the dashboard at the root path for one module's tests (its log named after it)."""
    yield from _serve(request)


@pytest.fixture(scope="module")
def prefixed_server(request: pytest.FixtureRequest) -> Iterator:
    """Serve the dashboard behind the URL prefix /innomap/ for one module's tests."""
    yield from _serve(request, "server.baseUrlPath=innomap")


def _serve(request: pytest.FixtureRequest, *options: str) -> Iterator:
    from tests.support.browser import ARTIFACTS, start_server

    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").replace("_", "-")
    suffix = "-prefixed" if options else ""
    app = start_server(ARTIFACTS / f"streamlit-{name}{suffix}.log", options=options)
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Launch Debian's Chromium once for the module."""
    from tests.support.browser import chromium_path
    from tests.support.harness import chromium

    chromium_path()  # skips the module's tests (fails them on CI) without Chromium
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator:
    """Open a fresh tab; on a failure keep a screenshot and print the used servers' logs."""
    from tests.support.browser import (
        ARTIFACTS,
        UI_TIMEOUT_MS,
        expect,
        new_context,
        save_failure_screenshot,
    )

    # expect()'s own 5 s assumes an idle machine: give it the suite's UI timeout, which only
    # a failure waits out (the context's actions and waits have it already).
    expect.set_options(timeout=UI_TIMEOUT_MS)
    context = new_context(browser)
    tab = context.new_page()
    before = request.session.testsfailed
    yield tab
    if request.session.testsfailed > before:
        save_failure_screenshot(tab, ARTIFACTS / f"failed-{request.node.name}.png")
        for name in SERVER_FIXTURES:
            if name in request.fixturenames:
                app = request.getfixturevalue(name)
                print(f"----- {name} log ({app.log_path}) -----\n{app.log()}")
    context.close()


@pytest.fixture
def dialogs(page) -> list[str]:
    """Record (and dismiss) every alert, confirm or prompt any frame of the page opens."""
    opened: list[str] = []

    def record(dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


@pytest.fixture
def traffic(page):
    """Record the page's requests, console errors and exceptions from its first navigation."""
    from tests.support.browser import Traffic

    return Traffic.watch(page)
