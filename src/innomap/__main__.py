"""Allow `python -m innomap`."""

from innomap.cli import main

main()
