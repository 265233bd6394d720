"""Pages for organisations, accounts and "My account": permissions, writes, conflicts, search."""

from __future__ import annotations

import pytest
from django.test import Client

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def expected_status(role: Role, data: Data, needed: Level, *, on_object: bool) -> int:
    """What the table says a role gets: 200 if allowed; else 404 for a record it cannot see, else 403."""
    level = PERMISSIONS[role][data]
    if level >= needed:
        return 200
    if on_object and level < Level.READ:
        return 404
    return 403


@pytest.fixture
def world(admin):
    """Another organisation with one account in it, and a deactivated organisation."""
    other = make_org("Təmiz Dünya", OrgType.NGO, region="Bakı")
    member = make_user(Role.NGO_CASEWORKER, other, first_name="Şəhla", last_name="Həsənova")
    closed = make_org("Köhnə QHT", OrgType.NGO, is_active=False)
    return {"org": other, "member": member, "closed": closed}


PAGES = [
    # (name, url template, data, level needed, about one record)
    ("organisation list", "/accounts/organisations/", Data.ORGANISATIONS, Level.READ, False),
    ("organisation detail", "/accounts/organisations/{org}/", Data.ORGANISATIONS, Level.READ, True),
    ("organisation create", "/accounts/organisations/new/", Data.ORGANISATIONS, Level.WRITE, False),
    ("organisation edit", "/accounts/organisations/{org}/edit/", Data.ORGANISATIONS, Level.WRITE, True),
    (
        "organisation deactivate",
        "/accounts/organisations/{org}/deactivate/",
        Data.ORGANISATIONS,
        Level.WRITE,
        True,
    ),
    (
        "organisation reactivate",
        "/accounts/organisations/{closed}/reactivate/",
        Data.ORGANISATIONS,
        Level.WRITE,
        True,
    ),
    ("account list", "/accounts/users/", Data.ACCOUNTS, Level.READ, False),
    ("account detail", "/accounts/users/{member}/", Data.ACCOUNTS, Level.READ, True),
    ("account create", "/accounts/users/new/", Data.ACCOUNTS, Level.WRITE, False),
    ("account edit", "/accounts/users/{member}/edit/", Data.ACCOUNTS, Level.WRITE, True),
    ("account deactivate", "/accounts/users/{member}/deactivate/", Data.ACCOUNTS, Level.WRITE, True),
    ("account reactivate", "/accounts/users/{member}/reactivate/", Data.ACCOUNTS, Level.WRITE, True),
    ("account password", "/accounts/users/{member}/password/", Data.ACCOUNTS, Level.WRITE, True),
    ("account second factor", "/accounts/users/{member}/second-factor/", Data.ACCOUNTS, Level.WRITE, True),
]


def _url(template: str, world: dict) -> str:
    return template.format(org=world["org"].pk, member=world["member"].pk, closed=world["closed"].pk)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "url", "data", "level", "on_object"), PAGES, ids=[p[0] for p in PAGES])
def test_it_answers_each_page_as_the_permissions_table_says(world, role, name, url, data, level, on_object):
    client = client_for(make_user(role))

    response = client.get(_url(url, world))

    assert response.status_code == expected_status(role, data, level, on_object=on_object)


WRITES = [p for p in PAGES if p[3] == Level.WRITE]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
@pytest.mark.parametrize(("name", "url", "data", "level", "on_object"), WRITES, ids=[p[0] for p in WRITES])
def test_it_refuses_every_write_to_other_roles_and_writes_nothing(
    world, role, name, url, data, level, on_object
):
    client = client_for(make_user(role))
    before = AuditEvent.objects.exclude(action__startswith="auth.").count()
    posted = {"name": "Hack", "org_type": OrgType.NGO, "country": "AZ", "version": 1, "role": role}

    response = client.post(_url(url, world), posted)

    assert response.status_code == expected_status(role, data, level, on_object=on_object)
    assert response.status_code in {403, 404}
    assert (
        AuditEvent.objects.exclude(action__startswith=("auth.")).exclude(action="access.denied").count()
        == before
    )
    assert not Organisation.objects.filter(name="Hack").exists()
    world["member"].refresh_from_db()
    assert world["member"].is_active


