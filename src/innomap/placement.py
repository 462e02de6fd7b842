"""Where the map image's names go: a greedy declutterer over boxes in pixels (pure).

The image's counterpart of the web map's web/labels.js, with its rules: each name gets a box
beside its marker or, where places crowd, farther out with a leader line; no two names overlap,
no name covers a marker or an obstacle (the legend), no leader line crosses a name or another
marker, and every name stays inside the area. A name crosses a drawn line (a partner town's
or a network's) only where it has no other room. A name with no such spot is left out (the
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
from typing import Any

import numpy as np

# A box: (left, bottom, right, top) in pixels.
Box = tuple[float, float, float, float]
Line = tuple[float, float, float, float]
# Directions from a marker in degrees (anticlockwise from east, y up), best first.
ANGLES = (0, 30, -30, 180, 150, -150, 90, -90, 60, -60, 120, -120)
# Gaps from the marker's edge, in units of `scale` pixels: beside it, then with a leader line.
GAPS = (2, 10, 20, 32, 46, 62, 80, 100, 120)
# The grid's cell for finding what is near a box, in units of `scale` pixels.
CELL = 64
# Every candidate as arrays, in rank order (each gap, then each direction): its gap, direction
# (and that direction's larger component), whether it has a leader line, its base cost.
_GAP_INDEX, _ANGLE_INDEX = (a.ravel() for a in np.meshgrid(
    np.arange(len(GAPS)), np.arange(len(ANGLES)), indexing="ij"))
_GAP = np.array(GAPS, dtype=float)[_GAP_INDEX]
_DX = np.cos(np.radians(ANGLES))[_ANGLE_INDEX]
_DY = np.sin(np.radians(ANGLES))[_ANGLE_INDEX]
_M = np.maximum(np.abs(_DX), np.abs(_DY))
_LEADER = _GAP_INDEX > 0
_RANK = _GAP + _ANGLE_INDEX


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
          scale: float = 1.0, lines: Sequence[Line] = ()) -> list[Spot | None]:
    """Return a spot per mark (None where its name does not fit), no two clashing; names
    avoid the drawn `lines` where they can."""
    markers, drawn = _Grid(CELL * scale), _Grid(CELL * scale)
    for index, mark in enumerate(marks):
        markers.add(index, _square(mark.x, mark.y, mark.r))
    for index, line in enumerate(lines):
        drawn.add(index, (min(line[0], line[2]), min(line[1], line[3]), max(line[0], line[2]),
                          max(line[1], line[3])))
    centres = np.array([(m.x, m.y, m.r) for m in marks], dtype=float).reshape(-1, 3).T
    room = _Room(marks, markers, area, obstacles, scale, lines, drawn, centres)
    options = [_spots(i, room) for i in range(len(marks))]
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


@dataclass(frozen=True)
class _Room:
    """What a name must keep clear of: markers (by grid), the area's edge, obstacles, lines."""

    marks: Sequence[Mark]
    markers: _Grid
    area: Box
    obstacles: Sequence[Box]
    scale: float
    lines: Sequence[Line]
    drawn: _Grid
    # The markers' x, y and r as arrays.
    centres: Any = None


