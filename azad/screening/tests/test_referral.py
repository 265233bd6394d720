"""From an indicative screening to a referral on ATD's list: page, API and services."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.cases.choices import Stage
from azad.cases.models import Case, Referral
from azad.core.locking import ConflictError
from azad.core.permissions import Role
from azad.persons.services import create_person
from azad.screening import services
from azad.screening.tests.factories import ADULT_LABOUR, INDICATIVE_ADULT, make_screening, pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def atd():
    return make_org(name="DİN İnsan Alverinə qarşı Mübarizə Baş İdarəsi", org_type="PoliceATD")


def _person(actor):
    return create_person(
        actor=actor,
        first_name="Aynur",
        last_name="Məmmədova",
        gender="Feminine",
        citizenship="AZ",
        birth_date="1996-05-01",
    )


def _indicative(actor, *, with_person=True):
    person = _person(actor) if with_person else None
    return make_screening(actor, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True, person=person)


def test_it_opens_the_case_and_refers_it_to_atd_with_consent(atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    screening = _indicative(ngo_worker)

    case = services.refer_screening_to_atd(
        screening, actor=ngo_worker, expected_version=screening.version, consent=True
    )

    assert case.stage == Stage.REFERRED_TO_ATD
    assert case.screening_id == str(screening.pk)
    assert case.control_methods  # pre-filled from the screening's HTCDS values
    referral = Referral.objects.get(case=case)
    assert referral.to_organisation == atd
    screening.refresh_from_db()
    assert screening.referred_to_atd_at is not None and screening.referral_id == str(referral.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "cases.case.create",
        "cases.consent.record",
        "cases.referral.create",
        "screening.screening.refer",
    } <= actions


def test_it_refuses_without_consent_or_legal_ground_and_writes_nothing(atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    screening = _indicative(ngo_worker)
    cases_before = Case.objects.count()
    with pytest.raises(ValidationError):
        services.refer_screening_to_atd(screening, actor=ngo_worker, expected_version=screening.version)
    assert Case.objects.count() == cases_before
    screening.refresh_from_db()
    assert screening.referred_to_atd_at is None


def test_it_lets_the_police_refer_on_a_legal_ground(atd):
    officer = make_user(Role.POLICE_INVESTIGATOR, make_org(name="Sərhəd dəstəsi", org_type="LawEnforcement"))
    screening = _indicative(officer)
    case = services.refer_screening_to_atd(
        screening,
        actor=officer,
        expected_version=screening.version,
        legal_ground="Cinayət Prosessual Məcəlləsi",
    )
    assert case.stage == Stage.REFERRED_TO_ATD


def test_it_refuses_a_screening_without_a_person_a_second_referral_and_a_stale_version(atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    anonymous = _indicative(ngo_worker, with_person=False)
    with pytest.raises(ValidationError, match="Link the screened person"):
        services.refer_screening_to_atd(
            anonymous, actor=ngo_worker, expected_version=anonymous.version, consent=True
        )
    screening = _indicative(ngo_worker)
    with pytest.raises(ConflictError):
        services.refer_screening_to_atd(
            screening, actor=ngo_worker, expected_version=screening.version - 1, consent=True
        )
    services.refer_screening_to_atd(
        screening, actor=ngo_worker, expected_version=screening.version, consent=True
    )
    screening.refresh_from_db()
    with pytest.raises(ValidationError, match="already been referred"):
        services.refer_screening_to_atd(
            screening, actor=ngo_worker, expected_version=screening.version, consent=True
        )
    assert Case.objects.count() == 1


def test_it_refuses_a_screening_that_is_not_indicative(atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    person = _person(ngo_worker)
    screening = make_screening(
        ngo_worker, answers=pick(ADULT_LABOUR, {1: "S"}, answer="no"), complete=True, person=person
    )
    with pytest.raises(ValidationError, match="indicative"):
        services.refer_screening_to_atd(
            screening, actor=ngo_worker, expected_version=screening.version, consent=True
        )


def test_it_refers_from_the_page_and_lands_on_the_case(client, atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    screening = _indicative(ngo_worker)
    client.force_login(ngo_worker)
    detail = client.get(f"/screening/{screening.pk}/")
    assert f"/screening/{screening.pk}/refer/" in detail.content.decode()
    response = client.post(
        f"/screening/{screening.pk}/refer/",
        {"version": screening.version, "consent": "on", "channel": "NgoOutreach"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"


def test_it_shows_the_refusal_on_the_page_with_400(client, atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    screening = _indicative(ngo_worker)
    client.force_login(ngo_worker)
    response = client.post(f"/screening/{screening.pk}/refer/", {"version": screening.version})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_it_hides_another_organisations_screening_from_the_refer_page(client, atd):
    screening = _indicative(make_user(Role.NGO_CASEWORKER))
    client.force_login(make_user(Role.NGO_CASEWORKER))
    assert client.get(f"/screening/{screening.pk}/refer/").status_code == 404


def test_it_refers_through_the_api(atd):
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    screening = _indicative(ngo_worker)
    api = APIClient()
    api.force_authenticate(ngo_worker)
    response = api.post(
        f"/api/v1/screening/screenings/{screening.pk}/refer/",
        {"version": screening.version, "consent": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == Stage.REFERRED_TO_ATD
    stale = api.post(
        f"/api/v1/screening/screenings/{screening.pk}/refer/",
        {"version": screening.version, "consent": True},
        format="json",
    )
    assert stale.status_code in (400, 409)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_screens_an_adult_refers_her_and_atd_sees_the_deadline(live_server, page, csp_violations):
    from azad.core.tests.test_browser import sign_in

    atd_org = make_org(name="DİN İnsan Alverinə qarşı Mübarizə Baş İdarəsi", org_type="PoliceATD")
    ngo_worker = make_user(Role.NGO_CASEWORKER)
    investigator = make_user(Role.POLICE_INVESTIGATOR, atd_org)
    person = _person(ngo_worker)
    screening = make_screening(ngo_worker, person=person)
    answers = pick(ADULT_LABOUR, INDICATIVE_ADULT)

    sign_in(page, live_server.url, ngo_worker)
    page.goto(f"{live_server.url}/screening/{screening.pk}/")
    for code in answers:
        page.check(f"input[name='answer:{code}'][value='yes']")
    page.click("button[name=complete]")
    page.wait_for_selector("text=Indicative of trafficking")
    page.click(f"a[href='/screening/{screening.pk}/refer/']")
    page.check("input[name=consent]")
    page.click("#main form [type=submit]")
    page.wait_for_url(f"{live_server.url}/cases/**")
    assert csp_violations == []

    page.context.clear_cookies()
    sign_in(page, live_server.url, investigator)
    page.goto(live_server.url + "/cases/referrals/incoming/")
    assert page.locator("th", has_text="24-hour deadline").count() == 1
    row = page.locator("tbody tr").first
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row.inner_text())  # the deadline itself
    assert csp_violations == []
