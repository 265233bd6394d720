"""Request-wide behaviour: the language in force and no caching of private pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def language_for(request: HttpRequest) -> str:
    """The language for this request: the switcher's cookie, then the account's, then Azerbaijani.

    The browser's Accept-Language is deliberately ignored: Azerbaijani is the
    default for everyone until they choose otherwise.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in _LANGUAGES:
        return chosen
    user = getattr(request, "user", None)
    preferred = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if preferred in _LANGUAGES:
        return preferred
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activate the request's language (see :func:`language_for`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response but static files.

    Pages of a signed-in person may show who a victim is; no browser or proxy
    cache may keep them, and the sign-in pages carry one-time tokens.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
