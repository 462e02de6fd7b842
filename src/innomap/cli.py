"""Command line: a thin layer over the innomap library (validate, export, import, diff,
partners, serve)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from innomap.changes import as_markdown, as_text, compare, read_version
from innomap.cities import Dataset, load_dataset
from innomap.contract import read_data_files, rebuild, write_files
from innomap.export import export_bytes, export_filename
from innomap.filters import KINDS, Filters, choices
from innomap.i18n import t
from innomap.mapsizes import SIZES
from innomap.networks import display_name
from innomap.ops import launcher
from innomap.ops.shape import MAX_HOSTS, prepare_app_dir
from innomap.partners import find_city, rank_partners
from innomap.schema import LANGS, DataError, count_problems
from innomap.shipped import data_paths
from innomap.themes import load_taxonomy
from innomap.view import View
from innomap.xlsx import CellError


def _load(path: Path | None) -> Dataset:
    cities, themes = data_paths()
    try:
        return load_dataset(path or cities, themes)
    except DataError as err:
        raise click.ClickException(str(err)) from err


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="innomap")
def main() -> None:
    """Innovative Cities and Communities (InnoCities): check the data, export the city list.

    Data comes from the shipped data/cities.geojson, or the file named by INNOMAP_DATA
    (INNOMAP_THEMES likewise for the focus-area taxonomy).
    """


@main.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
def validate(path: Path | None) -> None:
    """Check a cities GeoJSON file and list every problem (exit 1 if any)."""
    cities, themes = data_paths()
    try:
        dataset = load_dataset(path or cities, themes)
    except DataError as err:
        click.echo(f"{err.path}: {count_problems(len(err.problems))}", err=True)
        for problem in err.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    click.echo(f"{dataset.path}: OK, {len(dataset.cities)} municipalities")


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add an option per filter kind (filters.KINDS), named like its URL parameter."""
    for kind in reversed(KINDS):
        name = f"--{kind.name}"
        if kind.is_list:
            kind_type = click.Choice(kind.fixed) if kind.fixed else None
            option = click.option(name, multiple=True, type=kind_type, help=kind.cli_help)
        elif kind.widget == "toggle":
            option = click.option(f"{name}/--no-{kind.name}", default=kind.default,
                                  show_default=True, help=kind.cli_help)
        elif kind.fixed:
            option = click.option(name, type=click.Choice(kind.fixed), default=kind.default,
                                  show_default=True, help=kind.cli_help)
        else:
            option = click.option(name, default=kind.default, help=kind.cli_help)
        command = option(command)
    return command


@main.command()
@click.option("--data", "path", type=click.Path(path_type=Path), help="Cities GeoJSON file.")
@filter_options
@click.option("--lang", type=click.Choice(LANGS), default="fi", show_default=True)
@click.option("--format", "fmt", type=click.Choice(("csv", "xlsx", "geojson", "png", "svg")),
              default="csv", show_default=True,
              help="csv for data tools, xlsx for Excel, geojson for GIS; png or svg: the map "
                   "as an image for slides and reports.")
@click.option("--size", type=click.Choice(tuple(SIZES)), default="slide", show_default=True,
              help="The image's size (png, svg): a 16:9 slide (1920 × 1080 px) or an A4 page.")
@click.option("--url", "base_url", metavar="URL", envvar="INNOMAP_URL",
              help="The dashboard's address (or INNOMAP_URL): the Excel file and the image's "
                   "source line then link to this view there. Without it, they give the "
                   "view's query string.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write; '-' for stdout; default: the dashboard's file name.")
@click.option("--editable", is_flag=True,
              help="With --format xlsx: the maintainers' workbook of all the data (every "
                   "field in every language; no filters), for `innomap import`.")
def export(path: Path | None, lang: str, fmt: str, size: str, base_url: str | None,
           output: Path | None, editable: bool, **chosen: Any) -> None:
    """Write the list (CSV, Excel, GeoJSON) or the map (PNG, SVG) as downloaded.

    What the dashboard downloads for the same filters and language: CSV, GeoJSON and SVG
    byte for byte, PNG pixel for pixel, and the Excel file with the same cells (its zip
    records when it was made). --size chooses the image's: a 16:9 slide or an A4 page.
    --editable writes the maintainers' workbook.
    """
    dataset = _load(path)
    filters = Filters(**chosen)
    if editable:
        _export_editable(dataset, fmt, filters, lang, output)
        return
    _check_choices(filters, dataset)
    view = View.of(dataset, filters, lang, base_url)
    try:
        data = export_bytes(fmt, view, size)
    except CellError as err:
        raise click.ClickException(f"{err}; try --format csv") from err
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    target = output or Path(export_filename(filters.slug(), lang, fmt, size))
    target.write_bytes(data)
    click.echo(f"{target}: {len(view.rows)} of {len(dataset.cities)} municipalities", err=True)


