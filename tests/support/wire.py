"""A Streamlit client without a browser: it speaks the app's WebSocket protocol, renders nothing.

The tests drive the real server with it (tests/test_server.py, tests/support/sessions.py), and
benchmarks/load.py measures what the server does per session with it. A session sends what Chromium sends (compared with frames captured from it, Streamlit 1.67): a
`rerun_script` BackMsg with the page's query string, every widget's state and the browser's
context; then it reads the run's ForwardMsgs up to `script_finished` and returns what a user
would see: the places on the map, the selected city, the URL's query string, the CSV and Excel
links.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs
from urllib.request import Request, urlopen

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from innomap.mapview import city_layer_data
from tests.support.payload import named

STREAM_PATH = "/_stcore/stream"
HEALTH_PATH = "/_stcore/health"
# The cookie innomap's HAProxy pins a tab to its replica with (src/innomap/ops/deploy).
REPLICA_COOKIE = "innomap_replica"
MAP_COMPONENT = "streamlit_folium.st_folium"
DETAILS = re.compile(r'<div class="innomap-details" data-city="([^"]*)"')
WIDGET_ID = re.compile(r"\$\$ID-[0-9a-f]+-(.+)", re.S)
# Widgets whose value the browser keeps and echoes on every rerun; buttons are one-shot
# triggers and the map component sends a value only once it was clicked.
LIST_WIDGETS = ("multiselect", "button_group")
ONE_OF_WIDGETS = ("radio", "selectbox")
VALUE_WIDGETS = (*LIST_WIDGETS, *ONE_OF_WIDGETS, "text_input", "checkbox")
FINISHED = ForwardMsg.ScriptFinishedStatus
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "is_embedded": False,
           "color_scheme": "light"}


class WireError(Exception):
    """The server broke the protocol, went silent, or the app showed an error."""


@dataclass(frozen=True)
class Snapshot:
    """What one finished script run put on the page, as a user would see it."""

    places: tuple[str, ...]
    coordinates: dict[str, tuple[float, float]]
    selected: str
    details: str
    query: str
    widgets: dict[str, str]
    csv_url: str
    xlsx_url: str

    def params(self) -> dict[str, list[str]]:
        """Return the URL's query parameters, each with all its values in order."""
        return parse_qs(self.query, keep_blank_values=True)


def layer_data(script: str) -> dict[str, Any]:
    """Return the city layer's data from the map's feature-group script."""
    try:
        return city_layer_data(script)
    except ValueError as err:
        raise WireError(f"the map's feature_group script: {err}") from err


def widget_key(widget_id: str) -> str:
    """Return the user key at the end of a keyed widget's id ("$$ID-<hash>-<key>")."""
    match = WIDGET_ID.fullmatch(widget_id)
    return match.group(1) if match else ""


def option_labels(kind: str, element: Any) -> list[str]:
    """Return the labels a widget shows for its options (what its state carries)."""
    return [o.content if kind == "button_group" else o for o in element.options]


def shown_state(kind: str, element: Any) -> WidgetState:
    """Return the state the browser takes from a widget element: its set value or default."""
    state = WidgetState(id=element.id)
    labels = option_labels(kind, element) if kind in (*LIST_WIDGETS, *ONE_OF_WIDGETS) else []
    if kind in LIST_WIDGETS:
        chosen = element.raw_values if element.set_value else [labels[i] for i in element.default]
        state.string_array_value.data.extend(chosen)
    elif kind in ONE_OF_WIDGETS:
        if element.set_value and element.HasField("raw_value"):
            state.string_value = element.raw_value
        elif not element.set_value and element.HasField("default"):
            state.string_value = labels[element.default]
    elif kind == "text_input":
        state.string_value = element.value if element.set_value else element.default
    else:
        state.bool_value = element.value if element.set_value else element.default
    return state


