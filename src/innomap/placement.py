"""Where the map image's names go: a greedy declutterer over boxes in pixels (pure).

The image's counterpart of the web map's web/labels.js, with its rules: each name gets a box
beside its marker or, where places crowd, farther out with a leader line; no two names overlap,
no name covers a marker or an obstacle (the legend), no leader line crosses a name or another
marker, and every name stays inside the area. A name with no such spot is left out (the
caller says how many). Pixels here have y upwards, as matplotlib's display coordinates.

Why our own and not adjustText: it places by iterative repulsion, which lessens overlaps but
does not rule them out, and its result depends on its iteration; this one is deterministic,
guarantees what the tests check, and follows the same rules as the web map's names.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# A box: (left, bottom, right, top) in pixels.
Box = tuple[float, float, float, float]
Line = tuple[float, float, float, float]
# Directions from a marker in degrees (anticlockwise from east, y up), best first.
ANGLES = (0, 30, -30, 180, 150, -150, 90, -90, 60, -60, 120, -120)
# Gaps from the marker's edge, in units of `scale` pixels: beside it, then with a leader line.
GAPS = (2, 10, 20, 32, 46, 62, 80, 100, 120)
# The grid's cell for finding what is near a box, in units of `scale` pixels.
CELL = 64


@dataclass(frozen=True)
class Mark:
    """A marker and its name: centre and radius (to the stroke's outer edge), the name's size."""

    x: float
    y: float
    r: float
    w: float
    h: float
    # An ecosystem city: named before a partner town where room is equally short.
    lead: bool = True


@dataclass(frozen=True)
class Spot:
    """Where a name goes: its box, and a leader line from the marker's edge (None beside it)."""

    box: Box
    line: Line | None
    cost: float


def place(marks: Sequence[Mark], area: Box, obstacles: Sequence[Box] = (),
          scale: float = 1.0) -> list[Spot | None]:
    """Return a spot per mark (None where its name does not fit), no two clashing."""
    markers = _Grid(CELL * scale)
    for index, mark in enumerate(marks):
        markers.add(index, _square(mark.x, mark.y, mark.r))
    options = [_spots(i, marks, markers, area, obstacles, scale) for i in range(len(marks))]
    # Those with the least room first, ecosystem cities before partner towns, then file order.
    order = sorted(range(len(marks)), key=lambda i: (len(options[i]), not marks[i].lead, i))
    placed = _Grid(CELL * scale)
    spots: list[Spot | None] = [None] * len(marks)
    for index in order:
        spot = next((s for s in options[index]
                     if not any(clash(s, spots[j]) for j in placed.near(_reach(s)))), None)
        if spot is not None:
            spots[index] = spot
            placed.add(index, _reach(spot))
    return spots


def clash(a: Spot, b: Spot | None) -> bool:
    """Return whether two spots collide: boxes overlap, a line crosses a box, lines cross."""
    if b is None:
        return False
    return (overlap(a.box, b.box) or (a.line is not None and crosses(a.line, b.box))
            or (b.line is not None and crosses(b.line, a.box))
            or (a.line is not None and b.line is not None and cut(a.line, b.line)))


def overlap(a: Box, b: Box, margin: float = 1.0) -> bool:
    """Return whether two boxes overlap or are closer than `margin` pixels."""
    return (a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] + margin
            and b[1] < a[3] + margin)


def crosses(line: Line, box: Box) -> bool:
    """Return whether a segment passes through a box's inside (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = line
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        ratio = q / p
        if p < 0:
            low = max(low, ratio)
        else:
            high = min(high, ratio)
        if low >= high:
            return False
    return True


def cut(a: Line, b: Line) -> bool:
    """Return whether two segments cross: each one's ends lie on either side of the other."""
    def side(line: Line, x: float, y: float) -> float:
        return math.copysign(1, (line[2] - line[0]) * (y - line[1])
                             - (line[3] - line[1]) * (x - line[0]))
    return (side(a, b[0], b[1]) * side(a, b[2], b[3]) < 0
            and side(b, a[0], a[1]) * side(b, a[2], a[3]) < 0)


