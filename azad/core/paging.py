"""Page lists without counting every row.

Counting all the rows a person may see costs as much as reading them (on a
national case list, a scan of every case and every referral to ATD).
:class:`CappedPaginator` counts at most ``cap`` rows — ``SELECT COUNT(*)`` over
a ``LIMIT cap + 1`` sub-query — and says when there are more; past the cap a
list is narrowed with its filters rather than paged through.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

LIST_CAP = 1000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator whose count stops at ``cap`` (``capped`` is true when rows go on beyond it)."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_CAP if cap is None else cap

    @cached_property
    def _probe(self) -> int:
        return int(self.object_list[: self.cap + 1].count())  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap`` when there are more."""
        return min(self._probe, self.cap)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than ``count`` says."""
        return self._probe > self.cap