@pytest.mark.parametrize("role", list(Role))
def test_it_gives_everyone_their_own_account_page(role):
    user = make_user(role)

    response = client_for(user).get("/accounts/me/")

    assert response.status_code == 200
    assert user.username in response.content.decode()


# --- Writing through the pages ---------------------------------------------------------


def test_it_adds_an_organisation_through_the_page(admin_client, admin):
    response = admin_client.post(
        "/accounts/organisations/new/",
        {"name": "Lənkəran Yardım Mərkəzi", "org_type": OrgType.ASSISTANCE_CENTRE, "country": "AZ"},
    )

    organisation = Organisation.objects.get(name="Lənkəran Yardım Mərkəzi")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/organisations/{organisation.pk}/"
    assert AuditEvent.objects.filter(action="accounts.organisation.create", actor=admin).count() == 1


def test_it_refuses_a_malformed_organisation_with_400_and_writes_nothing(admin_client):
    response = admin_client.post(
        "/accounts/organisations/new/", {"name": "", "org_type": "Spaceship", "country": "AZ"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"name", "org_type"}
    assert not AuditEvent.objects.filter(action="accounts.organisation.create").exists()


def test_it_shows_a_duplicate_name_on_the_form(admin_client):
    make_org("Təmiz Dünya")

    response = admin_client.post(
        "/accounts/organisations/new/", {"name": "TƏMİZ DÜNYA", "org_type": OrgType.NGO, "country": "AZ"}
    )

    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_it_edits_an_organisation_with_its_version(admin_client, world):
    org = world["org"]
    form = admin_client.get(f"/accounts/organisations/{org.pk}/edit/").context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "region": "Sumqayıt"}

    response = admin_client.post(f"/accounts/organisations/{org.pk}/edit/", data)

    org.refresh_from_db()
    assert response.status_code == 302
    assert org.region == "Sumqayıt" and org.version == 2


def test_it_answers_a_concurrent_organisation_edit_with_a_409_conflict_page(admin_client, world, admin):
    org = world["org"]
    stale = admin_client.get(f"/accounts/organisations/{org.pk}/edit/").context["form"].initial
    from azad.accounts import services

    services.update_organisation(org, {"region": "Gəncə"}, actor=admin, expected_version=1)
    data = {**{k: v for k, v in stale.items() if v is not None}, "region": "Sumqayıt"}

    response = admin_client.post(f"/accounts/organisations/{org.pk}/edit/", data)

    assert response.status_code == 409
    assert "accounts/conflict.html" in [t.name for t in response.templates]
    org.refresh_from_db()
    assert org.region == "Gəncə"
    assert AuditEvent.objects.filter(action="accounts.organisation.update").count() == 1


def test_it_deactivates_an_organisation_after_confirmation(admin_client, world):
    org = world["org"]
    page = admin_client.get(f"/accounts/organisations/{org.pk}/deactivate/")
    assert page.context["active_members"] == 1

    response = admin_client.post(f"/accounts/organisations/{org.pk}/deactivate/")

    org.refresh_from_db()
    world["member"].refresh_from_db()
    assert response.status_code == 302
    assert not org.is_active and not world["member"].is_active


def test_it_opens_an_account_and_shows_the_password_once(admin_client, world):
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "kamran.m",
            "first_name": "Kamran",
            "last_name": "Məmmədov",
            "role": Role.NGO_CASEWORKER,
            "scope": "own",
            "organisation": world["org"].pk,
            "language": "az",
        },
    )

    user = User.objects.get(username="kamran.m")
    password = response.context["password"]
    assert response.status_code == 201
    assert password in response.content.decode()
    assert user.check_password(password)
    assert password not in admin_client.get(f"/accounts/users/{user.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="accounts.user.create", target_id=str(user.pk)).exists()


def test_it_refuses_an_account_without_organisation_with_400(admin_client):
    response = admin_client.post(
        "/accounts/users/new/",
        {"username": "kamran.m", "role": Role.NGO_CASEWORKER, "scope": "own", "language": "az"},
    )

    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="kamran.m").exists()


