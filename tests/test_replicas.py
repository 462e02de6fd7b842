"""The production shape on one machine: `innomap serve --replicas 2`, Streamlit replicas kept
running by Debian's supervisor behind Debian's HAProxy; one replica killed.

Each replica keeps its sessions in memory; the view lives in the URL, so a user whose replica
dies reloads (or reconnects) onto another one and sees the same view. Several hosts:
tests/test_hosts.py.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import signal
import ssl
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

import pytest
import streamlit
from playwright.sync_api import Page
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from innomap.assets import PAGE_SCRIPTS, hashed_name
from innomap.cities import load_dataset
from innomap.embedding import embed_code
from innomap.filters import Filters, view_url
from innomap.i18n import t
from innomap.shipped import CITIES, THEMES, WEB_DIR
from tests.support import deployment, wire
from tests.support.browser import (
    OTHER_SITE_HOST,
    static_site,
    wait_for_embedded_markers,
    wait_for_markers,
    write_embedding_page,
)
from tests.support.deployment import CIRCULAR, VIEW, Served, check_view, pinned
from tests.support.harness import POLL_S

RESTART_TIMEOUT_S = 60
# What Streamlit serves under /static/.
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Start two replicas behind HAProxy; stop them with SIGTERM and check nothing is left."""
    deployment.require_engines()
    served = deployment.start(tmp_path, replicas=2)
    try:
        yield served
    finally:
        deployment.stop(served)


def wait_restarted(served: Served, name: str, old_pid: int) -> int:
    """Wait until supervisord runs the replica again under a new pid; return it."""
    replica = served.replica(name)
    deadline = time.monotonic() + RESTART_TIMEOUT_S
    while (pid := served.pid(replica)) in (0, old_pid):
        assert time.monotonic() < deadline, f"supervisord did not restart {name}"
        time.sleep(POLL_S)
    return pid


@pytest.mark.browser
def test_replicas_behind_haproxy_serve_the_map_and_survive_a_killed_replica(served, page):
    page.goto(served.server.url())
    wait_for_markers(page, EVERY_CITY)
    page.goto(served.server.url(VIEW))
    check_view(page)
    first = pinned(page)
    assert first in {"r1", "r2"}

    victim = served.pid(served.replica(first))
    os.kill(victim, signal.SIGKILL)
    page.reload()
    check_view(page)
    assert parse_qs(urlsplit(page.url).query) == parse_qs(VIEW)
    # The cookie names a replica HAProxy sends to; supervisord started the killed one again,
    # and HAProxy's health checks take it back.
    assert pinned(page) in {"r1", "r2"}
    assert wait_restarted(served, first, victim) != victim
    served.wait_for_states(lambda s: s == {"r1": "UP", "r2": "UP"}, "both replicas UP")


@pytest.mark.browser
def test_the_embed_code_on_another_site_stays_with_its_replica(served, page, tmp_path):
    """The embed code in another site's page (issue 22): the frame keeps its pinning cookie
    (SameSite=None, in the embedding site's partition), so its session's requests reach the
    replica that holds it; unpinned, about half went to the other replica (404s, and the map
    sometimes never drawn). A download leaves the frame's pin behind: the browser sends the
    cookie of innomap's own site, here naming the other replica (a visit there earlier), and
    HAProxy asks the other replicas for a file the first one lacks."""
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
        other = next(r.name for r in served.plan() if r.name != framed["value"])
        page.context.add_cookies([{"name": wire.REPLICA_COOKIE, "value": other, "url": origin}])
        downloads = page.frame_locator("iframe").locator(".st-key-downloads")
        for fmt in ("xlsx", "geojson", "csv"):
            with page.expect_download() as download:
                downloads.get_by_role("button", name=t(f"download.{fmt}", "sv")).click()
            assert (download.value.suggested_filename, download.value.failure()) == (
                f"innomap_sv_circular-economy.{fmt}", None)
    assert missing == []


