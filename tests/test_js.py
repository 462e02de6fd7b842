"""The browser runtime's own checks: ESLint over src/innomap/web and tests/js, and the Node unit
tests (tests/js/*.test.js, node:test) of its pure parts against the real files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.tools import missing_tool, require_tool

ROOT = Path(__file__).resolve().parents[1]
ESLINT = ROOT / "node_modules" / "eslint" / "bin" / "eslint.js"
UNIT_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.js"))


def node() -> str:
    """Return Debian's node; skip without it (fail under CI=true)."""
    return require_tool("node", "node is not installed: apt-get install nodejs npm")


def run(*args: str | Path) -> subprocess.CompletedProcess:
    """Run node with the arguments from the project's root."""
    return subprocess.run([node(), *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=120)


def test_there_are_unit_tests_of_the_runtime():
    assert len(UNIT_TESTS) >= 5


def test_eslint_finds_no_problem():
    if not ESLINT.is_file():
        missing_tool("ESLint is not installed: run `python3 dev.py test` (it runs `npm ci`)")
    done = run(ESLINT, "--max-warnings", "0", "src/innomap/web", "tests/js", "eslint.config.js")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("unit", UNIT_TESTS, ids=lambda p: p.name)
def test_node_unit_tests_pass(unit):
    done = run("--test", "--test-reporter=spec", unit)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout or "ℹ fail 0" in done.stdout, done.stdout


def test_a_failing_node_test_fails_here(tmp_path):
    """The check above reads node's exit status: a failing node:test file exits non-zero."""
    failing = tmp_path / "fails.test.js"
    failing.write_text('require("node:test")("fails", () => { throw new Error("no"); });\n',
                       encoding="utf-8")
    done = run("--test", failing)
    assert done.returncode != 0 and "fail 1" in done.stdout
