"""The case list (page and API) runs the same number of queries for 5 cases as for 50: none per row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from azad.cases.models import Case
from azad.cases.tests.factories import World, make_case, referred_case

pytestmark = pytest.mark.django_db

URLS = ["/cases/", "/cases/?stage=referred_to_atd&is_child=false", "/api/v1/cases/"]


def _client(user: Any, url: str) -> Any:
    if url.startswith("/api/"):
        api = APIClient()
        api.force_authenticate(user)
        return api
    client = Client()
    client.force_login(user)
    client.cookies["azad_language"] = "en"
    return client


def _cases(world: World, total: int) -> None:
    """Up to ``total`` cases of the NGO: two in five referred to ATD (accepted), the others presumed."""
    for index in range(Case.objects.count(), total):
        if index % 5 < 2:
            referred_case(world)
        elif index % 7 == 0:
            make_case(world, birth_date="2012-03-01")  # a child
        else:
            make_case(world)


def _list(user: Any, url: str) -> tuple[int, int]:
    """(queries, rows) of one request for the list at ``url``."""
    client = _client(user, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    rows = len(response.data["results"]) if url.startswith("/api/") else len(response.context["rows"])
    return len(captured), rows


@pytest.mark.parametrize("who", ["ngo_worker", "investigator", "supervisor"])
@pytest.mark.parametrize("url", URLS)
def test_it_lists_5_and_50_cases_with_the_same_number_of_queries(world, who, url):
    user = getattr(world, who)
    _cases(world, 5)
    few_queries, few_rows = _list(user, url)
    _cases(world, 50)
    many_queries, many_rows = _list(user, url)
    assert 0 < few_rows < many_rows  # the lists really grew
    assert many_queries == few_queries, (
        f"{url} as {who}: {few_queries} queries for {few_rows} rows, {many_queries} for {many_rows}"
    )


def test_it_shows_a_residence_permit_clock_for_a_foreign_victim_only(world):
    """The rows read the person's citizenship for cases with a permit (in the page's own query)."""
    foreign, citizen, plain = (referred_case(world, citizenship=c) for c in ("UZ", "AZ", "UZ"))
    expires = timezone.localdate() + dt.timedelta(days=10)
    Case.objects.filter(pk__in=[foreign.pk, citizen.pk]).update(residence_permit_expires_on=expires)
    client = _client(world.investigator, "/cases/")
    with CaptureQueriesContext(connection) as captured:
        rows = {row.reference: row for row in client.get("/cases/").context["rows"]}
    assert rows[foreign.reference].clock_label == "Temporary residence permit"
    assert "clock-due_soon" in rows[foreign.reference].clock_badge
    assert rows[citizen.reference].clock_label == ""  # a citizen needs no permit: no clock
    assert rows[plain.reference].clock_label == ""  # no permit recorded
    assert not any("persons_person" in query["sql"] and "JOIN" in query["sql"] for query in captured)


def test_its_rows_name_the_owners_from_the_organisations_read_already_or_read_them(
    world, django_assert_num_queries
):
    """The page passes its filter bar's organisations; owners not among them are read in one query."""
    from azad.accounts.models import Organisation
    from azad.cases.views import list_rows, listed_cases

    referred_case(world)
    make_case(world, world.other_ngo_worker)
    cases = listed_cases(Case.objects.order_by("pk"), 0, 10)
    organisations = list(Organisation.objects.all())
    now = timezone.now()
    with django_assert_num_queries(0):
        given = [row.owner for row in list_rows(cases, now, organisations)]
    with django_assert_num_queries(1):
        read = [row.owner for row in list_rows(cases, now, [world.ngo])]
    assert given == read
    assert sorted(given) == sorted([world.ngo.display_name(), world.other_ngo.display_name()])
    page = _client(world.supervisor, "/cases/").get("/cases/").content.decode()
    assert all(name in page for name in given)