def replica_cookies(page: Page) -> list[dict]:
    """Return the browser's replica cookies, in every partition."""
    return [c for c in page.context.cookies() if c["name"] == wire.REPLICA_COOKIE]


EVERY_CITY = {"helsinki", "espoo", "vantaa", "lahti", "imatra", "lappeenranta", "turku",
                "pori", "tampere", "vaasa", "jyvaskyla", "seinajoki", "joensuu", "kuopio",
                "mikkeli", "kajaani", "sotkamo", "kokkola", "oulu", "rovaniemi"}


def test_haproxy_compresses_scripts_and_checks_the_websockets_origin(served):
    """Streamlit compresses none of its scripts: HAProxy does. A WebSocket from another
    site's page is refused; this site's own, and a client that sends no Origin, are let in."""
    page = urlopen(served.server.url(), timeout=30).read().decode()
    with urlopen(Request(served.server.url() + streamlit_file(page),
                         headers={"Accept-Encoding": "gzip"}), timeout=30) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert re.fullmatch(r"innomap_replica=r[12]; path=/; HttpOnly; Secure; SameSite=None; "
                            r"Partitioned", answer.headers["Set-Cookie"])

    async def handshake(origin: str | None) -> int:
        url = f"ws://127.0.0.1:{served.server.port}{wire.STREAM_PATH}"
        try:
            async with connect(url, subprotocols=["streamlit"], origin=origin,
                               open_timeout=30):
                return 101
        except InvalidStatus as err:
            return err.response.status_code

    own = f"http://127.0.0.1:{served.server.port}"
    origins = (own, "http://innomap.example.fi", None, f"{own}.example.fi")
    # In a thread of its own, as below: sync Playwright's loop may run in the main thread.
    with ThreadPoolExecutor(1) as pool:
        codes = [pool.submit(asyncio.run, handshake(origin)).result() for origin in origins]
    assert codes == [101, 403, 101, 403]


def fetch(url: str, compressed: bool = False) -> tuple[Message, bytes]:
    """GET url as a new browser would (no cookie); return the headers (their names in any
    case, as HTTP has them) and the body."""
    headers = {"Accept-Encoding": "gzip"} if compressed else {}
    with urlopen(Request(url, headers=headers), timeout=30) as answer:
        return answer.headers, answer.read()


def logged(served: Served, count: int) -> list[tuple[str, int, str]]:
    """Wait (bounded) until HAProxy has logged `count` requests besides health checks; return
    each as (who served it: a replica, or <CACHE>; status; request line)."""
    deadline = time.monotonic() + deployment.STATE_TIMEOUT_S
    while len(found := [r for r in served.requests() if "/_stcore/health" not in r.request]) \
            < count:
        assert time.monotonic() < deadline, found
        time.sleep(POLL_S)
    # In the order they began: HAProxy writes a line when its request ends, and a copy sent
    # from the cache can end before the request ahead of it has been closed.
    return [(r.served if r.served == "<CACHE>" else "replica", r.status, r.request)
            for r in sorted(found, key=lambda r: r.start)]


def streamlit_file(page: str) -> str:
    """Return the path of the first script Streamlit's page names (under /static/js/)."""
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', page)
    assert script, page[:500]
    return script.group(1)


