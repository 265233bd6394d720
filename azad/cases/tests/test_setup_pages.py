"""Shelter profiles and allowance rates: who may change them, the pages, bad input, conflicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.models import AllowanceRate, ShelterProfile
from azad.cases.tests.factories import client_for, make_shelter
from azad.core.permissions import Role, Scope

pytestmark = pytest.mark.django_db


# --- Shelter profiles -------------------------------------------------------------------------------


def test_it_lets_the_shelters_own_staff_change_its_profile_but_not_another_shelters(world):
    profile = make_shelter(world, beds=4)
    changed = services.save_shelter_profile(
        world.shelter, actor=world.shelter_worker, beds=6, women_only=True, expected_version=profile.version
    )
    assert (changed.beds, changed.women_only) == (6, True)
    other = make_org("Başqa sığınacaq", OrgType.SHELTER)
    services.save_shelter_profile(other, actor=world.admin, beds=3)
    with pytest.raises(PermissionDenied):
        services.save_shelter_profile(other, actor=world.shelter_worker, beds=30)
    assert ShelterProfile.objects.get(organisation=other).beds == 3


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_shelter_profile_pages(world, role):
    profile = make_shelter(world, beds=4)
    user = make_user(role, world.shelter, scope=Scope.ORGANISATION)
    client = client_for(user)
    listing = client.get("/cases/shelters/profiles/").status_code
    create = client.get("/cases/shelters/profiles/new/").status_code
    edit = client.get(f"/cases/shelters/profiles/{profile.pk}/").status_code
    if role == Role.SYSTEM_ADMIN:
        assert (listing, create, edit) == (200, 200, 200)
    elif role == Role.SHELTER_STAFF:
        assert (listing, create, edit) == (200, 403, 200)
    else:
        assert listing == 403 and create == 403
        assert edit in (403, 404)  # 403 for those who see the shelter's occupancy, 404 for the rest


def test_it_answers_404_for_another_shelters_profile_to_shelter_staff(world):
    other = make_org("Başqa sığınacaq", OrgType.SHELTER)
    profile = services.save_shelter_profile(other, actor=world.admin, beds=3)
    assert client_for(world.shelter_worker).get(f"/cases/shelters/profiles/{profile.pk}/").status_code == 404


def test_it_creates_and_changes_a_profile_through_the_pages(world):
    admin = client_for(world.admin)
    response = admin.post(
        "/cases/shelters/profiles/new/",
        {"organisation": world.shelter.pk, "beds": "12", "children_only": "on", "address": "Gizli ünvan"},
    )
    assert response.status_code == 302
    profile = ShelterProfile.objects.get(organisation=world.shelter)
    assert (profile.beds, profile.children_only, profile.address) == (12, True, "Gizli ünvan")
    page = admin.get("/cases/shelters/profiles/").content.decode()
    assert world.shelter.display_name() in page and "Gizli" not in page
    response = client_for(world.shelter_worker).post(
        f"/cases/shelters/profiles/{profile.pk}/",
        {"version": profile.version, "beds": "14", "children_only": "on"},
    )
    assert response.status_code == 302
    assert ShelterProfile.objects.get(pk=profile.pk).beds == 14


def test_it_refuses_bad_profile_input_and_stale_forms_and_changes_nothing(world):
    profile = make_shelter(world, beds=4)
    client = client_for(world.admin)
    both = client.post(
        f"/cases/shelters/profiles/{profile.pk}/",
        {"version": profile.version, "beds": "5", "children_only": "on", "women_only": "on"},
    )
    assert both.status_code == 400
    assert "children only or women only" in both.content.decode()
    zero = client.post(f"/cases/shelters/profiles/{profile.pk}/", {"version": profile.version, "beds": "0"})
    assert zero.status_code == 400
    stale = client.post(
        f"/cases/shelters/profiles/{profile.pk}/", {"version": profile.version + 5, "beds": "9"}
    )
    assert stale.status_code == 409
    assert ShelterProfile.objects.get(pk=profile.pk).beds == 4


def test_it_lists_profiles_in_a_constant_number_of_queries(world):
    client = client_for(world.admin)
    make_shelter(world)
    client.get("/cases/shelters/profiles/")
    with CaptureQueriesContext(connection) as one:
        client.get("/cases/shelters/profiles/")
    for n in range(4):
        services.save_shelter_profile(make_org(f"Sığınacaq {n}x", OrgType.SHELTER), actor=world.admin, beds=2)
    with CaptureQueriesContext(connection) as five:
        client.get("/cases/shelters/profiles/")
    assert len(five) == len(one)


# --- Allowance rates ----------------------------------------------------------------------------------


def test_it_lets_the_national_coordinator_and_the_administrator_set_the_rate(world):
    future = timezone.localdate() + dt.timedelta(days=30)
    rate = services.set_allowance_rate(actor=world.coordinator, valid_from=future, amount="800")
    assert rate.amount == Decimal("800.00")
    assert AuditEvent.objects.filter(action="cases.allowance_rate.set", actor=world.coordinator).exists()
    services.set_allowance_rate(
        actor=world.admin, valid_from=future, amount="810"
    )  # a future rate may be corrected
    assert AllowanceRate.objects.get(valid_from=future).amount == Decimal("810.00")
    with pytest.raises(PermissionDenied):
        services.set_allowance_rate(actor=world.analyst, valid_from=future, amount="900")


def test_it_never_changes_a_rate_already_in_force(world):
    in_force = AllowanceRate.objects.order_by("valid_from").first()
    with pytest.raises(ValidationError) as error:
        services.set_allowance_rate(actor=world.admin, valid_from=in_force.valid_from, amount="1")
    assert "valid_from" in error.value.message_dict
    assert AllowanceRate.objects.get(pk=in_force.pk).amount == in_force.amount


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_allowance_rates_page(world, role):
    user = make_user(role, world.coordinator_office, scope=Scope.NATIONAL)
    response = client_for(user).get("/cases/allowance-rates/")
    allowed = role in (Role.SYSTEM_ADMIN, Role.NATIONAL_COORDINATOR)
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert "700.00" in response.content.decode()


def test_it_adds_a_rate_on_the_page_and_refuses_bad_input(world):
    client = client_for(world.coordinator)
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert client.post("/cases/allowance-rates/", {"valid_from": future, "amount": "750"}).status_code == 302
    assert AllowanceRate.objects.filter(amount=Decimal("750.00")).exists()
    before = AllowanceRate.objects.count()
    bad = client.post("/cases/allowance-rates/", {"valid_from": future, "amount": "-3"})
    assert bad.status_code == 400
    missing = client.post("/cases/allowance-rates/", {"amount": "900"})
    assert missing.status_code == 400
    assert AllowanceRate.objects.count() == before
