"""The trivial signed-in page the load benchmarks measure every page against."""

import pytest

from azad.accounts.tests.factories import make_user
from azad.core.permissions import Role


@pytest.mark.django_db
def test_it_sends_anonymous_people_from_ping_to_sign_in(client):
    response = client.get("/ping/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_it_answers_ping_with_ok_to_a_signed_in_person(client):
    client.force_login(make_user(Role.ANALYST))
    response = client.get("/ping/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"].startswith("no-store")


@pytest.mark.django_db
def test_it_sends_a_signed_in_person_without_a_second_factor_to_enrol_from_ping(client):
    client.force_login(make_user(Role.ANALYST, second_factor=False))
    response = client.get("/ping/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


@pytest.mark.django_db
def test_it_refuses_posts_to_ping(client):
    client.force_login(make_user(Role.ANALYST))
    assert client.post("/ping/").status_code == 405
