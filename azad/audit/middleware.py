"""Refused requests into the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from azad.audit.services import record_denied
from azad.core.exceptions import NotVisible


class DeniedAccessMiddleware:
    """Record ``access.denied`` when a signed-in person is refused.

    Two kinds of refusal: any 403 answer (pages and API alike), and a
    :class:`~azad.core.exceptions.NotVisible` raised by an access function,
    which reaches the person as an ordinary 404. Other 404s (mistyped
    addresses) are not recorded. The API turns ``NotVisible`` into a response
    itself, so ``azad.api.exceptions`` records that case.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            record_denied(request, status=403, reason="forbidden")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotVisible):
            record_denied(request, status=404, reason="not_visible")
