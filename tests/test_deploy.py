"""The shipped deployment files (src/innomap/ops/deploy/): what the launcher fills in, that
HAProxy accepts the result, and that SECURITY.md and README quote them as they are."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from innomap.ops.configs import (
    HAPROXY_TEMPLATE,
    PROGRAM_TEMPLATE,
    fill,
    haproxy_config,
    media_server_lines,
    server_lines,
    supervisord_config,
)
from innomap.ops.shape import health_path, plan_hosts, replica_args, replica_command
from innomap.shipped import DEPLOY_DIR
from tests.support.tools import require_tool

ROOT = Path(__file__).resolve().parents[1]
UNIT = DEPLOY_DIR / "systemd" / "innomap-replica@.service"


def test_three_hosts_of_two_replicas_interleave_by_host():
    """HAProxy's round robin follows the server order: consecutive browsers, other hosts."""
    assert [(r.name, r.program, r.host, r.endpoint) for r in plan_hosts(3, 2)] == [
        ("h1-r1", "r1", "innomap-h1", "10.231.0.11:8501"),
        ("h2-r1", "r1", "innomap-h2", "10.231.0.12:8501"),
        ("h3-r1", "r1", "innomap-h3", "10.231.0.13:8501"),
        ("h1-r2", "r2", "innomap-h1", "10.231.0.11:8502"),
        ("h2-r2", "r2", "innomap-h2", "10.231.0.12:8502"),
        ("h3-r2", "r2", "innomap-h3", "10.231.0.13:8502"),
    ]


@pytest.mark.parametrize(("options", "path"), [
    ((), "/_stcore/health"),
    (("--server.port", "8600"), "/_stcore/health"),
    (("--server.baseUrlPath", "innomap"), "/innomap/_stcore/health"),
    (("--server.baseUrlPath=/maps/innomap/",), "/maps/innomap/_stcore/health"),
    (("--server.baseUrlPath", "/"), "/_stcore/health"),
])
def test_the_health_check_follows_the_url_prefix(options, path):
    assert health_path(options) == path


def test_a_word_left_unfilled_is_an_error():
    with pytest.raises(ValueError, match=r"^haproxy-innomap\.cfg: @RUN@ was left unfilled$"):
        fill(HAPROXY_TEMPLATE, {"BIND": "127.0.0.1:80"})


def test_haproxy_accepts_the_configuration_for_three_hosts(tmp_path):
    """Debian's haproxy checks the file `serve --hosts 3 --replicas 2` writes (haproxy -c)."""
    haproxy = require_tool("haproxy", "haproxy is not installed (apt-get install haproxy)")
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(tmp_path, "127.0.0.1:8080", plan_hosts(3, 2)))
    done = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "option httpchk GET /_stcore/health\n" in config.read_text()


def test_supervisor_runs_each_replica_with_the_one_command(tmp_path):
    """Each program's command is replica_command, quoted for supervisor (a % doubled)."""
    app = tmp_path / "50%" / "app"
    command = replica_command("/usr/bin/python3", app, "10.231.0.11", 8501)
    text = supervisord_config(tmp_path, "innomap", {"r1": command})
    assert f"command=/usr/bin/python3 -m innomap serve --dir {tmp_path}/50%%/app --port 8501 " \
           "--server.address 10.231.0.11\n" in text
    assert "[program:r1]\n" in text and "autorestart=true\n" in text


def test_the_systemd_unit_runs_the_one_command():
    """The unit's ExecStart is `innomap` with replica_args, port and address systemd's."""
    exec_start = re.search(r"^ExecStart=(.+)$", UNIT.read_text(), re.M)
    assert exec_start
    binary, *args = shlex.split(exec_start.group(1))
    assert binary.endswith("/innomap")
    assert args == replica_args("/var/lib/innomap/app", "${INNOMAP_ADDRESS}", "%i")


def fenced(text: str, language: str) -> list[str]:
    """Return the bodies of the text's ```language blocks."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.S | re.M)


def test_security_md_quotes_the_shipped_files_as_they_are():
    """SECURITY.md shows HAProxy's file, supervisor's program, the systemd unit, and the
    server lines of 3 hosts × 2 replicas (both backends') exactly as shipped and as the
    launcher writes them."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    blocks = fenced(text, "haproxy") + fenced(text, "ini")
    for path in (HAPROXY_TEMPLATE, PROGRAM_TEMPLATE, UNIT):
        assert f"(src/innomap/ops/deploy/{path.relative_to(DEPLOY_DIR)})" in text
        assert path.read_text(encoding="utf-8") in blocks, f"{path.name} not quoted as shipped"
    assert server_lines(plan_hosts(3, 2)) + "\n" in blocks
    assert media_server_lines(plan_hosts(3, 2)) + "\n" in blocks


def test_haproxy_accepts_security_md_s_framing_policy(tmp_path):
    """The frame-ancestors line SECURITY.md gives operators, added to the frontend, is a
    configuration HAProxy accepts (haproxy -c)."""
    haproxy = require_tool("haproxy", "haproxy is not installed (apt-get install haproxy)")
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    framing = text.split("## Framing (the embed code)", 1)[1].split("\n## ", 1)[0]
    (policy,) = fenced(framing, "haproxy")
    assert "Content-Security-Policy \"frame-ancestors " in policy
    shipped = haproxy_config(tmp_path, "127.0.0.1:8080", plan_hosts(1, 2))
    config = tmp_path / "haproxy.cfg"
    config.write_text(shipped.replace("\nbackend innomap_replicas\n",
                                      f"{policy}\nbackend innomap_replicas\n", 1))
    done = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_gives_the_deployment_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    for command in ("python3 dev.py serve --replicas 3 --port 8080",
                    "python3 dev.py serve --hosts 3 --replicas 2 --port 8080"):
        assert command in section
