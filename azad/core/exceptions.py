"""Exceptions shared by every app."""

from __future__ import annotations

from django.http import Http404


class NotVisible(Http404):
    """A protected record the person may not see: answered 404, like one that does not exist.

    Raised by the ``get_<thing>_for_user`` functions in each app's ``access.py``
    instead of a plain :class:`~django.http.Http404`, so that the audit trail can
    tell a denied look-up (recorded as ``access.denied``) from a mistyped address.
    """
