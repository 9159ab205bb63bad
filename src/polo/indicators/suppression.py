"""Small-number protection: which computed cells public views must hide.

*Primary* suppression: a figure computed from fewer responses than the
indicator's minimum (``POLO_SMALL_CELL``, 5 by default) is hidden, so that no
one is identifiable from it.

*Complementary* suppression: a hidden cell must not be recoverable by
subtraction. Within each round, cells form families — the total over the
regions, each region over its municipalities, the total over the groups of
each other breakdown. Public views show the size (responses) of every figure
they show, so a figure's numerator can be worked out (size × value), and:

- when exactly one child of a family is hidden and its parent is shown, the
  parent minus the other children would give it away: the shown child with
  the fewest responses is hidden too;
- when a parent is hidden and all its children are shown, the parent is their
  sum: the child with the fewest responses is hidden too.

Both rules run until nothing changes (suppression only grows, so this ends).
Groups of a multiple choice overlap (a response is in each option it chose),
so subtraction does not work on them; the rules are applied anyway, which
only ever hides more.

What this does not cover, and how it is handled: differencing between two
indicators with different filters over the same responses (coordinators
define indicators, and the minimum is per indicator), and rounding (figures
are shown rounded to the indicator's decimals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from polo.indicators.compute import CellData
from polo.indicators.models import MUNICIPALITY, REGION, TOTAL, Cell

SMALL = Cell.Suppression.SMALL.value
COMPLEMENTARY = Cell.Suppression.COMPLEMENTARY.value


def apply(cells: list[CellData], *, min_size: int) -> list[CellData]:
    """Mark every cell's ``suppression`` ("" when publishable); returns the cells."""
    for cell in cells:
        cell.suppression = SMALL if cell.size < min_size else ""
    by_round: dict[int | None, list[CellData]] = defaultdict(list)
    for cell in cells:
        by_round[cell.round_id].append(cell)
    for round_cells in by_round.values():
        families = list(_families(round_cells))
        changed = True
        while changed:
            changed = False
            for parent, children in families:
                if _protect(parent, children):
                    changed = True
    return cells


def _families(cells: list[CellData]) -> Iterable[tuple[CellData | None, list[CellData]]]:
    by_breakdown: dict[str, list[CellData]] = defaultdict(list)
    for cell in cells:
        by_breakdown[cell.breakdown].append(cell)
    total = next(iter(by_breakdown.get(TOTAL, [])), None)
    regions = {cell.key: cell for cell in by_breakdown.get(REGION, [])}
    for breakdown, members in by_breakdown.items():
        if breakdown == TOTAL:
            continue
        if breakdown == MUNICIPALITY:
            in_region: dict[str, list[CellData]] = defaultdict(list)
            for cell in members:
                in_region[cell.parent_key].append(cell)
            for region_key, children in in_region.items():
                yield regions.get(region_key), children
        else:
            yield total, members


def _protect(parent: CellData | None, children: list[CellData]) -> bool:
    """Apply both rules to one family once; whether anything changed."""
    if not children:
        return False
    hidden = [cell for cell in children if cell.suppression]
    shown = [cell for cell in children if not cell.suppression]
    if not shown:
        return False
    if parent is None:
        # A family without its parent figure: nothing to subtract from.
        return False
    parent_hidden = bool(parent.suppression)
    if (len(hidden) == 1 and not parent_hidden) or (parent_hidden and not hidden):
        smallest = min(shown, key=lambda cell: (cell.size, cell.position, cell.key))
        smallest.suppression = COMPLEMENTARY
        return True
    return False
