"""Two leaks closed: a shelter's name on the case page, and sealed cases in referral inboxes."""

from __future__ import annotations

import datetime as dt

import pytest

from azad.cases import services
from azad.cases.tests.factories import api, assisted, client_for, make_case, make_shelter, placed_case, refer
from azad.core.permissions import Role

pytestmark = pytest.mark.django_db


def _tables(page: str) -> str:
    """The consent and referral sections of a case page (the timeline is left out)."""
    start = page.index('id="consent-heading"')
    return page[start : page.index("</section>", page.index('id="referrals-heading"'))]


def test_it_hides_the_shelters_name_in_the_referral_and_consent_tables_from_others(world):
    make_shelter(world, beds=3)
    case, _placement = placed_case(world)
    assisted(case, world)
    shelter_name = world.shelter.display_name()

    page = client_for(world.assistance_worker).get(f"/cases/{case.pk}/").content.decode()
    others = _tables(page)
    assert shelter_name not in others
    assert "a shelter" in others
    assert world.assistance.display_name() in others  # other organisations stay named
    assert shelter_name not in page  # nor in the timeline (referral events, the shelter staff's steps)
    assert world.shelter.name not in page

    for insider in (world.investigator, world.ngo_worker):
        tables = _tables(client_for(insider).get(f"/cases/{case.pk}/").content.decode())
        assert shelter_name in tables
        assert "a shelter" not in tables


def test_it_blanks_the_shelters_id_in_the_referral_and_consent_api_for_others(world):
    make_shelter(world, beds=3)
    case, _placement = placed_case(world)
    assisted(case, world)
    shelter_id = world.shelter.pk

    def organisation_ids(user):
        client = api(user)
        referrals = client.get(f"/api/v1/cases/{case.pk}/referrals/")
        consents = client.get(f"/api/v1/cases/{case.pk}/consents/")
        assert referrals.status_code == consents.status_code == 200
        ids = [r["to_organisation"] for r in referrals.json()] + [
            r["from_organisation"] for r in referrals.json()
        ]
        return ids + [c["to_organisation"] for c in consents.json()]

    assert shelter_id not in organisation_ids(world.assistance_worker)
    assert world.assistance.pk in organisation_ids(world.assistance_worker)  # others stay named
    assert shelter_id in organisation_ids(world.investigator)
    assert shelter_id in organisation_ids(world.ngo_worker)


def _sealed_pending_referral(world, roles):
    case = make_case(world)
    referral = refer(case, world)
    services.seal_case(
        case,
        actor=world.prosecutor,
        decided_by_organisation=world.court,
        decision_reference="2-1(103)-55/2026",
        decided_on=dt.date(2026, 1, 15),
        roles=list(roles),
    )
    return referral


def test_it_keeps_a_sealed_cases_referral_out_of_the_inbox_of_roles_the_decision_does_not_name(world):
    referral = _sealed_pending_referral(world, [Role.POLICE_SUPERVISOR])
    page = client_for(world.investigator).get("/cases/referrals/incoming/").content.decode()
    assert str(referral.case.reference) not in page
    rows = api(world.investigator).get("/api/v1/referrals/", {"box": "incoming"}).json()["results"]
    assert str(referral.pk) not in [row["id"] for row in rows]
    rows = api(world.investigator).get("/api/v1/referrals/").json()["results"]
    assert str(referral.pk) not in [row["id"] for row in rows]
    assert api(world.investigator).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_it_keeps_a_sealed_cases_referral_in_the_inbox_of_the_roles_it_names(world):
    referral = _sealed_pending_referral(world, [Role.POLICE_INVESTIGATOR])
    page = client_for(world.investigator).get("/cases/referrals/incoming/").content.decode()
    assert str(referral.case.reference) in page
    rows = api(world.investigator).get("/api/v1/referrals/", {"box": "incoming"}).json()["results"]
    assert str(referral.pk) in [row["id"] for row in rows]
