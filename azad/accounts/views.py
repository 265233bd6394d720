"""Pages for organisations and accounts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from azad.accounts import access


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The organisations the person may see."""
    page = Paginator(access.visible_organisations(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"page": page})
