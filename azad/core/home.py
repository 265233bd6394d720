"""Panels on the home page, contributed by apps for the roles they concern.

An app registers a function ``panel(request) -> dict | None`` with
:func:`register_panel`; the dict has ``title``, ``template`` and any context
the template needs. Returning ``None`` hides the panel for that person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest], dict[str, Any] | None]
_PANELS: list[Panel] = []


def register_panel(panel: Panel) -> Panel:
    """Add ``panel`` to the home page (usable as a decorator)."""
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels the signed-in person gets."""
    return [p for p in (panel(request) for panel in _PANELS) if p is not None]
