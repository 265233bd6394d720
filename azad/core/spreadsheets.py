"""Writing spreadsheets safely: no cell a spreadsheet program would run as a formula.

A value that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is read by Excel, LibreOffice and Google Sheets as a formula (CSV injection,
OWASP). :func:`safe_cell` prefixes such text with an apostrophe, which those
programs show as plain text. Numbers, dates and ``None`` pass through
unchanged, so negative numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a CSV or XLSX cell: text that starts like a formula gets a leading ``'``."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
