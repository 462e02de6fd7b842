"""The map of a view as an image (PNG or SVG) for slides and reports, drawn on the server.

geopandas draws Finland's regions and matplotlib the rest, as the web map shows them: regions
tinted by macro-region, the places as its markers (partner towns hollow, dashed to their lead
city; a chosen network's lead–member lines), names placed by innomap.placement, the legend,
the view's headline as title and a source line. The same view gives the same bytes (SVG) and
pixels (PNG) wherever it is drawn: fixed rc settings, the font matplotlib ships (DejaVu Sans),
no dates or versions in the files.
"""

from __future__ import annotations

import io
import textwrap
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.text import Text
from pyproj import Transformer

from innomap.mapcaption import alt_text, source_line, title_of
from innomap.mapelements import NETWORK_COLOUR, NO_REGION_COLOUR, REGION_COLOURS, legend_texts
from innomap.mapsizes import IMAGE_FORMATS, SIZES, Layout
from innomap.mapview import WIRE, network_links, partner_lines
from innomap.placement import Mark, place
from innomap.shipped import REGIONS
from innomap.view import View

# Finland's own projection (ETRS-TM35FIN): the country in its true shape, not Mercator's.
PROJECTED = "EPSG:3067"
FONT_DIR = Path(mpl.get_data_path()) / "fonts" / "ttf"
TEXT_COLOUR = "#1b1b1b"
PARTNER_SHARE = 0.75
# Everything that reaches the files is set here, not taken from a user's matplotlibrc.
RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "innomap", "text.parse_math": False,
      "text.usetex": False, "path.simplify": True, "axes.unicode_minus": False}
# One image at a time: rc settings are global to matplotlib.
_LOCK = threading.Lock()


@dataclass
class Drawing:
    """A drawn figure and where its places are: display pixels (y up) of each marker's centre,
    its outer radius, where its colour shows (0 px from the centre for a dot, the ring's middle
    for a ring), and each named place's name."""

    figure: Figure
    markers: dict[str, tuple[float, float]]
    radius: dict[str, float]
    names: dict[str, Text]
    colour_at: dict[str, float]


def marker_pixels(drawing: Drawing) -> dict[str, tuple[int, int]]:
    """Return, per place, the PNG pixel (column, row from the top) that shows its marker's
    colour: a dot's centre, the right-hand middle of a ring."""
    height = drawing.figure.bbox.height
    return {city: (int(x + drawing.colour_at[city]), int(height - y))
            for city, (x, y) in drawing.markers.items()}


def image_bytes(fmt: str, view: View, size: str = "slide") -> bytes:
    """Return the view's map as a PNG or SVG file of a size in SIZES."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"image format: expected one of {', '.join(IMAGE_FORMATS)}, "
                         f"got {fmt!r}")
    buffer = io.BytesIO()
    title, description = title_of(view), alt_text(view)
    with _LOCK, mpl.rc_context(RC), warnings.catch_warnings():
        # A name in a script DejaVu lacks still goes in (as text in the SVG); no log noise.
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        drawing = draw(view, size)
        metadata = ({"Title": title, "Description": description, "Software": "innomap"}
                    if fmt == "png" else
                    {"Title": title, "Description": description, "Creator": "innomap",
                     "Date": None})
        drawing.figure.savefig(buffer, format=fmt, dpi=drawing.figure.dpi, metadata=metadata)
    return buffer.getvalue()


def draw(view: View, size: str = "slide") -> Drawing:
    """Return the view's map drawn on a figure of a size in SIZES (not yet saved).

    image_bytes calls it under its lock and settings (RC); where things are drawn does not
    depend on those, so a test may call it alone to measure the figure.
    """
    layout = SIZES[size]
    figure = Figure(figsize=layout.inches, dpi=layout.dpi, facecolor="white")
    renderer = FigureCanvasAgg(figure).get_renderer()
    axes = figure.add_axes(layout.map_box)
    axes.set_axis_off()
    regions = finland()
    _frame(axes, regions.total_bounds, figure)
    colours = [REGION_COLOURS.get(m, NO_REGION_COLOUR) for m in regions["macro_region"]]
    regions.plot(ax=axes, color=colours, alpha=0.16, zorder=1)
    regions.boundary.plot(ax=axes, color="#6b6b6b", linewidth=0.5, zorder=2)
    lines = _draw_lines(axes, view)
    markers, radius, colour_at = _draw_markers(axes, view, layout)
    names = _draw_names(renderer, axes, view, layout, (markers, radius),
                        [tuple(axes.transData.transform(end)) for end in lines])
    _draw_texts(figure, view, layout)
    return Drawing(figure, markers, radius, names, colour_at)


@cache
def finland() -> gpd.GeoDataFrame:
    """Return Finland's regions (data/regions.geojson) in the projection PROJECTED."""
    return gpd.read_file(REGIONS).to_crs(PROJECTED)


