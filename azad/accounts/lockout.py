"""What a locked-out sign-in gets (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_OUT_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The translated lockout page, or a JSON 429 for the API.

    The username that was tried is not echoed back.
    """
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Too many failed sign-in attempts. Try again later.")},
            status=LOCKED_OUT_STATUS,
        )
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=LOCKED_OUT_STATUS,
    )
