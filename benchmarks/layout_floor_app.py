"""The layout floor for lighthouse.py: Streamlit's own page of the dashboard's shape, with
nothing of innomap's (issue 21, section 2).

A wide page, an open sidebar of filter widgets as the dashboard's (a language switch, a search
box, five multiselects, a radio, a toggle, a button, a code block and a caption), a title, a
caption, six tabs and a map-sized box (Streamlit's bordered container, 600 px). Whatever this
page shifts and costs, Streamlit does; the dashboard's own shifts are what it adds beyond this
page, measured in the same run.
"""

import streamlit as st

st.set_page_config(page_title="layout floor", layout="wide")
side = st.sidebar
side.segmented_control("Kieli", ["Suomi", "Svenska", "English"], default="Suomi")
side.header("Suodattimet", anchor=False)
side.text_input("Haku", placeholder="Nimi tai sana painopisteistä")
OPTIONS = ["Yksi", "Kaksi", "Kolme"]
for label in ("Painopistealueet", "Laajat teemat"):
    side.multiselect(label, OPTIONS, placeholder="Valitse…")
side.radio("Vastaavuus", ["mikä tahansa", "kaikki"], horizontal=True, help="Ohje")
for label in ("Suuralue", "Välittävä toimielin", "Verkostot"):
    side.multiselect(label, OPTIONS, placeholder="Valitse…")
side.toggle("Näytä kumppanikunnat", True)
side.button("Tyhjennä suodattimet", width="stretch")
side.code("Otsikko – lähde, versio, päivä, osoite", language=None, wrap_lines=True)
side.caption("Kopioi rivi.")
st.title("Layout floor", anchor=False)
st.caption("A caption where the dashboard has its programme line.")
tabs = st.tabs(["Kartta", "Taulukko", "Painopisteet", "Matriisi", "Ohjelma", "Saavutettavuus"])
with tabs[0]:
    st.container(height=600, border=True)
