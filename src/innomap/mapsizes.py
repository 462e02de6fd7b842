"""The map image's formats and sizes: plain values, so that the shells (the download row,
the CLI's options) read them without loading matplotlib, which mapimage needs only to draw.
"""

from __future__ import annotations

from dataclasses import dataclass

# Each image format's media type, in the order the dashboard offers them.
IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class Layout:
    """A size: the page in inches and its resolution, where the map and legend go, text sizes
    in points, and the markers' radius in points."""

    inches: tuple[float, float]
    dpi: int
    # The map's box in figure fractions: left, bottom, width, height.
    map_box: tuple[float, float, float, float]
    # The legend's upper-left corner in figure fractions, and its columns.
    legend_at: tuple[float, float]
    legend_columns: int
    title_pt: float
    name_pt: float
    legend_pt: float
    source_pt: float
    marker_pt: float
    # Characters per line of the headline and of the source line.
    title_chars: int
    source_chars: int


SIZES = {
    # PowerPoint's and Impress's 16:9 slide, 1920 × 1080 px: names at 12 pt read on a projector.
    "slide": Layout((1920 / 144, 1080 / 144), 144, (0.0, 0.09, 0.62, 0.8), (0.62, 0.84), 1,
                    20, 12, 13, 9, 4.0, 95, 175),
    # A4 portrait at 150 dpi, 1240 × 1754 px, the legend under the map.
    "a4": Layout((1240 / 150, 1754 / 150), 150, (0.03, 0.2, 0.94, 0.7), (0.06, 0.185), 2,
                 14, 9, 9.5, 7, 4.5, 80, 140),
}
