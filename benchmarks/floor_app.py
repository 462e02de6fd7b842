"""Streamlit's floor for bench.py: a page with nothing but a title.

No app on this stack can show anything sooner than this page shows its title, on the same
machine, browser and server options; bench.py measures it in the same run as the maps.
"""

import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.title("Streamlit floor", anchor=False)
