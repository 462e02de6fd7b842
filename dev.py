#!/usr/bin/env python3
"""Set up and run innomap on a fresh machine (Python 3.11+, stdlib only).

    python3 dev.py dashboard [streamlit options]   set up .venv, then run the dashboard
    python3 dev.py test [pytest options]           set up .venv, then lint and run every test

Set-up is skipped when .venv already matches pyproject.toml.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".innomap-installed"


def run(*args: str | Path) -> None:
    """Run a command from the project root; exit with its status if it fails."""
    done = subprocess.run([str(a) for a in args], cwd=ROOT)
    if done.returncode != 0:
        sys.exit(done.returncode)


def set_up() -> None:
    """Create .venv and install the project with its test extras, if anything changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on any python3
        sys.exit(f"innomap needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing innomap and its dependencies into .venv …", flush=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(wanted)


def dashboard(extra: list[str]) -> None:
    """Run the Streamlit dashboard."""
    run(PYTHON, "-m", "streamlit", "run", "dashboard.py", *extra)


def test(extra: list[str]) -> None:
    """Lint, then run the whole test suite."""
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "pytest", *extra)


def main() -> None:
    """Dispatch the command line."""
    commands = {"dashboard": dashboard, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    set_up()
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