def near(x: float, y: float, box: Box, within: float) -> bool:
    """Return whether a point lies closer than `within` pixels to a box."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return dx * dx + dy * dy < within * within


def segment_distance(line: Line, x: float, y: float) -> float:
    """Return the distance from a point to a segment."""
    x0, y0, x1, y1 = line
    dx, dy = x1 - x0, y1 - y0
    length = dx * dx + dy * dy
    share = 0.0 if length == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / length))
    return math.hypot(x - x0 - share * dx, y - y0 - share * dy)


def _spots(index: int, marks: Sequence[Mark], markers: _Grid, area: Box,
           obstacles: Sequence[Box], scale: float) -> list[Spot]:
    """Return every spot for a name clear of markers and obstacles and inside the area,
    cheapest first: its distance, its direction's rank, 12 for each other marker near it
    (whose name needs that room), 100 for a leader line over a marker overlapping its own."""
    mark, found = marks[index], []
    for g, gap in enumerate(GAPS):
        for a, angle in enumerate(ANGLES):
            rad = math.radians(angle)
            dx, dy = math.cos(rad), math.sin(rad)
            d = mark.r + gap * scale
            ax, ay = mark.x + dx * d, mark.y + dy * d
            # The box touches the anchor with its near side or corner.
            m = max(abs(dx), abs(dy))
            left, bottom = ax - mark.w * (1 - dx / m) / 2, ay - mark.h * (1 - dy / m) / 2
            box = (left, bottom, left + mark.w, bottom + mark.h)
            line = (mark.x + dx * mark.r, mark.y + dy * mark.r, ax, ay) if g else None
            spot = _judge(index, marks, markers, box, line, area, obstacles, scale)
            if spot is not None:
                found.append(Spot(box, line, spot + gap + a))
    return sorted(found, key=lambda s: s.cost)


def _judge(index: int, marks: Sequence[Mark], markers: _Grid, box: Box, line: Line | None,
           area: Box, obstacles: Sequence[Box], scale: float) -> float | None:
    """Return a candidate's extra cost, or None if it leaves the area or covers something."""
    edge = 2 * scale
    if (box[0] < area[0] + edge or box[1] < area[1] + edge or box[2] > area[2] - edge
            or box[3] > area[3] - edge):
        return None
    if any(overlap(box, o) or (line is not None and crosses(line, o)) for o in obstacles):
        return None
    mark, cost = marks[index], 0.0
    reach = _reach(Spot(box, line, 0))
    crowd = 24 * scale
    for other in markers.near((reach[0] - crowd, reach[1] - crowd, reach[2] + crowd,
                               reach[3] + crowd)):
        o = marks[other]
        if near(o.x, o.y, box, o.r + 1):
            return None
        if other == index:
            continue
        if line is not None and segment_distance(line, o.x, o.y) < o.r + 1:
            # A leader line may pass over a marker only where that one overlaps its own.
            if math.hypot(o.x - mark.x, o.y - mark.y) > o.r + mark.r:
                return None
            cost += 100
        if near(o.x, o.y, box, crowd):
            cost += 12
    return cost


def _reach(spot: Spot) -> Box:
    """Return the box around a spot's name and its leader line."""
    box, line = spot.box, spot.line
    if line is None:
        return box
    return (min(box[0], line[0]), min(box[1], line[1]), max(box[2], line[0]),
            max(box[3], line[1]))


def _square(x: float, y: float, r: float) -> Box:
    return (x - r, y - r, x + r, y + r)


class _Grid:
    """Items by the grid cells their boxes touch: what is near a box, without a full scan."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: defaultdict[tuple[int, int], list[int]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterator[tuple[int, int]]:
        for column in range(math.floor(box[0] / self.cell), math.floor(box[2] / self.cell) + 1):
            for row in range(math.floor(box[1] / self.cell), math.floor(box[3] / self.cell) + 1):
                yield column, row

    def add(self, item: int, box: Box) -> None:
        """File an item under every cell its box touches."""
        for key in self._keys(box):
            self.cells[key].append(item)

    def near(self, box: Box) -> list[int]:
        """Return the items filed under a cell the box touches, each once, in order."""
        found: set[int] = set()
        for key in self._keys(box):
            found.update(self.cells.get(key, ()))
        return sorted(found)
