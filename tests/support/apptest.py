"""Drive the dashboard through Streamlit's AppTest and read what a user would see."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from innomap.mapview import city_layer_data
from tests.support.payload import named

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
TIMEOUT = 30


def start(lang: str = "en", app: str = APP, **params: str | list[str]) -> AppTest:
    """Run the dashboard (or another entry script) once with URL parameters."""
    at = AppTest.from_file(app, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def url(at: AppTest) -> dict[str, list[str]]:
    """Return the URL's parameters as the app wrote them, each with all its values."""
    # AppTest gives a list or a string per parameter depending on the Streamlit version.
    return {key: value if isinstance(value, list) else [value]
            for key, value in at.query_params.items()}


def shown_errors(at: AppTest) -> list[str]:
    """Return the errors a user sees: main() turns a crash into st.error, and a crash
    outside its guard shows as an exception element."""
    return [str(e.value) for e in (*at.exception, *at.error)]


def plain(text: str) -> str:
    """Return what a user reads: HTML tags dropped and entities decoded, code spans unwrapped."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(re.sub(r"`+ ?(.*?) ?`+", r"\1", text).split())


def html_blocks(at: AppTest, css_class: str) -> list[str]:
    """Return the st.html bodies whose outer element has the class, as plain text."""
    # The proto's body: AppTest's Html.value exists only in newer Streamlit versions.
    return [plain(e.proto.body) for e in at.get("html") if f'class="{css_class}"' in e.proto.body]


def headline(at: AppTest) -> str:
    """Return the count line above the map, as the user reads it."""
    return html_blocks(at, "innomap-headline")[0]


def map_args(at: AppTest) -> dict:
    """Return the streamlit-folium component's arguments."""
    (component,) = [e for e in at.get("component_instance")]
    return json.loads(component.proto.json_args)


def city_layer(at: AppTest) -> dict:
    """Return the data the map's city layer sends to the browser."""
    return city_layer_data(map_args(at)["feature_group"])


def marker_ids(at: AppTest) -> list[str]:
    """Return the ids of the cities on the map, in order."""
    return [place["id"] for place in named(city_layer(at))]


def open_tab(at: AppTest, label: str) -> AppTest:
    """Switch to a tab as a click would (AppTest has no tab clicks; the tabs are keyed)."""
    at.session_state["view"] = label
    return at.run()


def table_names(at: AppTest, tab: str = "Table") -> list[str]:
    """Open the table tab; return the first column of the city table."""
    open_tab(at, tab)
    return list(at.dataframe(key="table").value.iloc[:, 0]) if at.dataframe else []