def _export_editable(dataset: Dataset, fmt: str, filters: Filters, lang: str,
                     output: Path | None) -> None:
    if fmt != "xlsx" or filters != Filters():
        raise click.UsageError("--editable writes the whole data as an Excel workbook: use it "
                               "with --format xlsx and without filters")
    files = read_data_files(Path(dataset.path))
    if rebuild(files) != files:
        raise click.ClickException(f"{dataset.path}: the data has fields the workbook does not "
                                   "hold (see data/README.md); nothing was written")
    from innomap.workbook import write_workbook  # here: xlsxwriter/openpyxl only when asked

    data = write_workbook(files, dataset.taxonomy.focus_ids, lang)
    target = output or Path(f"innomap_data_{lang}.xlsx")
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        return
    target.write_bytes(data)
    click.echo(f"{target}: {len(dataset.cities)} municipalities, {len(dataset.networks)} "
               f"networks, {len(dataset.programme)} facts", err=True)


def _check_choices(filters: Filters, dataset: Dataset) -> None:
    for name, allowed in choices(dataset).items():
        for value in getattr(filters, name):
            if value not in allowed:
                raise click.BadParameter(
                    f"expected one of {', '.join(allowed)}; got {value!r}", param_hint=f"--{name}")


@main.command()
@click.argument("city")
@click.option("--data", "path", type=click.Path(path_type=Path), help="Cities GeoJSON file.")
@click.option("--lang", type=click.Choice(LANGS), default="fi", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many municipalities to list.")
def partners(city: str, path: Path | None, lang: str, limit: int) -> None:
    """List municipalities like CITY (an id or a name), shared networks first.

    Each line names the shared networks in [brackets], then the number and names of the
    shared focus areas.
    """
    dataset = _load(path)
    city_id = find_city(dataset, city)
    if city_id is None:
        ids = ", ".join(dataset.cities["id"])
        raise click.BadParameter(f"expected a city id or name ({ids}); got {city!r}",
                                 param_hint="CITY")
    tax = dataset.taxonomy
    matches = rank_partners(dataset, city_id, lang)[:limit]
    click.echo(t("cli.similar", lang, name=dataset.city_name(city_id, lang),
                 count=len(matches)))
    for rank, match in enumerate(matches, start=1):
        line = f"{rank:>3}. {dataset.city_name(match.city, lang)}"
        networks = [display_name(n, lang) for n in dataset.networks if n.id in match.networks]
        if networks:
            line += f" [{'; '.join(networks)}]"
        if match.shared:
            shared = ", ".join(tax.focus_label(f, lang) for f in match.shared)
            line += f" ({len(match.shared)}): {shared}"
        click.echo(line)


@main.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="A data folder, or a cities .geojson file (networks.json and programme.json "
                   "go beside it); default: the data the app reads (INNOMAP_DATA).")
@click.option("--lang", type=click.Choice(LANGS), default="fi", show_default=True,
              help="Language of the messages.")
def import_workbook(workbook: Path, output: Path | None, lang: str) -> None:
    """Read a maintainers' workbook back into the data files, if all of it is valid.

    Every problem is listed by sheet, row and column (exit 1) and then nothing is written.
    An unchanged workbook gives back byte-identical files.
    """
    cities, themes = data_paths()
    try:
        theme_ids = load_taxonomy(themes).focus_ids
    except DataError as err:
        raise click.ClickException(str(err)) from err
    from innomap.findings import check_workbook  # here: openpyxl only for this command

    files, found = check_workbook(workbook.read_bytes(), theme_ids, lang)
    if files is None:
        key = "import.refused_one" if len(found) == 1 else "import.refused"
        click.echo(t(key, lang, path=workbook, count=len(found)), err=True)
        for finding in found:
            click.echo(f"  - {finding}", err=True)
        sys.exit(1)
    for path, data in write_files(files, output or cities).items():
        key = "import.written" if data else "import.unchanged"
        click.echo(t(key, lang, path=path), err=True)


