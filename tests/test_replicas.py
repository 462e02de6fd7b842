"""The production shape: `innomap serve --replicas 2` behind Debian's nginx, one replica killed.

Each replica keeps its sessions in memory; the view lives in the URL, so a user whose replica
dies reloads (or reconnects) onto another one and sees the same view.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from innomap.cities import load_dataset
from innomap.embedding import embed_code
from innomap.filters import Filters, view_url
from innomap.i18n import t
from innomap.ops.replicas import Deployment, Replica, nginx_path
from innomap.shipped import CITIES, DEPLOY_DIR, THEMES
from tests.support import wire
from tests.support.browser import (
    OTHER_SITE_HOST,
    static_site,
    wait_for_embedded_markers,
    wait_for_markers,
    write_embedding_page,
)
from tests.support.harness import Server, free_port, launch, server_env
from tests.support.tools import missing_tool

ROOT = Path(__file__).resolve().parents[1]
CIRCULAR = {"lahti", "pori", "joensuu", "mikkeli", "kokkola", "oulu"}
VIEW = "lang=sv&focus=circular_economy&city=joensuu"


@dataclass
class Served:
    """A running `innomap serve --replicas` (nginx's Server) and where its files are."""

    server: Server
    run_dir: Path

    @property
    def replicas_dir(self) -> Path:
        """Return the folder with nginx's files and the replicas' logs."""
        return self.run_dir / "replicas"

    def log(self) -> str:
        """Return what the launcher printed."""
        return self.server.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Start two replicas behind nginx; stop them with SIGTERM and check nothing is left."""
    try:
        nginx_path()
    except RuntimeError as err:  # skipped with the reason on a laptop, failed under CI=true
        missing_tool(str(err))
    port = free_port()
    server = launch([sys.executable, "-m", "innomap", "serve", "--dir", tmp_path,
                     "--replicas", "2", "--port", port], port, tmp_path / "serve.log",
                    server_env())
    served = Served(server, tmp_path)
    try:
        yield served
    finally:
        pids = replica_pids(served) + nginx_pids(served)
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=60)
    assert server.process.returncode == 0, served.log()
    assert "stopped nginx and every replica" in served.log()
    assert [pid for pid in pids if Path(f"/proc/{pid}").exists()] == [], "left running"


def replica_ports(served: Served) -> list[int]:
    """Return the replicas' ports, from the server list the launcher wrote for nginx."""
    servers = (served.replicas_dir / "innomap-servers.conf").read_text()
    return [int(port) for port in re.findall(r"^server 127\.0\.0\.1:(\d+)", servers, re.M)]


def processes() -> Iterator[tuple[int, str, str]]:
    """Yield (pid, command line, parent pid) of every process still there once both are read."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            # A process may end between listing /proc and reading it (nginx's old workers do
            # while they shut down): skip it, as it is no longer one to count.
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                parent = re.search(r"^PPid:\t(\d+)$", (entry / "status").read_text(), re.M)
            except OSError:
                continue
            yield int(entry.name), line, parent.group(1) if parent else ""


def replica_pids(served: Served, port: int | None = None) -> list[int]:
    """Return the pids of this launcher's replicas (or of the one on `port`)."""
    ports = [port] if port else replica_ports(served)
    return [pid for pid, line, _ in processes() if str(served.run_dir) in line and
            "streamlit run" in line and any(f"--server.port {p} " in line + " " for p in ports)]


def nginx_pids(served: Served) -> list[int]:
    """Return the pids of this launcher's nginx master and workers."""
    master = (served.replicas_dir / "nginx.pid").read_text().strip()
    return [pid for pid, line, parent in processes() if str(pid) == master or
            (line.startswith("nginx: worker") and parent == master)]


def pinned_port(served: Served, page: Page) -> int:
    """Return the port of the replica the browser's cookie pins it to."""
    (cookie,) = [c["value"] for c in page.context.cookies() if c["name"] == "innomap_replica"]
    return cookie_port(served, cookie)


def cookie_port(served: Served, cookie: str) -> int:
    """Return the port of the replica a cookie value names."""
    routes = (served.replicas_dir / "innomap-routes.conf").read_text()
    found = re.search(rf"^    {re.escape(cookie)} 127\.0\.0\.1:(\d+);$", routes, flags=re.M)
    assert found, f"cookie {cookie!r} names no replica in:\n{routes}"
    return int(found.group(1))


def check_view(page: Page) -> None:
    """Assert the page shows the view in VIEW: Swedish, circular economy, Joensuu selected."""
    wait_for_markers(page, CIRCULAR)
    expect(page.locator(".innomap-headline")).to_have_text(re.compile(r"^6 av 20 kommuner · Cirkulär ekonomi"))
    expect(page.locator(".innomap-details h3")).to_have_text("Joensuu")


@pytest.mark.browser
def test_replicas_behind_nginx_serve_the_map_and_survive_a_killed_replica(served, page):
    page.goto(served.server.url())
    wait_for_markers(page, EVERY_CITY)
    page.goto(served.server.url(VIEW))
    check_view(page)
    first = pinned_port(served, page)
    assert first in replica_ports(served)

    (victim,) = replica_pids(served, first)
    os.kill(victim, signal.SIGKILL)
    page.reload()
    check_view(page)
    assert parse_qs(urlsplit(page.url).query) == parse_qs(VIEW)
    # The cookie moved the browser to a live replica, whatever the dead one does meanwhile.
    assert pinned_port(served, page) in set(replica_ports(served)) - {first}


@pytest.mark.browser
def test_the_embed_code_on_another_site_stays_with_its_replica(served, page, tmp_path):
    """The embed code in another site's page (issue 22): the frame keeps its pinning cookie
    (SameSite=None, in the embedding site's partition), so its session's requests reach the
    replica that holds it; unpinned, about half went to the other replica (404s, and the map
    sometimes never drawn). A download leaves the frame's pin behind: the browser sends the
    cookie of innomap's own site, here naming the other replica (a visit there earlier), and
    nginx asks the other replicas for a file the first one lacks."""
    origin = served.server.origin
    missing: list[str] = []
    page.on("response", lambda answer: answer.status >= 400 and answer.url.startswith(origin)
            and missing.append(f"{answer.status} {answer.url}"))
    snippet = embed_code(view_url(origin, {"focus": ["circular_economy"], "lang": "sv"}),
                         "Karta")
    (tmp_path / "site").mkdir()
    write_embedding_page(tmp_path / "site", "karta.html", snippet)
    with static_site(tmp_path / "site") as site:
        page.goto(f"{site}/karta.html")
        wait_for_embedded_markers(page, origin, CIRCULAR, {
            "focus": ["circular_economy"], "lang": ["sv"], "embed": ["true"]})
        (framed,) = replica_cookies(page)
        assert (framed["sameSite"], framed["secure"], framed.get("partitionKey")) == (
            "None", True, f"http://{OTHER_SITE_HOST}"), framed
        other = next(name for name in replica_names(served) if name != framed["value"])
        page.context.add_cookies([{"name": "innomap_replica", "value": other, "url": origin}])
        downloads = page.frame_locator("iframe").locator(".st-key-downloads")
        for fmt in ("xlsx", "geojson", "csv"):
            with page.expect_download() as download:
                downloads.get_by_role("button", name=t(f"download.{fmt}", "sv")).click()
            assert (download.value.suggested_filename, download.value.failure()) == (
                f"innomap_sv_circular-economy.{fmt}", None)
    assert missing == []


def replica_cookies(page: Page) -> list[dict]:
    """Return the browser's replica cookies, in every partition."""
    return [c for c in page.context.cookies() if c["name"] == "innomap_replica"]


def replica_names(served: Served) -> list[str]:
    """Return the replicas' names (the cookie's values), from the routes written for nginx."""
    routes = (served.replicas_dir / "innomap-routes.conf").read_text()
    return re.findall(r"^    (\w+) 127\.0\.0\.1:\d+;$", routes, flags=re.M)


EVERY_CITY = {"helsinki", "espoo", "vantaa", "lahti", "imatra", "lappeenranta", "turku",
                "pori", "tampere", "vaasa", "jyvaskyla", "seinajoki", "joensuu", "kuopio",
                "mikkeli", "kajaani", "sotkamo", "kokkola", "oulu", "rovaniemi"}


def test_security_md_shows_the_shipped_configuration(tmp_path):
    """SECURITY.md's deployment section points at the shipped files and shows exactly the
    replica lists `innomap serve --replicas` writes."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for name in ("nginx-innomap.conf", "nginx-locations.conf"):
        assert f"(src/innomap/ops/deploy/{name})" in text and (DEPLOY_DIR / name).is_file()
    replicas = [Replica(f"r{n}", 8600 + n, [], tmp_path / "log", healthy=True) for n in (1, 2)]
    Deployment(tmp_path, tmp_path, 8600, replicas).write_upstreams()
    written = "".join(f"# {name}\n" + (tmp_path / name).read_text()
                      for name in ("innomap-servers.conf", "innomap-routes.conf"))
    assert f"```nginx\n{written}```" in text


def test_a_session_whose_replica_dies_reconnects_and_keeps_its_view(served):
    """Mid-session, the tab's replica is killed: its next change reconnects through nginx to
    the other replica, which runs the page from the URL and the widget states: the earlier
    filter stays, the new one applies (over the wire, as Streamlit's frontend reconnects)."""
    data = load_dataset(CITIES, THEMES)
    broad = {f.id: set(f.broad_themes) for f in data.taxonomy.focus_areas}
    ports = replica_ports(served)

    async def scenario():
        async with wire.WireSession(served.server.port, sticky=True) as tab:
            await tab.open("lang=en")
            focus = await tab.change(focus=["Circular economy"])
            first = cookie_port(served, tab.cookie)
            (victim,) = replica_pids(served, first)
            os.kill(victim, signal.SIGKILL)
            both = await tab.change(region=["Northern Finland"])
            return focus, both, first, cookie_port(served, tab.cookie), tab.reconnects

    # In a thread of its own: this module's browser test keeps sync Playwright's event loop
    # running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        focus, both, first, then, reconnects = pool.submit(asyncio.run, scenario()).result()
    assert set(focus.places) == CIRCULAR
    wanted = Filters(focus=("circular_economy",), region=("north",)).apply(data.cities, broad)
    assert set(both.places) == set(wanted["id"]) == {"kokkola", "oulu"}
    assert both.params() == {"lang": ["en"], "focus": ["circular_economy"], "region": ["north"]}
    assert len(reconnects) == 1 and (first, then) in {(a, b) for a in ports for b in ports
                                                      if a != b}