def test_it_answers_a_concurrent_account_edit_with_409(admin_client, world, admin):
    member = world["member"]
    stale = admin_client.get(f"/accounts/users/{member.pk}/edit/").context["form"].initial
    from azad.accounts import services

    services.update_user(member, {"last_name": "Quliyeva"}, actor=admin, expected_version=1)
    data = {**{k: v for k, v in stale.items() if v is not None}, "last_name": "Əliyeva"}

    response = admin_client.post(f"/accounts/users/{member.pk}/edit/", data)

    assert response.status_code == 409
    member.refresh_from_db()
    assert member.last_name == "Quliyeva"


def test_it_explains_that_an_administrator_cannot_deactivate_themselves(admin_client, admin):
    response = admin_client.post(f"/accounts/users/{admin.pk}/deactivate/")

    assert response.status_code == 400
    assert response.context["errors"]
    admin.refresh_from_db()
    assert admin.is_active


def test_it_resets_a_password_through_the_page(admin_client, world):
    member = world["member"]

    response = admin_client.post(f"/accounts/users/{member.pk}/password/", {"password": ""})

    member.refresh_from_db()
    assert response.status_code == 200
    assert member.check_password(response.context["password"])


def test_it_resets_a_second_factor_through_the_page(admin_client, world):
    member = world["member"]

    response = admin_client.post(f"/accounts/users/{member.pk}/second-factor/")

    assert response.status_code == 302
    assert not member.authenticator_set.exists()