@main.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--lang", type=click.Choice(LANGS), default="fi", show_default=True)
@click.option("--markdown", is_flag=True,
              help="Write a change-log entry for data/CHANGES.md instead: a heading with the "
                   "day, then the changes in fi, sv and en, as Markdown.")
@click.option("--day", default=lambda: date.today().isoformat(), show_default="today",
              help="The entry's day, with --markdown (YYYY-MM-DD).")
def diff(old: Path, new: Path, lang: str, markdown: bool, day: str) -> None:
    """List what changed from OLD to NEW (data files or data folders), in words.

    Exit status: 0 without changes, 1 with changes, 2 when a file cannot be read.
    """
    try:
        before, after = read_version(old), read_version(new)
    except DataError as err:
        click.echo(t("changes.error", lang, path=err.path,
                     problem="; ".join(map(str, err.problems))), err=True)
        sys.exit(2)
    found = compare(before, after, lang)
    click.echo(as_markdown(before, after, day) if markdown else as_text(found, lang), nl=False)
    sys.exit(1 if found else 0)


def _default_run_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "innomap" / "serve"


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--dir", "run_dir", type=click.Path(file_okay=False, path_type=Path),
              default=_default_run_dir, show_default="~/.cache/innomap/serve",
              help="Folder for the Streamlit script, its settings and the files it serves.")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="Port users connect to (HAProxy's, with --replicas).")
@click.option("--replicas", "count", type=click.IntRange(1, 32),
              help="Run this many Streamlit replicas (per host) under Debian's supervisor, "
                   "behind Debian's HAProxy on --port.")
@click.option("--hosts", type=click.IntRange(1, MAX_HOSTS),
              help="With --replicas: simulate this many hosts, each a network namespace "
                   "innomap-h1 … with its own address (needs root).")
@click.option("--no-static-cache", "static_cache", flag_value=False, default=True,
              help="With --replicas: have every request for Streamlit's own files reach a "
                   "replica, rather than HAProxy's cache (to measure what the cache saves).")
@click.argument("streamlit_options", nargs=-1, type=click.UNPROCESSED)
def serve(run_dir: Path, port: int, count: int | None, hosts: int | None, static_cache: bool,
          streamlit_options: tuple[str, ...]) -> None:
    """Run the dashboard with the shipped production settings.

    Streamlit's own options pass through, for example:
    innomap serve --port 8600 --server.baseUrlPath innomap
    """
    if hosts and not count:
        raise click.UsageError("--hosts needs --replicas: how many replicas each host runs")
    if count:
        _serve_replicas(run_dir / "replicas", count, hosts or 0, port, streamlit_options,
                        static_cache)
        return
    entry = prepare_app_dir(run_dir)
    click.echo(f"innomap: serving {entry}", err=True)
    # Become Streamlit: Ctrl-C and SIGTERM reach the server itself, and nothing is left behind.
    os.chdir(run_dir)
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(entry),
                              "--server.port", str(port), *streamlit_options])


def _serve_replicas(run_dir: Path, count: int, hosts: int, port: int,
                    options: tuple[str, ...], static_cache: bool) -> None:
    # SIGTERM ends it like Ctrl-C, during the start too: everything started or made is undone.
    with launcher.interrupted_by_sigterm():
        try:
            deployment = launcher.start(run_dir, count, port, options, hosts, static_cache)
        except RuntimeError as err:
            raise click.ClickException(str(err)) from err
        except KeyboardInterrupt:
            click.echo("innomap: interrupted while starting; stopped everything it started",
                       err=True)
            return
        names = ", ".join(launcher.groups(deployment.replicas))
        where = f"on each of {hosts} hosts ({names})" if hosts else "on this machine"
        click.echo(f"innomap: {count} replicas {where} under supervisord, behind HAProxy at "
                   f"{deployment.url}", err=True)
        try:
            code = deployment.haproxy.wait()
            click.echo(f"innomap: haproxy exited with {code}; see {run_dir}", err=True)
        except KeyboardInterrupt:
            code = 0
        finally:
            deployment.stop()
            click.echo("innomap: stopped HAProxy, supervisord and every replica"
                       + (", removed the namespaces and the bridge" if hosts else ""), err=True)
    if code:
        sys.exit(1)
