"""The Kubernetes shape, checked offline: deploy/kubernetes/ and the Containerfile.

No cluster and no container tool run here. The manifests are validated against the
Kubernetes 1.30 schemas that kubernetes-validate bundles (strict: an unknown field fails) and
linted by yamllint (.yamllint); then they are held to the local shape where the two overlap:
the port and command of `innomap serve`, the shipped Streamlit settings, the environment
variables innomap reads, the proxy's cookie, and the probe path, which the pod's own command
must answer when run here.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import kubernetes_validate
import pytest
import yaml
from streamlit import config as streamlit_config
from yamllint import linter
from yamllint.config import YamlLintConfig

from innomap import cli, statement
from innomap.shipped import STREAMLIT_CONFIG, data_paths
from tests.support import harness, wire

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "deploy" / "kubernetes"
CONTAINERFILE = ROOT / "Containerfile"
# The oldest Kubernetes still common in managed clusters; the bundled schemas make it offline.
KUBERNETES = "1.30"
# Streamlit settings that are the theme, not how the server runs: not repeated in the pod.
NOT_DEPLOYMENT = ("theme",)


def documents() -> list[tuple[str, dict[str, Any]]]:
    """Return every manifest document with the name of its file."""
    found = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        found += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
    return found


def manifest(kind: str) -> dict[str, Any]:
    """Return the one manifest of this kind."""
    (found,) = [doc for _, doc in documents() if doc["kind"] == kind]
    return found


def container() -> dict[str, Any]:
    """Return the Deployment's one container."""
    (found,) = manifest("Deployment")["spec"]["template"]["spec"]["containers"]
    return found


def pod_env() -> dict[str, str]:
    """Return the container's environment variables, name → value."""
    return {item["name"]: item["value"] for item in container()["env"]}


def option(command: list[str], name: str) -> str:
    """Return the value after `name` in a command line."""
    return command[command.index(name) + 1]


def test_manifests_are_the_expected_kinds() -> None:
    """One file per object: the Deployment, Service, Ingress, autoscaler and disruption budget."""
    kinds = [(name, doc["apiVersion"], doc["kind"]) for name, doc in documents()]
    assert kinds == [
        ("deployment.yaml", "apps/v1", "Deployment"),
        ("hpa.yaml", "autoscaling/v2", "HorizontalPodAutoscaler"),
        ("ingress.yaml", "networking.k8s.io/v1", "Ingress"),
        ("poddisruptionbudget.yaml", "policy/v1", "PodDisruptionBudget"),
        ("service.yaml", "v1", "Service"),
    ]


@pytest.mark.parametrize(("name", "doc"), documents(), ids=[n for n, _ in documents()])
def test_manifest_passes_kubernetes_validate(name: str, doc: dict[str, Any]) -> None:
    """Each object is valid for Kubernetes 1.30, unknown fields included (strict)."""
    assert kubernetes_validate.validate(doc, KUBERNETES, strict=True) == KUBERNETES


def test_kubernetes_validate_rejects_a_misspelt_field() -> None:
    """The check above can fail: a probe under a misspelt name is an unknown field."""
    doc = copy.deepcopy(manifest("Deployment"))
    spec = doc["spec"]["template"]["spec"]["containers"][0]
    spec["readynessProbe"] = spec.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError, match="readynessProbe"):
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def yaml_files() -> Iterator[Path]:
    """Yield the repository's YAML: the manifests and yamllint's own settings."""
    yield ROOT / ".yamllint"
    yield from sorted(MANIFESTS.glob("*.yaml"))


@pytest.mark.parametrize("path", list(yaml_files()), ids=lambda p: p.name)
def test_yaml_passes_yamllint(path: Path) -> None:
    """No yamllint problem, warnings included, with the repository's .yamllint."""
    settings = YamlLintConfig(file=str(ROOT / ".yamllint"))
    problems = [f"{p.line}:{p.column} {p.level} {p.desc} ({p.rule})"
                for p in linter.run(path.read_text("utf-8"), settings, str(path))]
    assert problems == []