@cache
def _to_projected() -> Transformer:
    # One per process; pyproj's transformers are not for concurrent use, and image_bytes
    # draws one image at a time (_LOCK).
    return Transformer.from_crs("EPSG:4326", PROJECTED, always_xy=True)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Return a WGS84 point in the map's projection (metres east and north)."""
    x, y = _to_projected().transform(lon, lat)
    return float(x), float(y)


def _frame(axes: Any, bounds: Any, figure: Figure) -> None:
    """Fit Finland into the map's box, centred, with the same scale on both axes."""
    west, south, east, north = (float(b) for b in bounds)
    pad = 0.03 * (north - south)
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    box = axes.get_position()
    width, height = box.width * figure.get_figwidth(), box.height * figure.get_figheight()
    metres = max((east - west) / width, (north - south) / height)
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    axes.set_xlim(middle_x - metres * width / 2, middle_x + metres * width / 2)
    axes.set_ylim(middle_y - metres * height / 2, middle_y + metres * height / 2)


def _colour(region: int) -> str:
    return list(REGION_COLOURS.values())[region] if region >= 0 else NO_REGION_COLOUR


def _draw_lines(axes: Any, view: View) -> list[tuple[tuple[float, float], ...]]:
    """Draw partner towns' dashed lines to their lead cities and chosen networks' links;
    return their ends in the map's coordinates."""
    ends: list[tuple[tuple[float, float], ...]] = []
    for row in partner_lines(view):
        line = dict(zip(WIRE["line"], row, strict=True))
        (x0, y0), (x1, y1) = project(line["lon"], line["lat"]), project(line["leadLon"],
                                                                      line["leadLat"])
        axes.plot([x0, x1], [y0, y1], color=_colour(int(line["region"])), linewidth=1.2,
                  linestyle=(0, (4, 3)), zorder=3, gid="partner-line")
        ends.append(((x0, y0), (x1, y1)))
    for row in network_links(view):
        link = dict(zip(WIRE["link"], row, strict=True))
        (x0, y0), (x1, y1) = (project(link["leadLon"], link["leadLat"]),
                              project(link["memberLon"], link["memberLat"]))
        axes.plot([x0, x1], [y0, y1], color=NETWORK_COLOUR, linewidth=2.2, alpha=0.85,
                  zorder=4, gid="network-link")
        ends.append(((x0, y0), (x1, y1)))
    return ends


def _draw_markers(axes: Any, view: View, layout: Layout
                  ) -> tuple[dict[str, tuple[float, float]], dict[str, float], dict[str, float]]:
    """Draw a marker per place (ecosystem city a filled dot, partner town a ring); return
    their centres, outer radii and where their colour shows, in display pixels."""
    rows = view.rows
    ids, partner = rows["id"].tolist(), (rows["role"] == "partner_town").tolist()
    xs, ys = _to_projected().transform(rows["lon"].to_numpy(float), rows["lat"].to_numpy(float))
    points = list(zip(xs.tolist(), ys.tolist(), strict=True))
    colours = [REGION_COLOURS.get(m, NO_REGION_COLOUR) for m in rows["macro_region"]]
    pixels = layout.dpi / 72
    markers: dict[str, tuple[float, float]] = {}
    radius: dict[str, float] = {}
    colour_at: dict[str, float] = {}
    for kind, edge in ((False, 0.75), (True, 1.6)):
        chosen = [i for i, p in enumerate(partner) if p is kind]
        if not chosen:
            continue
        size = layout.marker_pt * (PARTNER_SHARE if kind else 1)
        fills = ["white" if kind else colours[i] for i in chosen]
        edges = [colours[i] if kind else "white" for i in chosen]
        axes.scatter([points[i][0] for i in chosen], [points[i][1] for i in chosen],
                     s=(2 * size) ** 2, c=fills, edgecolors=edges, linewidths=edge,
                     zorder=6 if kind else 5, gid="partner-towns" if kind else "cities")
        for i in chosen:
            x, y = axes.transData.transform(points[i])
            markers[ids[i]] = (float(x), float(y))
            radius[ids[i]] = (size + edge / 2) * pixels
            # A ring's stroke is centred on the circle's edge.
            colour_at[ids[i]] = size * pixels if kind else 0.0
    return markers, radius, colour_at


