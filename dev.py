#!/usr/bin/env python3
"""Set up and run innomap on a fresh machine (Python 3.11+, stdlib only).

    python3 dev.py dashboard [streamlit options]   set up .venv, then run the dashboard
    python3 dev.py test [pytest options]           set up .venv (and npm's axe-core, ESLint), then
                                                   lint (ruff, import-linter, mypy) and run every
                                                   test: Python, and the browser code's ESLint
                                                   and Node tests (tests/test_js.py)
    python3 dev.py test-lowest                     the non-browser tests on the lowest versions
                                                   pyproject.toml allows (in a throwaway venv)
    python3 dev.py serve --replicas N --port P     the production shape: N replicas under
                                                   supervisord behind HAProxy
    python3 dev.py serve --hosts H --replicas N --port P
                                                   the same on H simulated hosts (network
                                                   namespaces; needs root)
    python3 dev.py screenshot                      refresh docs/screenshot.png for the README
    python3 dev.py lock                            refresh uv.lock after editing dependencies

Set-up installs exactly what uv.lock pins (with hashes), and is skipped when .venv already
matches pyproject.toml and uv.lock.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
UV = BIN / ("uv.exe" if os.name == "nt" else "uv")
# uv installs from the lock; pip only bootstraps this pinned uv into .venv.
UV_VERSION = "0.13.9"
STAMP = VENV / ".innomap-installed"
# pip compiles bytecode at install; uv only when asked (imports are ~3x slower without).
UV_ENV = {**os.environ, "UV_COMPILE_BYTECODE": "1", "UV_PROJECT_ENVIRONMENT": str(VENV)}


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command from the project root; exit with its status if it fails."""
    done = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if done.returncode != 0:
        sys.exit(done.returncode)


def bootstrap() -> None:
    """Create .venv with the pinned uv in it (pip only installs uv)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on any python3
        sys.exit(f"innomap needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if UV.exists():
        return
    # No uv yet: a new .venv, or one a stopped set-up left half made (made afresh).
    print("Creating .venv …", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        f"uv=={UV_VERSION}")


def set_up() -> None:
    """Install the locked dependencies and test extras into .venv, if anything changed."""
    wanted = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in
                                     ("pyproject.toml", "uv.lock")) + UV_VERSION.encode())
    if STAMP.is_file() and STAMP.read_text() == wanted.hexdigest():
        return
    bootstrap()
    print("Installing innomap and its locked dependencies into .venv …", flush=True)
    # --locked: stop if uv.lock no longer matches pyproject.toml (run `dev.py lock`);
    # --inexact: keep pip and uv themselves in .venv.
    run(UV, "sync", "--quiet", "--locked", "--inexact", "--extra", "test", "--python", PYTHON,
        env=UV_ENV)
    STAMP.write_text(wanted.hexdigest())


def dashboard(extra: list[str]) -> None:
    """Run the Streamlit dashboard."""
    run(PYTHON, "-m", "streamlit", "run", "dashboard.py", *extra)


def set_up_npm() -> None:
    """Install axe-core, ESLint (and Lighthouse) as package-lock.json pins them, if it changed."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".innomap-installed"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:  # the tests that need these say what is missing (and fail on CI)
        print("npm not found: ESLint, the Node tests and the accessibility tests need "
              "`npm ci`", flush=True)
        return
    print("Installing the npm packages in package-lock.json …", flush=True)
    run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
    stamp.write_text(wanted)


def test(extra: list[str]) -> None:
    """Lint and type-check, then run the whole test suite (ESLint and the Node unit tests of the
    browser code are in it: tests/test_js.py)."""
    set_up_npm()
    run(PYTHON, "-m", "ruff", "check", ".")
    run(BIN / "lint-imports", "--no-cache")
    run(PYTHON, "-m", "mypy")
    run(PYTHON, "-m", "pytest", *extra)


def test_lowest(extra: list[str]) -> None:
    """Run the non-browser tests with the lowest versions pyproject.toml allows."""
    with tempfile.TemporaryDirectory(prefix="innomap-lowest-") as folder:
        # Readable by all, as .venv is: a test runs `innomap serve` as another user (nobody).
        os.chmod(folder, 0o755)
        python = Path(folder) / "bin" / "python"
        run(UV, "venv", "--quiet", "--python", PYTHON, folder, env=UV_ENV)
        # lowest-direct: each direct dependency at its lower bound, the rest as resolved.
        run(UV, "pip", "install", "--quiet", "--python", python, "--resolution", "lowest-direct",
            ".[test]", env=UV_ENV)
        run(UV, "pip", "list", "--python", python, env=UV_ENV)
        run(python, "-m", "pytest", "-m", "not browser and not package", *extra)


def serve(extra: list[str]) -> None:
    """Run the installed app as production does (innomap serve; --replicas N: behind HAProxy)."""
    # exec: Ctrl-C and SIGTERM reach `innomap serve`, which stops everything it started.
    os.execv(PYTHON, [str(PYTHON), "-m", "innomap", "serve", *extra])


def screenshot(extra: list[str]) -> None:
    """Take the README's screenshot of the dashboard in Chromium."""
    run(PYTHON, "scripts/screenshot.py", *extra)


def lock(extra: list[str]) -> None:
    """Resolve the dependencies again and rewrite uv.lock."""
    run(UV, "lock", *extra, env=UV_ENV)


def main() -> None:
    """Dispatch the command line."""
    commands = {"dashboard": dashboard, "test": test, "test-lowest": test_lowest,
                "serve": serve, "screenshot": screenshot, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    # Locking comes before installing: the lock is what set-up installs from.
    bootstrap() if sys.argv[1] == "lock" else set_up()
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