def test_haproxy_keeps_streamlits_own_files_and_nothing_else(served):
    """A file under /static/ comes from a replica once, then from HAProxy's cache (the log
    names <CACHE>): Streamlit's bytes, the site's headers, compressed on the way out as
    before, and never a replica's cookie. The page and innomap's own files (sent without
    cache headers) always come from a replica."""
    url = served.server.url()
    page = fetch(url)[1].decode()
    fetch(url)
    script = streamlit_file(page)
    first, _ = fetch(url + script)
    kept, body = fetch(url + script)
    zipped, packed = fetch(url + script, compressed=True)
    own = f"app/static/{hashed_name(WEB_DIR / PAGE_SCRIPTS[0])}"
    fetch(url + own)
    fetch(url + own)
    assert logged(served, 7) == [
        ("replica", 200, "GET / HTTP/1.1"),
        ("replica", 200, "GET / HTTP/1.1"),
        ("replica", 200, f"GET /{script} HTTP/1.1"),
        ("<CACHE>", 200, f"GET /{script} HTTP/1.1"),
        ("<CACHE>", 200, f"GET /{script} HTTP/1.1"),
        ("replica", 200, f"GET /{own} HTTP/1.1"),
        ("replica", 200, f"GET /{own} HTTP/1.1"),
    ]
    assert body == gzip.decompress(packed) == (STREAMLIT_STATIC / script).read_bytes()
    assert first["Set-Cookie"].startswith(f"{wire.REPLICA_COOKIE}=r")
    assert "Set-Cookie" not in kept and "Set-Cookie" not in zipped
    assert (kept["Cache-Control"], kept["X-Content-Type-Options"], kept["Referrer-Policy"]) \
        == ("public, immutable, max-age=31536000", "nosniff", "same-origin")
    assert zipped["Content-Encoding"] == "gzip"


def cookie_attributes(url: str, host: str, context: ssl.SSLContext | None = None) -> str:
    """Return the attributes of the replica cookie HAProxy sets for a request naming `host`."""
    with urlopen(Request(url, headers={"Host": host}), timeout=30, context=context) as answer:
        name, value, attributes = re.fullmatch(r"(\w+)=([\w-]+); (.*)",
                                               answer.headers["Set-Cookie"]).groups()
    assert (name, value in {"r1", "r2"}) == (wire.REPLICA_COOKIE, True), value
    return attributes


def test_the_replica_cookie_is_kept_in_frames_where_a_browser_keeps_a_secure_one(served, tmp_path):
    """Over HTTPS and on loopback the pin is Secure; SameSite=None; Partitioned, so a frame on
    another site keeps it; over plain HTTP elsewhere a browser would drop a Secure cookie, so
    there it is SameSite=Lax (the site itself stays pinned). HTTPS: a second HAProxy from the
    shipped file, with a TLS bind, in front of the same replicas."""
    port = served.server.port
    plain = f"http://127.0.0.1:{port}/"
    hosts = (f"127.0.0.1:{port}", f"127.0.0.2:{port}", f"localhost:{port}", f"[::1]:{port}",
             "localhost", "innomap.example.fi", f"127.0.0.1.example.fi:{port}",
             "localhost.example.fi")
    seen = {("http", host): cookie_attributes(plain, host) for host in hosts}
    with deployment.tls_front(served, tmp_path / "tls") as (tls_port, cert):
        context = ssl.create_default_context(cafile=cert)
        for host in ("innomap.example.fi", f"127.0.0.1:{tls_port}"):
            seen["https", host] = cookie_attributes(f"https://127.0.0.1:{tls_port}/", host,
                                                    context)
    framed = "path=/; HttpOnly; Secure; SameSite=None; Partitioned"
    lax = "path=/; HttpOnly; SameSite=Lax"
    assert seen == {
        ("http", f"127.0.0.1:{port}"): framed,
        ("http", f"127.0.0.2:{port}"): framed,
        ("http", f"localhost:{port}"): framed,
        ("http", f"[::1]:{port}"): framed,
        ("http", "localhost"): framed,
        ("http", "innomap.example.fi"): lax,
        ("http", f"127.0.0.1.example.fi:{port}"): lax,
        ("http", "localhost.example.fi"): lax,
        ("https", "innomap.example.fi"): framed,
        ("https", f"127.0.0.1:{tls_port}"): framed,
    }


def test_a_file_no_replica_has_is_404_after_every_replica_was_asked(served):
    """A /media/ file is asked of the pinned replica, then of the others in turn: one that no
    replica has ends as 404 after the media backend's 7 retries. The 8 asks alternate r2, r1,
    r2 …: each of r2's 4 and r1's first 3 was retried (wretr), r1's last answered."""
    missing = f"{served.server.origin}/media/{'0' * 56}.csv"
    request = Request(missing, headers={"Cookie": f"{wire.REPLICA_COOKIE}=r2"})
    with pytest.raises(HTTPError) as answer:
        urlopen(request, timeout=30)
    assert (answer.value.code, answer.value.headers["Set-Cookie"]) == (404, None)
    counters = served.counters("innomap_media")
    assert {name: row["wretr"] for name, row in counters.items()} == {
        "r1": "3", "r2": "4", "BACKEND": "7"}


