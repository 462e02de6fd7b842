"""The real-browser tests: the dashboard under `streamlit run`, driven in Debian's Chromium."""