def _draw_names(renderer: Any, axes: Any, view: View, layout: Layout,
                places: tuple[dict[str, tuple[float, float]], dict[str, float]],
                lines: list[Any]) -> dict[str, Text]:
    """Write each place's name where placement finds room, with a leader line if it is away
    from its marker (`places`: centres and radii in pixels; `lines`: pixel ends of the drawn
    lines, which names avoid); return the names written by place id."""
    rows, figure, (markers, radius) = view.rows, axes.figure, places
    font = FontProperties(fname=FONT_DIR / "DejaVuSans.ttf", size=layout.name_pt)
    texts = {city: Text(0, 0, name, fontproperties=font, color=TEXT_COLOUR, ha="left",
                        va="bottom", parse_math=False, gid=f"name-{city}")
             for city, name in zip(rows["id"], rows[f"name_{view.lang}"], strict=True)}
    for text in texts.values():
        text.set_figure(figure)
    extents = {c: text.get_window_extent(renderer) for c, text in texts.items()}
    leads = (rows["role"] != "partner_town").tolist()
    marks = [Mark(*markers[c], radius[c], extents[c].width, extents[c].height, lead)
             for c, lead in zip(texts, leads, strict=True)]
    area = tuple(axes.get_window_extent(renderer).extents)
    spots = place(marks, area, scale=layout.dpi / 96,
                  lines=[(a[0], a[1], b[0], b[1]) for a, b in lines])
    to_data = axes.transData.inverted()
    named = {}
    for (city, text), spot in zip(texts.items(), spots, strict=True):
        if spot is None:
            continue
        text.set_position(to_data.transform(spot.box[:2]))
        text.set_transform(axes.transData)
        text.set_zorder(8)
        axes.add_artist(text)
        named[city] = text
        if spot.line is not None:
            x0, y0, x1, y1 = spot.line
            (a, b), (c, d) = to_data.transform((x0, y0)), to_data.transform((x1, y1))
            axes.add_line(Line2D([a, c], [b, d], color="#555555", linewidth=0.6, zorder=7,
                                 gid=f"leader-{city}"))
    return named


def _draw_texts(figure: Figure, view: View, layout: Layout) -> None:
    """Write the title, the headline, the legend and the source line."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    left = 0.02
    title = FontProperties(fname=bold, size=layout.title_pt)
    figure.text(left, 0.975, _wrap(title_of(view), layout.title_chars), va="top",
                fontproperties=title, color=TEXT_COLOUR, gid="title")
    figure.text(left, 0.975 - 1.6 * layout.title_pt / 72 / figure.get_figheight(),
                _wrap(view.headline, layout.title_chars * 1.2), va="top", color=TEXT_COLOUR,
                fontproperties=FontProperties(fname=regular, size=layout.title_pt * 0.8),
                gid="headline")
    _draw_legend(figure, view.lang, layout)
    figure.text(left, 0.015, _wrap(source_line(view), layout.source_chars), va="bottom",
                fontproperties=FontProperties(fname=regular, size=layout.source_pt),
                color="#333333", gid="source")


def _draw_legend(figure: Figure, lang: str, layout: Layout) -> None:
    """Draw the web map's legend: the regions' dots, the roles' markers and the two lines."""
    texts = legend_texts(lang)
    size = 2 * layout.marker_pt
    handles = []
    for item in texts["items"]:
        key = item.get("key", "dot")
        if key == "dot":
            handle = Line2D([], [], linestyle="none", marker="o", markersize=size,
                            markerfacecolor=item["colour"], markeredgecolor="white")
        elif key == "ring":
            handle = Line2D([], [], linestyle="none", marker="o", markersize=size * 0.75,
                            markerfacecolor="white", markeredgecolor=item["colour"],
                            markeredgewidth=1.6)
        else:
            handle = Line2D([], [], color=item["colour"], linewidth=2 if key == "solid" else 1.2,
                            linestyle="-" if key == "solid" else (0, (4, 3)))
        handles.append(handle)
    font = FontProperties(fname=FONT_DIR / "DejaVuSans.ttf", size=layout.legend_pt)
    legend = figure.legend(handles, [item["label"] for item in texts["items"]],
                           title=texts["title"], loc="upper left",
                           bbox_to_anchor=layout.legend_at, ncols=layout.legend_columns,
                           prop=font, title_fontproperties=FontProperties(
                               fname=FONT_DIR / "DejaVuSans-Bold.ttf", size=layout.legend_pt),
                           frameon=False, alignment="left")
    legend.set_gid("legend")


def _wrap(text: str, width: float) -> str:
    return "\n".join(textwrap.wrap(text, int(width), break_on_hyphens=False)) or text