def test_a_session_whose_replica_dies_reconnects_and_keeps_its_view(served):
    """Mid-session, the tab's replica is killed: its next change reconnects through HAProxy to
    a live replica, which runs the page from the URL and the widget states: the earlier
    filter stays, the new one applies (over the wire, as Streamlit's frontend reconnects)."""
    data = load_dataset(CITIES, THEMES)
    broad = {f.id: set(f.broad_themes) for f in data.taxonomy.focus_areas}

    async def scenario():
        async with wire.WireSession(served.server.port, sticky=True) as tab:
            await tab.open("lang=en")
            focus = await tab.change(focus=["Circular economy"])
            first = tab.cookie
            os.kill(served.pid(served.replica(first)), signal.SIGKILL)
            both = await tab.change(region=["Northern Finland"])
            return focus, both, first, tab.cookie, tab.reconnects

    # In a thread of its own: this module's browser test keeps sync Playwright's event loop
    # running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        focus, both, first, then, reconnects = pool.submit(asyncio.run, scenario()).result()
    assert set(focus.places) == CIRCULAR
    wanted = Filters(focus=("circular_economy",), region=("north",)).apply(data.cities, broad)
    assert set(both.places) == set(wanted["id"]) == {"kokkola", "oulu"}
    assert both.params() == {"lang": ["en"], "focus": ["circular_economy"], "region": ["north"]}
    # The reconnect went to the other replica, or to the killed one after supervisord had
    # restarted it: either way a new session there, built from the tab's URL and widgets.
    assert len(reconnects) == 1 and {first, then} <= {"r1", "r2"}


def test_without_the_static_cache_every_file_comes_from_a_replica(tmp_path):
    """`serve --replicas 1 --no-static-cache` (how the capacity benchmark measures without
    it): a file under /static/ asked twice comes from the replica twice."""
    deployment.require_engines()
    served = deployment.start(tmp_path, replicas=1, static_cache=False)
    try:
        url = served.server.url()
        script = streamlit_file(fetch(url)[1].decode())
        assert fetch(url + script)[1] == fetch(url + script)[1]
        assert logged(served, 3) == [("replica", 200, "GET / HTTP/1.1"),
                                     ("replica", 200, f"GET /{script} HTTP/1.1"),
                                     ("replica", 200, f"GET /{script} HTTP/1.1")]
    finally:
        deployment.stop(served)


def test_under_a_url_prefix_haproxy_checks_the_prefixed_health(tmp_path):
    """--server.baseUrlPath innomap: HAProxy's checks ask /innomap/_stcore/health (the launcher
    waits for them to pass), the page answers under the prefix, pinned by the cookie, and
    the cache keeps Streamlit's files under /innomap/static/."""
    deployment.require_engines()
    served = deployment.start(tmp_path, replicas=1, prefix="innomap")
    try:
        config = (served.replicas_dir / "haproxy.cfg").read_text()
        assert "    option httpchk GET /innomap/_stcore/health\n" in config
        assert served.states() == {"r1": ("UP", "L7OK")}
        with urlopen(served.server.url("lang=fi"), timeout=30) as answer:
            assert answer.status == 200
            assert answer.headers["Set-Cookie"].startswith("innomap_replica=r1;")
            script = streamlit_file(answer.read().decode())
        assert fetch(served.server.url() + script)[1] == fetch(served.server.url() + script)[1]
        assert logged(served, 3)[1:] == [("replica", 200, f"GET /innomap/{script} HTTP/1.1"),
                                         ("<CACHE>", 200, f"GET /innomap/{script} HTTP/1.1")]
    finally:
        deployment.stop(served)
