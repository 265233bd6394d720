"""The case's region: set when opening, edited with the victim context, filtered in the list and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.models import Case
from azad.cases.tests.factories import api, client_for, fresh, make_case, make_person_for

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_with_a_region_and_audits_it(world):
    person = make_person_for(world.ngo_worker)
    case = services.create_case(actor=world.ngo_worker, person=person, region="Gəncə")
    assert fresh(case).region == "Gəncə"
    event = AuditEvent.objects.filter(action="cases.case.create").order_by("-seq").first()
    assert event.payload["region"] == "Gəncə"


def test_it_refuses_an_unknown_region_and_opens_nothing(world):
    person = make_person_for(world.ngo_worker)
    before = Case.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_case(actor=world.ngo_worker, person=person, region="Atlantis")
    assert "region" in error.value.message_dict
    assert Case.objects.count() == before


def test_it_edits_the_region_with_the_context_and_leaves_it_when_not_given(world):
    case = make_case(world)
    case = services.update_case_context(
        case, actor=world.ngo_worker, expected_version=case.version,
        exploitation_types=[], control_methods=[], region="Şəki",
    )  # fmt: skip
    assert fresh(case).region == "Şəki"
    event = AuditEvent.objects.filter(action="cases.case.context").order_by("-seq").first()
    assert event.payload["changes"]["region"] == {"from": "", "to": "Şəki"}
    case = services.update_case_context(
        fresh(case), actor=world.ngo_worker, expected_version=fresh(case).version,
        exploitation_types=["ForcedLabour"], control_methods=[],
    )  # fmt: skip
    assert fresh(case).region == "Şəki"


def test_it_opens_a_case_with_a_region_from_the_page(world):
    person = make_person_for(world.ngo_worker)
    response = client_for(world.ngo_worker).post(
        f"/cases/new/{person.pk}/",
        {
            "first_contact_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "Hotline",
            "region": "Quba",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(person=person)
    assert case.region == "Quba"
    assert "Quba" in client_for(world.ngo_worker).get(f"/cases/{case.pk}/").content.decode()


def test_it_filters_the_case_list_and_the_api_by_region(world):
    in_ganja = make_case(world)
    services.update_case_context(
        in_ganja, actor=world.ngo_worker, expected_version=in_ganja.version,
        exploitation_types=[], control_methods=[], region="Gəncə",
    )  # fmt: skip
    elsewhere = make_case(world)
    page = client_for(world.ngo_worker).get("/cases/", {"region": "Gəncə"}).content.decode()
    assert in_ganja.reference in page
    assert elsewhere.reference not in page
    rows = api(world.ngo_worker).get("/api/v1/cases/", {"region": "Gəncə"}).json()["results"]
    assert [row["id"] for row in rows] == [str(in_ganja.pk)]
    assert rows[0]["region"] == "Gəncə"


def test_it_opens_and_edits_the_region_in_the_api(world):
    person = make_person_for(world.ngo_worker)
    client = api(world.ngo_worker)
    response = client.post("/api/v1/cases/", {"person": str(person.pk), "region": "Lənkəran"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["region"] == "Lənkəran"
    case = Case.objects.get(pk=response.json()["id"])
    bad = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"version": case.version, "exploitation_types": [], "control_methods": [], "region": "Mars"},
        format="json",
    )
    assert bad.status_code == 400
    assert fresh(case).region == "Lənkəran"
    ok = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"version": case.version, "exploitation_types": [], "control_methods": [], "region": "Bakı"},
        format="json",
    )
    assert ok.status_code == 200
    assert fresh(case).region == "Bakı"
