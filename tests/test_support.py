"""The test suite's own rule for missing tools: skipped on a laptop, a failure under CI=true."""

from __future__ import annotations

import sys

import pytest

from tests.support.tools import missing_tool, require_tool

REASON = "frobnicate is not installed (apt-get install frobnicate)"


def test_a_present_tool_is_returned(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_tool(sys.executable, REASON) == sys.executable


@pytest.mark.parametrize("ci", [None, "false", "1"])
def test_a_missing_tool_skips_with_the_reason_off_ci(monkeypatch, ci):
    monkeypatch.setattr("shutil.which", lambda name: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"^frobnicate is not installed \(apt-get"):
        require_tool("frobnicate", REASON)


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception,
                       match=r"^frobnicate is not installed .* \(CI=true: the tests that need"):
        require_tool("frobnicate", REASON)


def test_a_missing_module_dependency_skips_the_whole_module_off_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        missing_tool(REASON, module=True)
    assert skipped.value.allow_module_level
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        missing_tool(REASON, module=True)