def _spots(index: int, room: _Room) -> list[Spot]:
    """Return every spot for a name clear of markers and obstacles and inside the area,
    cheapest first: its distance, its direction's rank, 12 for each other marker near it
    (whose name needs that room), 100 for a leader line over a marker overlapping its own,
    200 for each drawn line through it. All candidates at once, as arrays."""
    mark, scale, area = room.marks[index], room.scale, room.area
    d = mark.r + _GAP * scale
    ax, ay = mark.x + _DX * d, mark.y + _DY * d
    # The box touches the anchor with its near side or corner.
    left, bottom = ax - mark.w * (1 - _DX / _M) / 2, ay - mark.h * (1 - _DY / _M) / 2
    right, top = left + mark.w, bottom + mark.h
    x0, y0 = mark.x + _DX * mark.r, mark.y + _DY * mark.r
    edge = 2 * scale
    ok = ((left >= area[0] + edge) & (bottom >= area[1] + edge) & (right <= area[2] - edge)
          & (top <= area[3] - edge))
    for o in room.obstacles:
        ok &= ~((left < o[2] + 1) & (o[0] < right + 1) & (bottom < o[3] + 1) & (o[1] < top + 1))
        ok &= ~(_LEADER & _crossing(x0, y0, ax, ay, *o))
    crowd = 24 * scale
    reach = (min(left.min(), x0.min()) - crowd, min(bottom.min(), y0.min()) - crowd,
             max(right.max(), x0.max()) + crowd, max(top.max(), y0.max()) + crowd)
    others = np.array(room.markers.near(reach), dtype=int)
    ox, oy, radius = (room.centres[0][others][None, :], room.centres[1][others][None, :],
                      room.centres[2][others][None, :])
    dx = np.maximum(np.maximum(left[:, None] - ox, 0), ox - right[:, None])
    dy = np.maximum(np.maximum(bottom[:, None] - oy, 0), oy - top[:, None])
    gap2 = dx * dx + dy * dy
    ok &= ~(gap2 < (radius + 1) ** 2).any(axis=1)
    other = (others != index)[None, :]
    cost = _RANK + 12.0 * ((gap2 < crowd * crowd) & other).sum(axis=1)
    # A leader line may pass over a marker only where that one overlaps its own. Measured
    # only for the candidates still open and the markers a leader line can reach.
    rows = np.flatnonzero(ok & _LEADER)
    distance = np.hypot(ox - mark.x, oy - mark.y)[0]
    columns = np.flatnonzero(other[0] & (distance < mark.r + GAPS[-1] * scale + radius[0] + 1))
    if rows.size and columns.size:
        near_line = (_segment_distance(x0[rows, None], y0[rows, None], ax[rows, None],
                                       ay[rows, None], ox[:, columns], oy[:, columns])
                     < radius[:, columns] + 1)
        apart = distance[columns] > radius[0, columns] + mark.r
        ok[rows] &= ~(near_line & apart).any(axis=1)
        cost[rows] += 100.0 * near_line.sum(axis=1)
    drawn = room.drawn.near(reach)
    if drawn:
        ends = np.array([room.lines[i] for i in drawn]).T[:, None, :]
        cost += 200.0 * _crossing(ends[0], ends[1], ends[2], ends[3], left[:, None],
                                  bottom[:, None], right[:, None], top[:, None]).sum(axis=1)
    return [Spot((float(left[k]), float(bottom[k]), float(right[k]), float(top[k])),
                 (float(x0[k]), float(y0[k]), float(ax[k]), float(ay[k])) if _LEADER[k] else None,
                 float(cost[k]))
            for k in np.flatnonzero(ok)[np.argsort(cost[ok], kind="stable")]]


def _crossing(x0: Any, y0: Any, x1: Any, y1: Any, left: Any, bottom: Any, right: Any,
              top: Any) -> Any:
    """Return, as arrays, whether segments pass through boxes' insides (`crosses`)."""
    dx, dy = np.subtract(x1, x0), np.subtract(y1, y0)
    low, high = np.zeros(np.broadcast(dx, left).shape), np.ones(np.broadcast(dx, left).shape)
    missed = np.zeros(low.shape, dtype=bool)
    for p, q in ((-dx, np.subtract(x0, left)), (dx, np.subtract(right, x0)),
                 (-dy, np.subtract(y0, bottom)), (dy, np.subtract(top, y0))):
        p, q = np.broadcast_to(p, low.shape), np.broadcast_to(q, low.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = q / p
        missed |= (p == 0) & (q <= 0)
        low = np.where(p < 0, np.maximum(low, ratio), low)
        high = np.where(p > 0, np.minimum(high, ratio), high)
    return ~missed & (low < high)


def _segment_distance(x0: Any, y0: Any, x1: Any, y1: Any, x: Any, y: Any) -> Any:
    """Return, as arrays, the distances from points to segments (`segment_distance`)."""
    dx, dy = x1 - x0, y1 - y0
    length = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(length == 0, 0.0, ((x - x0) * dx + (y - y0) * dy) / length)
    share = np.clip(share, 0.0, 1.0)
    return np.hypot(x - x0 - share * dx, y - y0 - share * dy)


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