def changed_state(key: str, kind: str, element: Any, value: object) -> WidgetState:
    """Return a widget's state after a user set it to value (labels, as the browser sends)."""
    state = WidgetState(id=element.id)
    labels = option_labels(kind, element) if kind in (*LIST_WIDGETS, *ONE_OF_WIDGETS) else []
    chosen = list(value) if kind in LIST_WIDGETS and isinstance(value, list | tuple) else [value]
    unknown = [v for v in chosen if labels and v not in labels]
    if unknown:
        raise WireError(f"{kind} {key!r} has no option {unknown[0]!r}; it shows {labels}")
    if kind in LIST_WIDGETS and isinstance(value, list | tuple):
        state.string_array_value.data.extend(chosen)
    elif kind in (*ONE_OF_WIDGETS, "text_input") and isinstance(value, str):
        state.string_value = value
    elif kind == "checkbox" and isinstance(value, bool):
        state.bool_value = value
    else:
        raise WireError(f"{kind} {key!r} cannot take {value!r}: expected a list of labels "
                        "(multiselect, segmented control), a str (radio, selectbox, text) "
                        "or a bool (checkbox, toggle)")
    return state


class Run:
    """The messages of one script run, collected until it finishes."""

    def __init__(self) -> None:
        self.elements: dict[tuple[int, ...], tuple[str, Any]] = {}
        self.query: str | None = None
        self.script_hash = ""
        self.kinds: list[str] = []

    def take(self, msg: ForwardMsg) -> bool:
        """Record one message; return True when the run finished successfully."""
        kind = msg.WhichOneof("type")
        self.kinds.append(kind)
        if kind == "new_session":
            # Each run starts with one: what came before belongs to an earlier run.
            self.elements, self.script_hash = {}, msg.new_session.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            name = element.WhichOneof("type")
            self.elements[tuple(msg.metadata.delta_path)] = (name, getattr(element, name))
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "ref_hash":
            raise WireError("got a ref_hash stub, expected full messages (we send no cache)")
        elif kind == "session_event" and msg.session_event.HasField(
                "script_compilation_exception"):
            raise WireError(f"the script does not compile: "
                            f"{msg.session_event.script_compilation_exception.message}")
        elif kind == "script_finished":
            return self._finished(msg.script_finished)
        return False

    def _finished(self, status: int) -> bool:
        if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
            return False  # another run follows at once; the page is what that one draws
        if status != FINISHED.FINISHED_SUCCESSFULLY:
            raise WireError(f"script finished with {FINISHED.Name(status)}, "
                            "expected FINISHED_SUCCESSFULLY")
        self._raise_shown_errors()
        return True

    def _raise_shown_errors(self) -> None:
        for name, element in self.elements.values():
            if name == "exception":
                raise WireError(f"the app raised {element.type}: {element.message[:300]}")
            if name == "alert" and element.format == element.ERROR:
                raise WireError(f"the app showed an error: {element.body[:300]}")

    def widgets(self) -> dict[str, tuple[str, Any]]:
        """Return key → (kind, element) for every keyed widget drawn in this run."""
        found = {}
        for name, element in self.elements.values():
            key = widget_key(getattr(element, "id", "") or "")
            if key:
                found[key] = (name, element)
        return found

    def map_element(self) -> Any:
        """Return the run's one map component."""
        maps = [e for name, e in self.elements.values()
                if name == "component_instance" and e.component_name == MAP_COMPONENT]
        if len(maps) != 1:
            raise WireError(f"expected one {MAP_COMPONENT} component, the run drew {len(maps)}")
        return maps[0]


