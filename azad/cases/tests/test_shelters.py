"""Shelters and placements: capacity, dates, overlaps, who sees who is placed where, occupancy pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.cases import access, services
from azad.cases.models import Placement
from azad.cases.occupancy import daily_occupancy
from azad.cases.tests.factories import (
    api,
    assisted,
    client_for,
    fresh,
    make_case,
    make_shelter,
    placed_case,
    referred_case,
    shelter_referral,
)
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def shelter_case(world):
    case = referred_case(world)
    shelter_referral(case, world)
    return fresh(case)


def place(world, case, *, start_on=None, shelter=None):
    return services.place_in_shelter(
        fresh(case),
        actor=world.shelter_worker,
        shelter=shelter or world.shelter.shelter_profile,
        start_on=start_on or TODAY(),
    )


def test_it_places_a_case_and_audits_ids_only(world):
    make_shelter(world)
    case, placement = placed_case(world)
    assert placement.shelter.organisation == world.shelter and placement.end_on is None
    event = AuditEvent.objects.get(action="cases.placement.create")
    assert event.payload == {
        "case": str(case.pk),
        "shelter": str(placement.shelter.pk),
        "start_on": TODAY().isoformat(),
    }
    assert "Təhlükəsizlik" not in json.dumps(event.payload, ensure_ascii=False)
    assert case.events.filter(kind="placement_started").exists()


def test_it_refuses_a_full_shelter(world):
    make_shelter(world, beds=1)
    placed_case(world)
    case = shelter_case(world)
    with pytest.raises(ValidationError, match="full"):
        place(world, case)
    assert not Placement.objects.filter(case=case).exists()


def test_it_counts_capacity_at_the_start_date(world):
    make_shelter(world, beds=1)
    _case, placement = placed_case(world, start_on=TODAY() - dt.timedelta(days=10))
    services.end_placement(
        placement,
        actor=world.shelter_worker,
        expected_version=placement.version,
        end_on=TODAY() - dt.timedelta(days=5),
    )
    case = shelter_case(world)
    with pytest.raises(ValidationError, match="full"):
        place(world, case, start_on=TODAY() - dt.timedelta(days=7))
    assert place(world, case, start_on=TODAY() - dt.timedelta(days=5)).pk


def test_it_refuses_an_end_before_the_start(world):
    make_shelter(world)
    _case, placement = placed_case(world, start_on=TODAY() - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="before it started"):
        services.end_placement(
            placement,
            actor=world.shelter_worker,
            expected_version=placement.version,
            end_on=TODAY() - dt.timedelta(days=4),
        )
    assert Placement.objects.get(pk=placement.pk).end_on is None


def test_it_refuses_overlapping_placements_of_the_same_case(world):
    make_shelter(world, beds=5)
    case, _placement = placed_case(world, start_on=TODAY() - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="another shelter placement"):
        place(world, case, start_on=TODAY())
    assert Placement.objects.filter(case=case).count() == 1


def test_it_refuses_an_adult_in_a_children_only_shelter(world):
    make_shelter(world, children_only=True)
    case = shelter_case(world)
    with pytest.raises(ValidationError, match="children only"):
        place(world, case)


def test_it_refuses_a_placement_in_the_future(world):
    make_shelter(world)
    case = shelter_case(world)
    with pytest.raises(ValidationError, match="future"):
        place(world, case, start_on=TODAY() + dt.timedelta(days=2))


def test_it_lets_only_the_shelters_staff_place(world):
    make_shelter(world)
    case = shelter_case(world)
    with pytest.raises(PermissionDenied):
        services.place_in_shelter(
            case, actor=world.investigator, shelter=world.shelter.shelter_profile, start_on=TODAY()
        )


def test_it_answers_a_stale_end_with_a_conflict(world):
    make_shelter(world)
    _case, placement = placed_case(world)
    with pytest.raises(ConflictError):
        services.end_placement(
            placement, actor=world.shelter_worker, expected_version=placement.version + 1, end_on=TODAY()
        )


def test_it_answers_409_on_the_end_page_for_a_stale_version(world):
    make_shelter(world)
    _case, placement = placed_case(world)
    response = client_for(world.shelter_worker).post(
        f"/cases/placements/{placement.pk}/end/", {"version": placement.version + 1, "end_on": TODAY()}
    )
    assert response.status_code == 409
    assert Placement.objects.get(pk=placement.pk).end_on is None


def test_it_ends_a_placement_through_the_api_and_409s_when_stale(world):
    make_shelter(world)
    _case, placement = placed_case(world)
    url = f"/api/v1/placements/{placement.pk}/end/"
    stale = api(world.shelter_worker).post(url, {"version": 9, "end_on": TODAY().isoformat()}, format="json")
    assert stale.status_code == 409
    done = api(world.shelter_worker).post(
        url, {"version": placement.version, "end_on": TODAY().isoformat()}, format="json"
    )
    assert done.status_code == 200 and done.json()["end_on"] == TODAY().isoformat()
    assert AuditEvent.objects.filter(action="cases.placement.end").count() == 1


def test_it_shows_placements_to_the_shelter_atd_and_the_owner_only(world):
    make_shelter(world)
    case, placement = placed_case(world)
    assisted(case, world)
    other_shelter = make_org("Başqa sığınacaq", OrgType.SHELTER)
    outsider = make_user(Role.SHELTER_STAFF, other_shelter, scope=Scope.ORGANISATION)
    for user in (world.shelter_worker, world.investigator, world.ngo_worker):
        assert list(access.visible_placements(user)) == [placement]
    for user in (world.assistance_worker, outsider, world.other_ngo_worker, world.coordinator, world.analyst):
        assert not access.visible_placements(user).exists()
        with pytest.raises(NotVisible):
            access.get_placement_for_user(user, placement.pk)


def test_it_hides_the_shelter_from_the_case_page_of_an_assisting_organisation(world):
    make_shelter(world)
    case, _placement = placed_case(world)
    assisted(case, world)
    page = client_for(world.assistance_worker).get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert "No placement you may see." in page.content.decode()
    assert page.context["placements"] == []
    owner_page = client_for(world.ngo_worker).get(f"/cases/{case.pk}/")
    assert [p.pk for p in owner_page.context["placements"]] == [_placement.pk]


def test_it_counts_daily_occupancy(world):
    make_shelter(world, beds=3)
    _case, placement = placed_case(world, start_on=TODAY() - dt.timedelta(days=4))
    services.end_placement(
        placement,
        actor=world.shelter_worker,
        expected_version=placement.version,
        end_on=TODAY() - dt.timedelta(days=2),
    )
    series = dict(daily_occupancy(world.shelter.shelter_profile, TODAY() - dt.timedelta(days=5), TODAY()))
    assert series[TODAY() - dt.timedelta(days=5)] == 0
    assert series[TODAY() - dt.timedelta(days=4)] == 1
    assert series[TODAY() - dt.timedelta(days=3)] == 1
    assert series[TODAY() - dt.timedelta(days=2)] == 0


def test_it_shows_residents_and_free_beds_on_the_shelter_home_panel_without_names(world):
    make_shelter(world, beds=5)
    case, _placement = placed_case(world)
    page = client_for(world.shelter_worker).get("/").content.decode()
    assert "Residents today" in page and "4 / 5" in page
    assert case.person.last_name not in page


def test_it_draws_the_occupancy_page_with_a_chart_and_table(world):
    make_shelter(world, beds=5)
    placed_case(world)
    response = client_for(world.shelter_worker).get(f"/cases/shelters/{world.shelter.shelter_profile.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert "1 of 5 beds taken today" in html
    assert "style=" not in html.split("<main", 1)[-1]


def _sees_shelter(role) -> bool:
    levels = PERMISSIONS[role]
    return levels[Data.SHELTER_MONITORING] >= Level.READ or levels[Data.SHELTER_PLACEMENTS] >= Level.READ


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_shelter_pages(world, role):
    make_shelter(world)
    user = make_user(role, world.shelter, scope=Scope.ORGANISATION)
    client = client_for(user)
    shelter_pk = world.shelter.shelter_profile.pk
    assert client.get("/cases/shelters/").status_code == (200 if _sees_shelter(role) else 403)
    assert client.get(f"/cases/shelters/{shelter_pk}/").status_code == (200 if _sees_shelter(role) else 404)
    api_list = api(user).get("/api/v1/shelters/")
    assert api_list.status_code == (200 if _sees_shelter(role) else 403)
    occupancy = api(user).get(f"/api/v1/shelters/{shelter_pk}/occupancy/")
    assert occupancy.status_code == (200 if _sees_shelter(role) else 404)


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_placement_page(world, role):
    make_shelter(world)
    case = shelter_case(world)
    user = make_user(role, world.shelter, scope=Scope.ORGANISATION)
    response = client_for(user).get(f"/cases/{case.pk}/placements/new/")
    if PERMISSIONS[role][Data.SHELTER_PLACEMENTS] >= Level.WRITE:
        expected = 200
    elif (
        PERMISSIONS[role][Data.CASE_CONTENT] >= Level.READ and PERMISSIONS[role][Data.REFERRALS] >= Level.READ
    ):
        expected = 403  # sees the case through the shelter's referral, may not place
    else:
        expected = 404
    assert response.status_code == expected


def test_it_places_through_the_page(world):
    make_shelter(world)
    case = shelter_case(world)
    response = client_for(world.shelter_worker).post(
        f"/cases/{case.pk}/placements/new/",
        {"shelter": world.shelter.shelter_profile.pk, "start_on": TODAY().isoformat(), "reason": "Təhlükə"},
    )
    assert response.status_code == 302
    assert Placement.objects.get(case=case).reason == "Təhlükə"


def test_it_places_through_the_api_and_refuses_bad_input(world):
    make_shelter(world)
    case = shelter_case(world)
    url = f"/api/v1/cases/{case.pk}/placements/"
    bad = api(world.shelter_worker).post(
        url, {"shelter": str(world.shelter.shelter_profile.pk), "start_on": "2999-01-01"}, format="json"
    )
    assert bad.status_code == 400 and not Placement.objects.exists()
    good = api(world.shelter_worker).post(
        url,
        {"shelter": str(world.shelter.shelter_profile.pk), "start_on": TODAY().isoformat()},
        format="json",
    )
    assert good.status_code == 201
    assert api(world.shelter_worker).get(url).json()[0]["id"] == good.json()["id"]


def test_it_lists_shelters_and_placements_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    make_shelter(world, beds=10)
    for _ in range(3):
        placed = shelter_case(world)
        place(world, placed)
    client, api_client = client_for(world.investigator), api(world.investigator)
    client.get("/")
    with django_assert_max_num_queries(12):
        assert client.get("/cases/shelters/").status_code == 200
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/placements/")
    assert response.status_code == 200 and len(response.json()["results"]) == 3


def test_it_refuses_a_shelter_profile_from_anyone_but_the_administrator(world):
    with pytest.raises(PermissionDenied):
        services.save_shelter_profile(world.shelter, actor=world.shelter_worker, beds=5)
    with pytest.raises(ValidationError):
        services.save_shelter_profile(world.ngo, actor=world.admin, beds=5)
    profile = make_shelter(world, beds=4)
    event = AuditEvent.objects.get(action="cases.shelter.save")
    assert "gizli" not in json.dumps(event.payload, ensure_ascii=False)
    with pytest.raises(ConflictError):
        services.save_shelter_profile(
            world.shelter, actor=world.admin, beds=6, expected_version=profile.version + 1
        )


def test_it_keeps_the_shelter_address_encrypted(world):
    from django.db import connection

    profile = make_shelter(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM cases_shelterprofile WHERE id = %s", [profile.pk.hex])
        row = cursor.fetchone()
    if row is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT address FROM cases_shelterprofile WHERE id = %s", [str(profile.pk)])
            row = cursor.fetchone()
    assert "gizli" not in str(row[0])


def test_it_shows_a_case_in_a_placement_list_only_once_made(world):
    make_shelter(world)
    case = make_case(world)
    assert not access.visible_placements(world.ngo_worker).filter(case=case).exists()
