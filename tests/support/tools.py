"""Tools from outside Python that some tests need (Chromium, node, LibreOffice, axe-core …):
the one copy of the rule for when one is missing. On a laptop the test is skipped with the
reason; under CI=true it fails, because CI installs every tool and a skip would hide a gap.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def missing_tool(reason: str, module: bool = False) -> NoReturn:
    """Skip the test (the whole module if `module`) for a missing tool; fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the tests that need it must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


def require_tool(name: str, reason: str) -> str:
    """Return the path of the command `name`; without it, skip (fail under CI=true)."""
    path = shutil.which(name)
    if path is None:
        missing_tool(reason)
    return path
