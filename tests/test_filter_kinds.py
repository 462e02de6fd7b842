"""The filter registry: every kind round-trips URL → widgets → URL and CLI → export."""

from __future__ import annotations

from dataclasses import fields

import pytest
from click.testing import CliRunner

from innomap.cli import main
from innomap.export import to_csv
from innomap.filters import KINDS, FilterKind, Filters, choices
from innomap.view import View
from tests.support.apptest import shown_errors, start, url

# AppTest's accessor for each kind of sidebar widget.
WIDGETS = {"multiselect": "multiselect", "text": "text_input", "radio": "radio",
           "toggle": "toggle"}


def example(kind: FilterKind, dataset) -> object:
    """Return a value of the kind that is not its default, from the shipped data."""
    if kind.is_list:
        return (choices(dataset)[kind.name][-1],)
    if kind.widget == "toggle":
        return not kind.default
    if kind.widget == "radio":
        return next(v for v in kind.fixed if v != kind.default)
    return "vesi"


def cli_args(kind: FilterKind, value: object) -> list[str]:
    """Return the command-line words that choose the value."""
    if kind.widget == "toggle":
        return [f"--{kind.name}" if value else f"--no-{kind.name}"]
    values = value if isinstance(value, tuple) else (value,)
    return [word for v in values for word in (f"--{kind.name}", str(v))]


def test_the_registry_names_every_filters_field_once():
    assert sorted(k.name for k in KINDS) == sorted(f.name for f in fields(Filters))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_round_trips_url_widgets_url(kind, dataset):
    value = example(kind, dataset)
    params = Filters(**{kind.name: value}).to_params()
    at = start("en", **params)
    widget = getattr(at, WIDGETS[kind.widget])(key=kind.name)
    assert widget.value == (list(value) if isinstance(value, tuple) else value)
    assert url(at) == {**{k: v if isinstance(v, list) else [v] for k, v in params.items()},
                       "lang": ["en"]}
    assert shown_errors(at) == [] and not at.warning


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_round_trips_cli_to_export(kind, dataset):
    value = example(kind, dataset)
    result = CliRunner().invoke(main, ["export", *cli_args(kind, value), "--lang", "sv",
                                       "-o", "-"])
    assert result.exit_code == 0, result.output
    view = View.of(dataset, Filters(**{kind.name: value}), "sv")
    assert result.stdout_bytes == to_csv(view)
    # The kind filtered (match alone only changes how focus areas and themes combine).
    assert (len(view.rows) < len(dataset.cities)) == (kind.keep is not None)