def test_it_saves_my_names_and_language_and_sets_the_language_cookie():
    user = make_user(Role.SHELTER_STAFF, first_name="Aygün")
    client = client_for(user)

    response = client.post(
        "/accounts/me/", {"first_name": "Aygül", "last_name": "", "language": "en", "version": 1}
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.first_name == "Aygül" and user.language == "en"
    assert response.cookies["azad_language"].value == "en"
    assert client.get("/")["Content-Language"] == "en"
    assert AuditEvent.objects.filter(action="accounts.user.update_profile", actor=user).count() == 1


def test_it_refuses_an_unknown_language_with_400():
    user = make_user(Role.SHELTER_STAFF)

    response = client_for(user).post(
        "/accounts/me/", {"first_name": "", "last_name": "", "language": "xx", "version": 1}
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.language == ""


def test_it_answers_a_stale_profile_edit_with_409():
    user = make_user(Role.SHELTER_STAFF)
    client = client_for(user)
    client.post("/accounts/me/", {"first_name": "A", "last_name": "", "language": "az", "version": 1})

    response = client.post(
        "/accounts/me/", {"first_name": "B", "last_name": "", "language": "az", "version": 1}
    )

    assert response.status_code == 409
    user.refresh_from_db()
    assert user.first_name == "A"


# --- Lists: search, filters, order, query counts ---------------------------------------

ALPHABET_ORDER = [
    "Ağdam",
    "Cəlil",
    "Çinar",
    "Həyat",
    "Xaçmaz",
    "Işıqlı",
    "İsmayıllı",
    "Qəbələ",
    "Ordubad",
    "Ömür",
    "Sabah",
    "Şəki",
    "Ucar",
    "Üfüq",
    "Zəngilan",
]


def test_it_sorts_organisations_in_azerbaijani_alphabet_order():
    for name in reversed(ALPHABET_ORDER):
        make_org(name, OrgType.SHELTER)
    reader = make_user(Role.NATIONAL_COORDINATOR)

    response = client_for(reader).get("/accounts/organisations/", {"org_type": OrgType.SHELTER})

    assert [org.name for org in response.context["page"]] == ALPHABET_ORDER


@pytest.mark.parametrize("typed", ["ismayıllı", "İSMAYILLI", "İsmayıllı", "smayıl"])
def test_it_finds_organisations_by_folded_name(typed):
    make_org("İsmayıllı Rayon Sığınacağı")
    make_org("Ismarlama QHT")
    reader = make_user(Role.NATIONAL_COORDINATOR)

    response = client_for(reader).get("/accounts/organisations/", {"q": typed})

    assert [org.name for org in response.context["page"]] == ["İsmayıllı Rayon Sığınacağı"]


def test_it_filters_organisations_by_type_region_and_state(world):
    reader = make_user(Role.NATIONAL_COORDINATOR)
    client = client_for(reader)

    by_region = client.get("/accounts/organisations/", {"region": "Bakı"}).context["page"]
    inactive = client.get("/accounts/organisations/", {"is_active": "false"}).context["page"]

    assert [o.name for o in by_region] == ["Təmiz Dünya"]
    assert [o.name for o in inactive] == ["Köhnə QHT"]


def test_it_answers_a_malformed_filter_with_400():
    reader = make_user(Role.NATIONAL_COORDINATOR)

    response = client_for(reader).get("/accounts/organisations/", {"org_type": "Spaceship"})

    assert response.status_code == 400


@pytest.mark.parametrize("typed", ["şəhla", "ŞƏHLA", "həsənova", "HƏSƏNOVA"])
def test_it_finds_accounts_by_folded_name(admin_client, world, typed):
    response = admin_client.post("/accounts/users/", {"q": typed})

    assert response.status_code == 200
    assert [u.pk for u in response.context["page"]] == [world["member"].pk]


def test_it_keeps_searched_names_out_of_urls(admin_client, world):
    page = admin_client.get("/accounts/users/").content.decode()
    form = page[page.index('role="search"') - 60 : page.index('role="search"')]

    assert 'method="post"' in form


def test_it_carries_a_posted_search_through_the_pages(admin_client):
    organisation = make_org("Böyük QHT")
    for i in range(55):
        make_user(Role.NGO_CASEWORKER, organisation, username=f"sahil-{i:02d}")

    first = admin_client.post("/accounts/users/", {"q": "sahil"})
    second = admin_client.post("/accounts/users/", {"q": "sahil", "page": 2})

    assert len(first.context["page"]) == 50
    assert 'name="q" value="sahil"' in first.content.decode()
    assert [u.username for u in second.context["page"]] == [
        "sahil-50",
        "sahil-51",
        "sahil-52",
        "sahil-53",
        "sahil-54",
    ]


def test_it_filters_accounts_by_organisation_role_and_second_factor(admin_client, world):
    make_user(Role.NGO_CASEWORKER, world["org"], second_factor=False)

    by_org = admin_client.get("/accounts/users/", {"organisation": world["org"].pk}).context["page"]
    without = admin_client.get("/accounts/users/", {"has_second_factor": "false"}).context["page"]
    by_role = admin_client.get("/accounts/users/", {"role": Role.SYSTEM_ADMIN}).context["page"]

    assert len(by_org) == 2
    assert len(without) == 1
    assert [u.username for u in by_role] == ["admin"]


def test_it_lists_organisations_with_a_constant_number_of_queries(django_assert_max_num_queries):
    reader = make_user(Role.NATIONAL_COORDINATOR)
    client = client_for(reader)
    for i in range(40):
        make_org(f"Təşkilat siyahı {i}", region=f"Rayon {i % 7}")

    with django_assert_max_num_queries(12):
        response = client.get("/accounts/organisations/")

    assert len(response.context["page"]) == 41


def test_it_lists_accounts_with_a_constant_number_of_queries(admin_client, django_assert_max_num_queries):
    organisation = make_org("Böyük QHT")
    for _ in range(40):
        make_user(Role.NGO_CASEWORKER, organisation)

    with django_assert_max_num_queries(12):
        response = admin_client.get("/accounts/users/")

    assert len(response.context["page"]) == 41


def test_it_shows_members_of_an_organisation_to_administrators_only(admin_client, world):
    reader = client_for(make_user(Role.NATIONAL_COORDINATOR))
    url = f"/accounts/organisations/{world['org'].pk}/"

    assert world["member"].username in admin_client.get(url).content.decode()
    assert world["member"].username not in reader.get(url).content.decode()


def test_it_shows_the_accounts_panel_on_the_home_page_to_administrators(admin_client, world):
    make_user(Role.NGO_CASEWORKER, world["org"], second_factor=False)

    panel = next(
        p for p in admin_client.get("/").context["panels"] if p["template"] == "accounts/home_panel.html"
    )

    assert panel["without_second_factor"] == 1
    assert panel["accounts"] == User.objects.filter(is_active=True).count()
    assert panel["organisations"] == Organisation.objects.filter(is_active=True).count()


def test_it_shows_no_accounts_panel_to_other_roles():
    client = client_for(make_user(Role.NATIONAL_COORDINATOR))

    panels = client.get("/").context["panels"]

    assert all(p["template"] != "accounts/home_panel.html" for p in panels)
