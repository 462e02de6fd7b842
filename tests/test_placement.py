"""The map image's name placement (innomap.placement): its geometry as tables of cases, and
the declutterer on small scenes whose answer is known."""

from __future__ import annotations

import pytest

from innomap.placement import Mark, clash, crosses, cut, overlap, place, segment_distance


@pytest.mark.parametrize(("a", "b", "expected"), [
    ((0, 0, 10, 10), (5, 5, 15, 15), True),
    ((0, 0, 10, 10), (10.5, 0, 20, 10), True),   # closer than 1 px counts
    ((0, 0, 10, 10), (11.5, 0, 20, 10), False),
    ((0, 0, 10, 10), (0, 12, 10, 20), False),
])
def test_overlap(a, b, expected):
    assert overlap(a, b) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ((-5, 5, 15, 5), True),      # straight through
    ((-5, -5, 15, 15), True),    # diagonally through
    ((-5, 5, -1, 5), False),     # stops short
    ((-5, 12, 15, 12), False),   # passes above
    ((5, 5, 5, 5), True),        # a point inside
    ((12, -5, 12, 15), False),   # vertical, beside it
])
def test_crosses(line, expected):
    assert crosses(line, (0, 0, 10, 10)) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ((0, 0, 10, 10), (0, 10, 10, 0), True),
    ((0, 0, 10, 0), (0, 5, 10, 5), False),
    ((0, 0, 4, 4), (6, 0, 10, 4), False),
])
def test_cut(a, b, expected):
    assert cut(a, b) is expected


def test_segment_distance():
    assert segment_distance((0, 0, 10, 0), 5, 3) == 3
    assert segment_distance((0, 0, 10, 0), 13, 4) == 5
    assert segment_distance((2, 2, 2, 2), 5, 6) == 5


def test_a_lone_name_goes_right_of_its_marker():
    (spot,) = place([Mark(100, 100, 5, 40, 10)], (0, 0, 400, 400))
    assert spot is not None and spot.line is None
    assert spot.box == (107, 95, 147, 105)


def test_two_crowded_names_are_both_placed_apart_clear_of_the_markers():
    marks = [Mark(100, 100, 5, 60, 12), Mark(112, 100, 5, 60, 12)]
    spots = place(marks, (0, 0, 400, 400))
    assert all(spots)
    assert not clash(spots[0], spots[1])
    for spot in spots:
        for mark in marks:
            box = spot.box
            dx = max(box[0] - mark.x, 0, mark.x - box[2])
            dy = max(box[1] - mark.y, 0, mark.y - box[3])
            assert dx * dx + dy * dy >= mark.r ** 2


def test_a_name_with_no_room_is_left_out():
    """The area is only as large as the marker: no spot is inside it."""
    assert place([Mark(10, 10, 5, 40, 10)], (0, 0, 20, 20)) == [None]


def test_an_obstacle_and_a_drawn_line_are_avoided():
    """The legend's box blocks the right; a line blocks the left: the name goes elsewhere."""
    spot = place([Mark(100, 100, 5, 40, 10)], (0, 0, 400, 400), obstacles=[(104, 80, 200, 120)],
                 lines=[(0, 100, 95, 100)])[0]
    assert spot is not None
    assert not overlap(spot.box, (104, 80, 200, 120))
    assert not crosses((0, 100, 95, 100), spot.box)
