"""Home-page panels: due call-backs for the hotline, unacknowledged alerts for ATD."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from azad.core.home import register_panel
from azad.hotline import access
from azad.hotline.choices import CallbackStatus

PANEL_LIMIT = 10


@register_panel
def callbacks_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The agreed call-backs of the person's calls, due first."""
    user = request.user
    if not access.is_hotline_member(user):
        return None
    callbacks = access.visible_callbacks(user).filter(status=CallbackStatus.AGREED).order_by("due_at")
    return {
        "title": _("Call-backs due"),
        "template": "hotline/home_callbacks.html",
        "callbacks": list(callbacks[:PANEL_LIMIT]),
    }


@register_panel
def alerts_panel(request: HttpRequest) -> dict[str, Any] | None:
    """ATD's immediate-danger alerts nobody has acknowledged yet."""
    user = request.user
    if not access.is_atd_member(user):
        return None
    alerts = access.visible_alerts(user).filter(acknowledged_at__isnull=True).order_by("-created_at")
    return {
        "title": _("Hotline alerts"),
        "template": "hotline/home_alerts.html",
        "alerts": list(alerts[:PANEL_LIMIT]),
    }