def test_yamllint_settings_catch_a_bad_manifest() -> None:
    """The lint can fail: a `yes`, a missing `---` and a doubled space are all reported."""
    settings = YamlLintConfig(file=str(ROOT / ".yamllint"))
    rules = [p.rule for p in linter.run("enabled: yes\nname:  innomap\n", settings, "x.yaml")]
    assert rules == ["document-start", "truthy", "colons"]


def test_port_is_the_one_innomap_serve_uses() -> None:
    """`innomap serve`'s default port is the container's, its command's, the Containerfile's,
    and the Service's target (by the port's name)."""
    (port_option,) = [p for p in cli.serve.params if p.name == "port"]
    (port,) = container()["ports"]
    (service_port,) = manifest("Service")["spec"]["ports"]
    assert port_option.default == port["containerPort"] == 8501
    assert option(container()["command"], "--port") == str(port["containerPort"])
    assert service_port["targetPort"] == port["name"]
    assert containerfile("EXPOSE") == [str(port["containerPort"])]


def test_probes_ask_streamlits_health_path_on_the_named_port() -> None:
    """Startup, readiness and liveness all ask /_stcore/health (the path the local proxy and
    the wire client check) on the container's port."""
    probes = {name: container()[name]["httpGet"]
              for name in ("startupProbe", "readinessProbe", "livenessProbe")}
    assert probes == {name: {"path": wire.HEALTH_PATH, "port": "http"} for name in probes}


def test_streamlit_settings_are_the_shipped_ones() -> None:
    """The pod's STREAMLIT_* variables are exactly the shipped .streamlit/config.toml's
    server settings (all but the theme), each under Streamlit's own variable name."""
    shipped = tomllib.loads(STREAMLIT_CONFIG.read_text("utf-8"))
    options = streamlit_config.get_config_options()
    expected = {options[f"{section}.{name}"].env_var: toml_text(value)
                for section, values in shipped.items() if section not in NOT_DEPLOYMENT
                for name, value in values.items()}
    found = {name: value for name, value in pod_env().items() if name.startswith("STREAMLIT_")}
    assert found == expected


def toml_text(value: object) -> str:
    """Return a TOML value as an environment variable spells it."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


class ReadNames(dict[str, str]):
    """An empty environment that records the names asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        """Record the name, answer as an empty environment does."""
        self.asked.add(key)
        return default


def test_innomap_variables_are_ones_innomap_reads() -> None:
    """Every INNOMAP_* variable in the pod is one innomap reads (asked of the code itself);
    the pod sets the publisher's contact and leaves the data at the shipped files."""
    environ = ReadNames()
    data_paths(environ)
    statement.contact(environ)
    found = {name for name in pod_env() if name.startswith("INNOMAP_")}
    assert found <= environ.asked
    assert (found, environ.asked) == ({"INNOMAP_CONTACT"},
                                      {"INNOMAP_CONTACT", "INNOMAP_DATA", "INNOMAP_THEMES"})


def test_ingress_pins_readers_by_the_local_proxys_cookie() -> None:
    """ingress-nginx's cookie affinity, under the cookie name innomap's own proxy uses, and
    WebSocket timeouts of a day."""
    notes = manifest("Ingress")["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert {key.removeprefix(prefix): value for key, value in notes.items()} == {
        "affinity": "cookie", "affinity-mode": "persistent",
        "session-cookie-name": wire.REPLICA_COOKIE, "session-cookie-path": "/",
        "session-cookie-secure": "true", "session-cookie-samesite": "None",
        "proxy-read-timeout": "86400", "proxy-send-timeout": "86400"}


