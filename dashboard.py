"""innomap: the ecosystem cities of Innovoivat kaupungit ja yhteisöt on a map of Finland.

The Streamlit entry: `streamlit run dashboard.py` (or `python3 dev.py dashboard`). The page
itself is `innomap.ui.app`; Streamlit serves the `static/` folder beside this file, where the
app puts Leaflet, its runtime and the data's texts files.
"""

from pathlib import Path

from innomap.ui.app import main

main(static_dir=Path(__file__).resolve().parent / "static")
