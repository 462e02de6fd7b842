"""A second floor for bench.py: a page with only a title and innomap's map of all places.

The dashboard draws this same map (innomap.ui.mapcomponent.show_cities: same component, payload and
texts file) beside its filters, tabs and details. What this page takes is what the map alone
takes on this stack; the rest of the dashboard's page load is what everything around the map
adds. bench.py runs a copy from a temporary folder (its static/ lands there).
"""

from pathlib import Path

import streamlit as st

from innomap.assets import install_static
from innomap.cities import DatasetStore
from innomap.shipped import data_paths
from innomap.ui.mapcomponent import show_cities
from innomap.view import View

STATIC_DIR = Path(__file__).resolve().parent / "static"
LANG = "en"


@st.cache_resource(show_spinner=False)
def _store() -> DatasetStore:
    install_static(STATIC_DIR)
    return DatasetStore(unique_codes=False)  # synthetic data above 1,000 places repeats codes


st.set_page_config(page_title="map floor", layout="wide")
st.title("Title and map only", anchor=False)
dataset, _ = _store().get(*data_paths())
show_cities(View.of(dataset, lang=LANG), STATIC_DIR)
