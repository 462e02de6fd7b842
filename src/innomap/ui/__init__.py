"""The Streamlit shell's parts: page sections, session state, the map component.

Only this subpackage and dashboard.py import Streamlit (ruff's TID251 rule, scoped by path).
"""
