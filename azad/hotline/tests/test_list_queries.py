"""The call list (page and API) runs the same number of queries for 5 calls as for 50: none per row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from azad.hotline.models import Call
from azad.hotline.tests.factories import (
    make_atd_officer,
    make_call,
    make_hotline,
    make_operator,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

URLS = ["/hotline/", "/api/v1/hotline/calls/"]


def _client(user: Any, url: str) -> Any:
    if url.startswith("/api/"):
        api = APIClient()
        api.force_authenticate(user)
        return api
    client = Client()
    client.force_login(user)
    client.cookies["azad_language"] = "en"
    return client


def _calls(operators: list[Any], total: int) -> None:
    """Up to ``total`` calls, taken by the operators in turn, with varied urgency and actions."""
    for index in range(Call.objects.count(), total):
        overrides: dict[str, Any] = {}
        if index % 4 == 0:
            overrides["actions"] = ["information_given", "referred_to_atd"]
        if index % 9 == 0:
            overrides["urgency"] = "immediate_danger"
        make_call(operators[index % len(operators)], **overrides)


def _list(user: Any, url: str) -> tuple[int, int]:
    client = _client(user, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    rows = (
        len(response.data["results"])
        if url.startswith("/api/")
        else len(response.context["page"].object_list)
    )
    return len(captured), rows


@pytest.mark.parametrize("who", ["supervisor", "atd_officer"])
@pytest.mark.parametrize("url", URLS)
def test_it_lists_5_and_50_calls_with_the_same_number_of_queries(who, url, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    line = make_hotline()
    operators = [make_operator(line), make_operator(line)]
    user = make_supervisor(line) if who == "supervisor" else make_atd_officer()
    _calls(operators, 5)
    few_queries, few_rows = _list(user, url)
    _calls(operators, 50)
    many_queries, many_rows = _list(user, url)
    assert 0 < few_rows < many_rows
    assert many_queries == few_queries, (
        f"{url} as {who}: {few_queries} queries for {few_rows} rows, {many_queries} for {many_rows}"
    )
