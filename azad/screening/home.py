"""The "my draft screenings" panel on the home page, for people who screen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from azad.core.home import register_panel
from azad.screening import access
from azad.screening.choices import Status

DRAFTS_SHOWN = 10


@register_panel
def drafts_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The signed-in screener's own drafts, newest first, and a link to start a screening."""
    user = request.user
    if not access.can_screen(user):
        return None
    drafts = access.visible_screenings(user).filter(screener_id=user.pk, status=Status.DRAFT)
    return {
        "title": _("My draft screenings"),
        "template": "screening/home_panel.html",
        "drafts": list(drafts.order_by("-updated_at")[:DRAFTS_SHOWN]),
        "draft_count": drafts.count(),
    }
