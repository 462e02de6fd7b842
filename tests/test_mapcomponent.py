"""streamlit-folium's private API, as innomap.ui.mapcomponent uses it: fails by name on upgrade."""

from __future__ import annotations

import inspect
import re

import streamlit_folium as stf

from innomap.ui.mapcomponent import COMPONENT_ARGS, PRIVATE_API, show_map


def test_every_private_name_is_still_there():
    missing = [name for name in PRIVATE_API if not callable(getattr(stf, name, None))]
    assert missing == [], f"streamlit-folium no longer has {missing}: follow it in mapcomponent"


def test_st_folium_still_passes_the_component_the_same_arguments():
    """show_map calls the component as st_folium does; a new or renamed argument shows here."""
    source = inspect.getsource(stf.st_folium)
    call = source[source.index("_component_func("):]
    call = call[:call.index("\n    )")]
    passed = set(re.findall(r"^\s*(\w+)=", call, flags=re.M))
    assert len(passed) > 10, f"could not read st_folium's call: {call[:300]}"
    assert sorted(passed ^ set(COMPONENT_ARGS)) == [], (
        f"st_folium's component arguments changed: {sorted(passed ^ set(COMPONENT_ARGS))}")


def test_show_map_passes_the_arguments_it_declares():
    source = inspect.getsource(show_map)
    call = source[source.index("_component_func("):]
    assert sorted(set(re.findall(r"(\w+)=", call[:call.index("\n    )")]))) == sorted(COMPONENT_ARGS)