def test_objects_name_each_other() -> None:
    """The Service, disruption budget and pods share one label; the Ingress sends to the
    Service's port and the autoscaler scales the Deployment, on CPU."""
    deployment, service = manifest("Deployment"), manifest("Service")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == labels
    assert service["spec"]["selector"] == labels
    assert manifest("PodDisruptionBudget")["spec"]["selector"]["matchLabels"] == labels
    (rule,) = manifest("Ingress")["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    (service_port,) = service["spec"]["ports"]
    assert path["backend"]["service"] == {"name": service["metadata"]["name"],
                                          "port": {"name": service_port["name"]}}
    autoscaler = manifest("HorizontalPodAutoscaler")["spec"]
    assert autoscaler["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                            "name": deployment["metadata"]["name"]}
    assert [m["resource"]["name"] for m in autoscaler["metrics"]] == ["cpu"]


def test_a_pod_is_one_core() -> None:
    """One core requested and allowed: the unit benchmarks/README.md measures capacity in."""
    resources = container()["resources"]
    assert (resources["requests"]["cpu"], resources["limits"]["cpu"]) == ("1", "1")


def containerfile(instruction: str) -> list[str]:
    """Return the arguments of the Containerfile's last line with this instruction."""
    text = CONTAINERFILE.read_text("utf-8").replace("\\\n", " ")
    lines = [line.split(None, 1)[1] for line in text.splitlines()
             if line.split(None, 1)[:1] == [instruction]]
    value = lines[-1]
    return json.loads(value) if value.startswith("[") else value.split()


def test_containerfile_agrees_with_the_deployment() -> None:
    """The image's command, user and tag are the pod's: the same `innomap serve` line, the
    same unprivileged user, and the tag is the package's version."""
    pod = manifest("Deployment")["spec"]["template"]["spec"]
    assert containerfile("CMD") == container()["command"]
    assert containerfile("USER") == [f"{pod['securityContext']['runAsUser']}:"
                                     f"{pod['securityContext']['runAsGroup']}"]
    assert container()["image"] == f"innomap:{version('innomap')}"
    assert option(container()["command"], "--dir") == containerfile("WORKDIR")[-1]
    mounts = {m["mountPath"] for m in container()["volumeMounts"]}
    assert option(container()["command"], "--dir") in mounts


def test_the_pods_command_answers_its_probes(tmp_path: Path) -> None:
    """Run the container's command and environment here (on a free loopback port, in a
    temporary folder): every probe's path answers 200 "ok"."""
    command = list(container()["command"])
    assert command[:2] == ["innomap", "serve"]
    port = harness.free_port()
    command[command.index("--port") + 1] = str(port)
    command[command.index("--dir") + 1] = str(tmp_path / "run")
    # Loopback only here; in the pod Streamlit listens on every address (its default).
    env = harness.server_env() | pod_env() | {"STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
    server = harness.launch([sys.executable, "-m", "innomap", *command[1:]], port,
                            harness.ARTIFACTS / "kubernetes-pod.log", env, cwd=tmp_path)
    try:
        answers = set()
        for name in ("startupProbe", "readinessProbe", "livenessProbe"):
            with urlopen(f"{server.origin}{container()[name]['httpGet']['path']}") as answer:
                answers.add((answer.status, answer.read().decode()))
        assert answers == {(200, "ok")}
        # The run folder holds the shipped settings: the ones the variables above repeat.
        written = (tmp_path / "run" / ".streamlit" / "config.toml").read_text("utf-8")
        assert written == STREAMLIT_CONFIG.read_text("utf-8")
    finally:
        server.stop()


def test_readme_names_the_manifests() -> None:
    """README's Kubernetes section names every manifest, the Containerfile and the check."""
    section = re.search(r"### Kubernetes\n(.*?)\n## ", (ROOT / "README.md").read_text("utf-8"),
                        re.S)
    assert section, "README.md has no '### Kubernetes' section under Deployment"
    for path in sorted(MANIFESTS.glob("*.yaml")):
        assert f"deploy/kubernetes/{path.name}" in section.group(1)
    assert "Containerfile" in section.group(1)
    assert f"kubernetes-validate -k {KUBERNETES} --strict deploy/kubernetes/" in section.group(1)
