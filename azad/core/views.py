"""Pages every person has: home, health and the language switcher."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from azad.core.home import panels_for
from azad.core.navigation import menu_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home page: their areas and the panels their role gets."""
    return render(
        request,
        "core/home.html",
        {"areas": menu_for(request.user), "panels": panels_for(request)},
    )


@login_required
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """A trivial signed-in page: the floor every page pays (sessions, sign-in, middleware).

    The load benchmarks (``bench/load``) measure every page against it.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without touching personal data."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; an unknown language is refused with 400."""
    language = request.POST.get("language", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        return render(
            request,
            "core/error.html",
            {"title": _("Unknown language"), "message": _("This language is not available.")},
            status=400,
        )
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    translation.activate(language)
    return response


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Bad request"), "message": _("The request could not be understood.")},
        status=400,
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Not allowed"), "message": _("You may not do this.")},
        status=403,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Not found"), "message": _("There is nothing here you can see.")},
        status=404,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong"),
            "message": _("The error was recorded. Nothing you entered was lost."),
        },
        status=500,
    )
