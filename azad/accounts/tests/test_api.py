"""The accounts API: permissions by role, writes through services, 409/415, tokens, schema."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from azad.accounts.choices import OrgType
from azad.accounts.models import ApiToken, Organisation, User
from azad.accounts.tests.factories import make_org, make_user, totp_code
from azad.accounts.tokens import hash_key, issue_token
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role

pytestmark = pytest.mark.django_db


def api_for(user: User) -> APIClient:
    client = APIClient()
    token_key = issue_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    return client


def expected_status(role: Role, data: Data, needed: Level, *, on_object: bool, ok: int) -> int:
    level = PERMISSIONS[role][data]
    if level >= needed:
        return ok
    if on_object and level < Level.READ:
        return 404
    return 403


@pytest.fixture
def world(admin):
    org = make_org("Təmiz Dünya", OrgType.NGO, region="Bakı")
    member = make_user(Role.NGO_CASEWORKER, org, first_name="Şəhla")
    closed = make_org("Köhnə QHT", OrgType.NGO, is_active=False)
    return {"org": org, "member": member, "closed": closed}


def _new_org_body() -> dict:
    return {"name": "Yeni Təşkilat", "org_type": OrgType.NGO, "country": "AZ"}


def _new_user_body(world: dict) -> dict:
    return {
        "username": "yeni.istifadeci",
        "role": Role.NGO_CASEWORKER,
        "scope": "own",
        "organisation": world["org"].pk,
        "language": "az",
    }


ENDPOINTS = [
    # (name, method, url, body, data, level needed, about one record, success status)
    ("list organisations", "get", "/api/v1/organisations/", None, Data.ORGANISATIONS, Level.READ, False, 200),
    (
        "get organisation",
        "get",
        "/api/v1/organisations/{org}/",
        None,
        Data.ORGANISATIONS,
        Level.READ,
        True,
        200,
    ),
    (
        "create organisation",
        "post",
        "/api/v1/organisations/",
        "org",
        Data.ORGANISATIONS,
        Level.WRITE,
        False,
        201,
    ),
    (
        "update organisation",
        "patch",
        "/api/v1/organisations/{org}/",
        {"region": "Şəki", "version": 1},
        Data.ORGANISATIONS,
        Level.WRITE,
        True,
        200,
    ),
    (
        "deactivate organisation",
        "post",
        "/api/v1/organisations/{org}/deactivate/",
        {},
        Data.ORGANISATIONS,
        Level.WRITE,
        True,
        200,
    ),
    (
        "reactivate organisation",
        "post",
        "/api/v1/organisations/{closed}/reactivate/",
        {},
        Data.ORGANISATIONS,
        Level.WRITE,
        True,
        200,
    ),
    ("list users", "get", "/api/v1/users/", None, Data.ACCOUNTS, Level.READ, False, 200),
    ("get user", "get", "/api/v1/users/{member}/", None, Data.ACCOUNTS, Level.READ, True, 200),
    ("create user", "post", "/api/v1/users/", "user", Data.ACCOUNTS, Level.WRITE, False, 201),
    (
        "update user",
        "patch",
        "/api/v1/users/{member}/",
        {"scope": "organisation", "version": 1},
        Data.ACCOUNTS,
        Level.WRITE,
        True,
        200,
    ),
    (
        "deactivate user",
        "post",
        "/api/v1/users/{member}/deactivate/",
        {},
        Data.ACCOUNTS,
        Level.WRITE,
        True,
        200,
    ),
    (
        "reset password",
        "post",
        "/api/v1/users/{member}/reset-password/",
        {},
        Data.ACCOUNTS,
        Level.WRITE,
        True,
        200,
    ),
    (
        "reset second factor",
        "post",
        "/api/v1/users/{member}/reset-second-factor/",
        {},
        Data.ACCOUNTS,
        Level.WRITE,
        True,
        200,
    ),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "method", "url", "body", "data", "level", "on_object", "ok"),
    ENDPOINTS,
    ids=[e[0] for e in ENDPOINTS],
)
def test_it_answers_each_endpoint_as_the_permissions_table_says(
    world, role, name, method, url, body, data, level, on_object, ok
):
    client = api_for(make_user(role))
    url = url.format(org=world["org"].pk, member=world["member"].pk, closed=world["closed"].pk)
    if body == "org":
        body = _new_org_body()
    elif body == "user":
        body = _new_user_body(world)
    writes_before = AuditEvent.objects.filter(action__startswith="accounts.").count()

    response = getattr(client, method)(url, body, format="json") if body is not None else client.get(url)

    status = expected_status(role, data, level, on_object=on_object, ok=ok)
    assert response.status_code == status, response.content
    if status >= 400 and method != "get":
        assert AuditEvent.objects.filter(action__startswith="accounts.").count() == writes_before


@pytest.mark.parametrize("role", list(Role))
def test_it_gives_everyone_their_own_profile(role):
    user = make_user(role)
    client = api_for(user)

    got = client.get("/api/v1/me/")
    changed = client.patch("/api/v1/me/", {"first_name": "Nərmin", "version": user.version}, format="json")

    assert got.status_code == 200 and got.json()["username"] == user.username
    assert changed.status_code == 200 and changed.json()["first_name"] == "Nərmin"


def test_it_ignores_attempts_to_change_my_role_through_the_profile():
    user = make_user(Role.SHELTER_STAFF)

    response = api_for(user).patch("/api/v1/me/", {"role": Role.SYSTEM_ADMIN, "version": 1}, format="json")

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.role == Role.SHELTER_STAFF


def test_it_creates_an_organisation_through_the_service(admin):
    response = api_for(admin).post("/api/v1/organisations/", _new_org_body(), format="json")

    assert response.status_code == 201
    assert response.json()["version"] == 1
    organisation = Organisation.objects.get(name="Yeni Təşkilat")
    assert AuditEvent.objects.filter(
        action="accounts.organisation.create", target_id=str(organisation.pk)
    ).exists()


def test_it_refuses_malformed_input_with_400_and_writes_nothing(admin):
    response = api_for(admin).post(
        "/api/v1/organisations/", {"name": "", "org_type": "Spaceship"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"name", "org_type"}
    assert not AuditEvent.objects.filter(action="accounts.organisation.create").exists()


def test_it_reports_service_rule_errors_as_400(admin, world):
    body = {**_new_user_body(world), "organisation": None}

    response = api_for(admin).post("/api/v1/users/", body, format="json")

    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not User.objects.filter(username="yeni.istifadeci").exists()


def test_it_requires_the_version_on_update(admin, world):
    response = api_for(admin).patch(
        f"/api/v1/organisations/{world['org'].pk}/", {"region": "Şəki"}, format="json"
    )

    assert response.status_code == 400
    assert "version" in response.json()
    world["org"].refresh_from_db()
    assert world["org"].region == "Bakı"


def test_it_answers_a_stale_version_with_409(admin, world):
    client = api_for(admin)
    url = f"/api/v1/organisations/{world['org'].pk}/"
    assert client.patch(url, {"region": "Şəki", "version": 1}, format="json").status_code == 200

    response = client.patch(url, {"region": "Quba", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"]
    world["org"].refresh_from_db()
    assert world["org"].region == "Şəki" and world["org"].version == 2


def test_it_answers_a_stale_account_version_with_409(admin, world):
    client = api_for(admin)
    url = f"/api/v1/users/{world['member'].pk}/"
    client.patch(url, {"last_name": "Quliyeva", "version": 1}, format="json")

    response = client.patch(url, {"last_name": "Əliyeva", "version": 1}, format="json")

    assert response.status_code == 409


def test_it_answers_a_wrong_content_type_with_a_translated_415(admin):
    from django.utils.translation import gettext

    response = api_for(admin).post(
        "/api/v1/organisations/", "name=X&org_type=NGO", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json()["detail"] == gettext(
        "Send the request body as JSON (Content-Type: application/json)."
    )
    assert not Organisation.objects.filter(name="X").exists()


def test_it_returns_a_generated_password_once_on_account_creation(admin, world):
    response = api_for(admin).post("/api/v1/users/", _new_user_body(world), format="json")

    body = response.json()
    user = User.objects.get(username="yeni.istifadeci")
    assert response.status_code == 201
    assert user.check_password(body["initial_password"])
    assert body["has_second_factor"] is False
    assert "initial_password" not in api_for(admin).get(f"/api/v1/users/{user.pk}/").json()


def test_it_does_not_echo_a_password_the_administrator_typed(admin, world):
    response = api_for(admin).post(
        f"/api/v1/users/{world['member'].pk}/reset-password/",
        {"password": "a long and unusual phrase"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"password": None, "generated": False}


def test_it_filters_accounts_through_the_api(admin, world):
    response = api_for(admin).get(
        "/api/v1/users/", {"organisation": world["org"].pk, "role": Role.NGO_CASEWORKER}
    )

    assert [u["id"] for u in response.json()["results"]] == [world["member"].pk]


def test_it_offers_no_search_by_name_in_api_urls():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/users/"]["get"]["parameters"]}

    assert "q" not in parameters
    assert {"organisation", "role", "scope", "is_active", "has_second_factor"} <= parameters


def test_it_refuses_a_malformed_filter_with_400(admin):
    response = api_for(admin).get("/api/v1/organisations/", {"org_type": "Spaceship"})

    assert response.status_code == 400


def test_it_lists_organisations_with_a_constant_number_of_queries(admin, django_assert_max_num_queries):
    client = api_for(admin)
    for i in range(30):
        make_org(f"API təşkilatı {i}")

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/organisations/")

    assert len(response.json()["results"]) == 31


def test_it_lists_accounts_with_a_constant_number_of_queries(admin, django_assert_max_num_queries):
    client = api_for(admin)
    organisation = make_org("Böyük QHT")
    for _ in range(30):
        make_user(Role.NGO_CASEWORKER, organisation)

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/users/")

    assert len(response.json()["results"]) == 31


# --- Tokens --------------------------------------------------------------------------------


def _token_request(user: User, code: str, password: str | None = None):
    body = {"username": user.username, "password": password or user.raw_password, "code": code}
    return APIClient().post("/api/v1/auth/token/", body, format="json")


def test_it_issues_a_token_for_password_and_totp_code(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)

    response = _token_request(user, totp_code(user.totp_secret, at=totp_clock))

    assert response.status_code == 201
    key = response.json()["token"]
    assert ApiToken.objects.get(user=user).key_hash == hash_key(key)
    me = APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/")
    assert me.status_code == 200
    event = AuditEvent.objects.get(action="auth.token_issued")
    assert event.actor == user and event.ip_address == "127.0.0.1"
    assert key not in str(event.payload)


def test_it_refuses_a_token_without_a_valid_code(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    right = totp_code(user.totp_secret, at=totp_clock)

    response = _token_request(user, f"{(int(right) + 1) % 1_000_000:06d}")

    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_it_refuses_a_token_to_someone_without_totp():
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)

    response = _token_request(user, "123456")

    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=user).exists()


def test_it_refuses_a_token_for_a_wrong_password(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)

    response = _token_request(user, totp_code(user.totp_secret, at=totp_clock), password="not the password")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not ApiToken.objects.filter(user=user).exists()


def test_it_refuses_a_replayed_code_for_a_token(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    code = totp_code(user.totp_secret, at=totp_clock)
    assert _token_request(user, code).status_code == 201

    response = _token_request(user, code)

    assert response.status_code == 400
    assert ApiToken.objects.filter(user=user).count() == 1


def test_it_locks_token_requests_out_after_the_failure_limit(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token_request(user, "000000", password="wrong password")

    response = _token_request(user, totp_code(user.totp_secret, at=totp_clock))

    assert response.status_code == 429
    assert response.json()["detail"]
    assert not ApiToken.objects.filter(user=user).exists()


def test_it_counts_wrong_codes_towards_the_lockout(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token_request(user, "000000")

    response = _token_request(user, totp_code(user.totp_secret, at=totp_clock))

    assert response.status_code == 429


def test_it_revokes_my_token(totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    key = _token_request(user, totp_code(user.totp_secret, at=totp_clock)).json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.delete("/api/v1/auth/token/")

    assert response.status_code == 204
    assert not ApiToken.objects.filter(user=user).exists()
    assert client.get("/api/v1/me/").status_code in {401, 403}  # DRF: 403 when session auth comes first
    assert AuditEvent.objects.filter(action="auth.token_revoked", actor=user).count() == 1


def test_it_refuses_revoking_without_being_signed_in():
    assert APIClient().delete("/api/v1/auth/token/").status_code in {401, 403}


# --- Schema --------------------------------------------------------------------------------


def test_it_describes_every_accounts_endpoint_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [m for m in (*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache) if "accounts" in m]

    assert problems == []
    paths = set(schema["paths"])
    assert {
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
        "/api/v1/organisations/{id}/deactivate/",
        "/api/v1/users/",
        "/api/v1/users/{id}/reset-password/",
        "/api/v1/users/{id}/reset-second-factor/",
        "/api/v1/me/",
        "/api/v1/auth/token/",
    } <= paths


def test_it_stores_only_a_keyed_hash_of_an_api_token():
    user = make_user(Role.SYSTEM_ADMIN, passkey=False)
    key = issue_token(user)
    stored = ApiToken.objects.get(user=user)
    assert key not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == hash_key(key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200


def test_it_refuses_an_expired_api_token():
    from datetime import timedelta

    from django.utils import timezone

    user = make_user(Role.SYSTEM_ADMIN, passkey=False)
    key = issue_token(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code in (401, 403)
