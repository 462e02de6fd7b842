"""The engines' configuration files, from the shipped templates in deploy/ with only what
varies filled in: HAProxy's (one for the whole shape) and supervisord's (one per host)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from innomap.ops.shape import Replica, health_path, static_path
from innomap.shipped import DEPLOY_DIR

HAPROXY_TEMPLATE = DEPLOY_DIR / "haproxy-innomap.cfg"
SUPERVISORD_TEMPLATE = DEPLOY_DIR / "supervisord-innomap.conf"
PROGRAM_TEMPLATE = DEPLOY_DIR / "supervisor-replica.conf"
PLACEHOLDER = re.compile(r"@[A-Z_]+@")
# The backend with the health checks and the pinning cookie; the media backend tracks it.
BACKEND = "innomap_replicas"


def fill(template: Path, values: dict[str, str]) -> str:
    """Return the template's text with each @NAME@ replaced; fail on one left unfilled."""
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = PLACEHOLDER.search(text)
    if left:
        raise ValueError(f"{template.name}: {left.group(0)} was left unfilled")
    return text


def server_lines(replicas: list[Replica]) -> str:
    """Return HAProxy's server lines: the name is also the cookie value that pins to it."""
    return "\n".join(f"    server {r.name} {r.endpoint} cookie {r.name}" for r in replicas)


def media_server_lines(replicas: list[Replica]) -> str:
    """Return the media backend's server lines: the same replicas, tracking their health."""
    return "\n".join(f"    server {r.name} {r.endpoint} cookie {r.name} track {BACKEND}/{r.name}"
                     for r in replicas)


def haproxy_config(run_dir: Path, bind: str, replicas: list[Replica],
                   options: tuple[str, ...] = ()) -> str:
    """Return haproxy.cfg for these replicas, listening on `bind` (address:port)."""
    return fill(HAPROXY_TEMPLATE, {"RUN": str(run_dir), "BIND": bind,
                                   "HEALTH": health_path(options),
                                   "STATIC": static_path(options),
                                   "SERVERS": server_lines(replicas),
                                   "MEDIA_SERVERS": media_server_lines(replicas)})


def supervisord_config(run_dir: Path, user: str, programs: dict[str, list[str]]) -> str:
    """Return supervisord.conf running each named program's command, logging into run_dir."""
    sections = [fill(PROGRAM_TEMPLATE, {
        "NAME": name, "COMMAND": _escape(shlex.join(command)), "APP_DIR": _escape(str(run_dir)),
        "LOG": _escape(str(run_dir / f"replica-{name}.log"))})
        for name, command in programs.items()]
    return fill(SUPERVISORD_TEMPLATE, {"RUN": _escape(str(run_dir)), "USER": user,
                                       "PROGRAMS": "\n".join(sections)})


def _escape(value: str) -> str:
    # supervisor expands %(name)s in its values: a literal % is written %%.
    return value.replace("%", "%%")