class WireSession:
    """One user's session over the WebSocket: open the page, change widgets, click, download."""

    def __init__(self, port: int, timeout_s: float = 60.0, sticky: bool = False) -> None:
        """sticky: behind innomap's HAProxy, as a browser tab is: load the page first and keep
        the replica cookie it sets; when the WebSocket closes (a replica died), wait for
        /_stcore/health, open a new one and send the rerun again, as Streamlit's frontend does.
        """
        self.port, self.timeout_s, self.sticky = port, timeout_s, sticky
        self.cookie = ""
        # Seconds from a closed WebSocket to the rerun finished on another replica.
        self.reconnects: list[float] = []
        self._socket: ClientConnection | None = None
        self._script_hash = ""
        self._query = ""
        self._run = Run()
        # id → state, echoed in full on every rerun as the browser does (see _rerun).
        self._states: dict[str, WidgetState] = {}

    async def __aenter__(self) -> WireSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self, query: str = "", timeout_s: float | None = None,
                   page_fetched: bool = False) -> Snapshot:
        """Connect and run the page as a fresh browser tab on this query string would.

        page_fetched: the caller has already fetched the page (and kept its cookie).
        """
        timeout = timeout_s or self.timeout_s
        if self.sticky and not page_fetched:
            await self.download("/")  # the page itself: the proxy pins the tab to a replica
        await self.connect(timeout)
        self._query = query
        return await self._rerun(f"the first run (query {query!r})", timeout)

    def resumed(self, port: int) -> WireSession:
        """Return this tab as it reconnects to another server (a replica died): the same page,
        URL and widget values, and a new session there once it sends its next rerun."""
        tab = WireSession(port, self.timeout_s)
        tab._script_hash, tab._query, tab._run = self._script_hash, self._query, self._run
        tab._states = dict(self._states)
        return tab

    async def connect(self, timeout_s: float | None = None) -> None:
        """Open the WebSocket, without running the page."""
        if self._socket is not None:
            raise WireError("connect() called twice on one session; expected a fresh session")
        timeout = timeout_s or self.timeout_s
        url = f"ws://127.0.0.1:{self.port}{STREAM_PATH}"
        try:
            # No Origin header (allowed for non-browser clients); no pings of our own: under
            # load a late pong would close the socket, and the browser sends none either.
            self._socket = await connect(url, subprotocols=["streamlit"], max_size=None,
                                         open_timeout=timeout, ping_interval=None,
                                         additional_headers=self._cookie_header())
        except (OSError, TimeoutError, InvalidHandshake) as err:
            raise WireError(f"could not open {url}: {type(err).__name__}: {err}") from err

    async def change(self, **values: object) -> Snapshot:
        """Set widgets by key (option labels, text or bool, as displayed) and rerun."""
        widgets = self._run.widgets()
        for key, value in values.items():
            if key not in widgets:
                raise WireError(f"no widget with key {key!r} on the page; it has {sorted(widgets)}")
            state = changed_state(key, *widgets[key], value)
            self._states[state.id] = state
        return await self._rerun(f"changing {values}", self.timeout_s)

    async def click(self, lat: float, lng: float) -> Snapshot:
        """Click the map at a position, as streamlit-folium reports a marker click, and rerun."""
        state = WidgetState(id=self._run.map_element().id, json_value=json.dumps(
            {"last_object_clicked": {"lat": lat, "lng": lng}}, separators=(",", ":")))
        self._states[state.id] = state
        return await self._rerun(f"a click at {lat}, {lng}", self.timeout_s)

    async def download(self, url: str) -> bytes:
        """Fetch a file the page links to (the CSV) over HTTP from the same server."""
        if not url.startswith("/"):
            raise WireError(f"expected a server path for the download, got {url!r}")
        address = f"http://127.0.0.1:{self.port}{url}"
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._get, address), self.timeout_s)
        except (OSError, TimeoutError) as err:
            raise WireError(f"GET {address} failed: {type(err).__name__}: {err}") from err

    def _get(self, address: str) -> bytes:
        with urlopen(Request(address, headers=self._cookie_header()),
                     timeout=self.timeout_s) as answer:
            if answer.status != 200:
                raise WireError(f"GET {address}: expected HTTP 200, got {answer.status}")
            for header in answer.headers.get_all("Set-Cookie") or ():
                name, _, value = header.split(";", 1)[0].partition("=")
                if name.strip() == REPLICA_COOKIE:
                    self.cookie = value.strip()
            return answer.read()

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": f"{REPLICA_COOKIE}={self.cookie}"} if self.cookie else {}

    async def _reconnect(self, timeout_s: float) -> None:
        """Wait until the proxy answers the health check (its cookie then names a live
        replica), and open a new WebSocket there."""
        async with asyncio.timeout(timeout_s):
            while True:
                try:
                    await self.download(HEALTH_PATH)
                    break
                except (WireError, OSError):
                    await asyncio.sleep(0.5)  # Streamlit's frontend retries likewise
        self._socket = None
        await self.connect(timeout_s)

    async def close(self) -> None:
        """Close the WebSocket; the server then ends the session."""
        if self._socket is not None:
            await self._socket.close()

    async def _rerun(self, what: str, timeout_s: float) -> Snapshot:
        """Send a rerun with the page's state, read the run to its end, return the page.

        Every widget's state goes along, as Chromium sends it. Sending only the changed ones
        works too (the app keeps its values in st.session_state; tried), but the full echo is
        what the server gets from real users.
        No cached_message_hashes: the server then sends full messages, never ref_hash stubs.
        """
        if self._socket is None:
            raise WireError(f"{what} before open(); expected open() first")
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self._query
        rerun.widget_states.SetInParent()
        rerun.widget_states.widgets.extend(self._states.values())
        rerun.page_script_hash = self._script_hash
        for name, value in {**CONTEXT, "url": f"http://127.0.0.1:{self.port}/"}.items():
            setattr(rerun.context_info, name, value)
        run = Run()
        closed_at = None
        while True:
            try:
                async with asyncio.timeout(timeout_s):
                    await self._socket.send(msg.SerializeToString())
                    while not run.take(_parse(await self._socket.recv())):
                        pass
                break
            except TimeoutError:
                raise WireError(f"no finished run within {timeout_s:.0f} s of {what}; got "
                                f"{len(run.kinds)} messages, the last {run.kinds[-4:]}") from None
            except ConnectionClosed as err:
                if not self.sticky or closed_at is not None:
                    raise WireError(f"the server closed the WebSocket during {what}: {err}") \
                        from err
                # The replica died: the same page and widget states go to a live one.
                closed_at, run = time.perf_counter(), Run()
                await self._reconnect(timeout_s)
        if closed_at is not None:
            self.reconnects.append(time.perf_counter() - closed_at)
        return self._take(run)

    def _take(self, run: Run) -> Snapshot:
        """Adopt a finished run as the page: its URL, script hash and widget values."""
        self._run, self._script_hash = run, run.script_hash or self._script_hash
        if run.query is not None:
            self._query = run.query
        widgets = run.widgets()
        # The browser forgets the states of widgets a run no longer draws.
        drawn = {element.id for _, element in widgets.values()}
        self._states = {i: state for i, state in self._states.items() if i in drawn}
        for kind, element in widgets.values():
            # Like the browser: a value the app set wins, else the user's (or the default).
            if kind in VALUE_WIDGETS and (element.set_value or element.id not in self._states):
                self._states[element.id] = shown_state(kind, element)
        return self._snapshot(run, widgets)

    def _snapshot(self, run: Run, widgets: dict[str, tuple[str, Any]]) -> Snapshot:
        data = layer_data(json.loads(run.map_element().json_args).get("feature_group") or "")
        details = [DETAILS.search(e.body) for name, e in run.elements.values() if name == "html"]
        # The CSV is the download button keyed "download", the Excel file "download_xlsx".
        downloads = {widget_key(e.id): e.url for name, e in run.elements.values()
                     if name == "download_button"}
        return Snapshot(
            places=tuple(place["id"] for place in named(data)),
            coordinates={place["id"]: (place["lat"], place["lon"]) for place in named(data)},
            selected=data.get("selected") or "",
            details=next((unescape(m.group(1)) for m in details if m), ""),
            query=self._query,
            widgets={key: element.id for key, (_, element) in widgets.items()},
            csv_url=downloads.get("download", ""),
            xlsx_url=downloads.get("download_xlsx", ""))


def _parse(frame: bytes | str) -> ForwardMsg:
    """Return one server message; every frame holds exactly one ForwardMsg."""
    if isinstance(frame, str):
        raise WireError(f"expected a binary ForwardMsg frame, got text {frame[:80]!r}")
    msg = ForwardMsg()
    msg.ParseFromString(frame)
    return msg

