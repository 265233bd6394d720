"""The case pages: every role against every page, other organisations' ids, conflicts, bad input, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.cases.choices import ReferralStatus, Stage
from azad.cases.models import Case, Referral
from azad.cases.tests.factories import case_at, client_for, fresh, give_consent, make_case, refer
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope

pytestmark = pytest.mark.django_db


def _level(role, data=Data.CASE_CONTENT):
    return PERMISSIONS[role][data]


CASE_PAGES = [
    # (name, url, level needed on case content)
    ("case page", "/cases/{case}/", Level.READ),
    ("first contact", "/cases/{case}/first-contact/", Level.WRITE),
    ("victim context", "/cases/{case}/context/", Level.WRITE),
    ("refer to ATD", "/cases/{case}/refer-to-atd/", Level.WRITE),
    ("withdraw", "/cases/{case}/move/withdrawn/", Level.WRITE),
    ("consent", "/cases/{case}/consents/new/", Level.WRITE),
    ("payment", "/cases/{case}/payments/new/", Level.WRITE),
    ("assistance plan", "/cases/{case}/plans/new/", Level.WRITE),
    ("service delivered", "/cases/{case}/services/new/", Level.WRITE),
    ("risk assessment", "/cases/{case}/risks/new/", Level.WRITE),
    ("trafficking event", "/cases/{case}/history/new/", Level.WRITE),
    ("comment", "/cases/{case}/comments/new/", Level.WRITE),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "url", "needed"), CASE_PAGES, ids=[p[0] for p in CASE_PAGES])
def test_it_answers_each_role_on_each_case_page_by_the_table(world, role, name, url, needed):
    case = make_case(world)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    response = client_for(user).get(url.format(case=case.pk))
    level = _level(role)
    expected = 200 if level >= needed else (404 if level < Level.READ else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "url", "needed"), CASE_PAGES, ids=[p[0] for p in CASE_PAGES])
def test_it_answers_404_for_another_organisations_case_id_on_every_page(world, role, name, url, needed):
    case = make_case(world, actor=world.other_ngo_worker)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    assert client_for(user).get(url.format(case=case.pk)).status_code == 404
    assert client_for(user).post(url.format(case=case.pk), {"version": case.version}).status_code == 404
    assert fresh(case).version == case.version


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_case_list(world, role):
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    expected = 200 if _level(role) >= Level.READ else 403
    assert client_for(user).get("/cases/").status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_incoming_referrals(world, role):
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    expected = 200 if _level(role, Data.REFERRALS) >= Level.READ else 403
    assert client_for(user).get("/cases/referrals/incoming/").status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_opening_a_case(world, role):
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    person = make_case(world).person
    level = _level(role)
    response = client_for(user).get(f"/cases/new/{person.pk}/")
    assert response.status_code == (200 if level >= Level.WRITE else 403)


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_referral_answers(world, role):
    case = make_case(world, actor=world.other_ngo_worker)
    give_consent(case, world.other_ngo_worker, to=world.atd)
    referral = refer(case, world, actor=world.other_ngo_worker)
    user = make_user(role, world.atd, scope=Scope.ORGANISATION)
    response = client_for(user).post(f"/cases/referrals/{referral.pk}/accept/", {"version": referral.version})
    level = _level(role, Data.REFERRALS)
    if level < Level.READ:
        assert response.status_code == 404
    elif level < Level.WRITE:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


def test_it_lists_cases_without_names_and_with_their_next_clock(world):
    case = make_case(world, first_contact_at=timezone.now() - dt.timedelta(days=2))
    page = client_for(world.ngo_worker).get("/cases/").content.decode()
    assert case.reference in page
    assert "Əliyeva" not in page
    assert "clock-overdue" in page


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_its_list_rows_print_what_the_case_page_prints(world, language):
    """The list's rows are built in Python: the same link, Baku time and clock badge as the case page's."""
    from django.utils import translation

    from azad.cases.badges import clock_badge
    from azad.cases.clocks import case_clocks, most_urgent

    overdue = make_case(world, first_contact_at=timezone.now() - dt.timedelta(days=2))
    child = make_case(
        world, birth_date="2012-01-01", first_contact_at=timezone.now() - dt.timedelta(minutes=5)
    )
    client = client_for(world.ngo_worker)
    client.cookies["azad_language"] = language
    page = client.get("/cases/").content.decode()
    with translation.override(language):
        for case in (overdue, child):
            clock = most_urgent(case_clocks(case))
            badge = clock_badge(clock)
            assert f'<a href="/cases/{case.pk}/">{case.reference}</a>' in page
            assert timezone.localtime(case.first_contact_at).strftime("%Y-%m-%d %H:%M") in page
            assert f"{clock.label}<br>{badge}</td>" in page
        assert page.count(f'<span class="badge warn">{translation.gettext("child")}</span>') == 1


def test_its_list_rows_escape_the_owners_name(world):
    """The rows are written with f-strings: the one free text in them, the owner's name, is escaped."""
    from azad.accounts.models import Organisation

    Organisation.objects.filter(pk=world.ngo.pk).update(name="QHT & <b>Ümid</b>", name_en="", name_ru="")
    make_case(world)
    page = client_for(world.ngo_worker).get("/cases/").content.decode()
    assert "<td>QHT &amp; &lt;b&gt;Ümid&lt;/b&gt;</td>" in page
    assert "<b>Ümid" not in page


def test_it_filters_the_case_list_by_clock_state_stage_and_child(world):
    overdue = make_case(world, first_contact_at=timezone.now() - dt.timedelta(days=2))
    fine = make_case(world, first_contact_at=timezone.now() - dt.timedelta(hours=1))
    child = make_case(world, birth_date="2012-01-01")
    client = client_for(world.ngo_worker)
    page = client.get("/cases/?clock=overdue").content.decode()
    assert overdue.reference in page and fine.reference not in page
    page = client.get("/cases/?is_child=true").content.decode()
    assert child.reference in page and fine.reference not in page
    page = client.get("/cases/?stage=referred_to_atd").content.decode()
    assert fine.reference not in page


def test_it_refuses_an_unknown_filter_value_with_400(world):
    assert client_for(world.ngo_worker).get("/cases/?stage=nonsense").status_code == 400


def test_it_lists_cases_in_a_constant_number_of_queries(world):
    client = client_for(world.ngo_worker)
    make_case(world)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/cases/").status_code == 200
    for _ in range(12):
        make_case(world, birth_date="2011-01-01")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/cases/").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 15


def test_it_lists_incoming_referrals_in_a_constant_number_of_queries(world):
    client = client_for(world.investigator)
    refer(make_case(world), world)
    client.get("/cases/referrals/incoming/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/referrals/incoming/")
    for _ in range(8):
        refer(make_case(world), world)
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/referrals/incoming/")
    assert len(many) == len(few)


def test_it_records_a_view_of_the_case_and_the_person_each_time_the_page_opens(world):
    case = make_case(world)
    client = client_for(world.ngo_worker)
    client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/{case.pk}/")
    views = AuditEvent.objects.filter(action="record.view", actor=world.ngo_worker)
    assert views.filter(target_id=str(case.pk)).count() == 2
    assert views.filter(target_id=str(case.person_id)).count() == 2
    assert all(event.payload == {} for event in views)


def test_it_shows_the_reflection_protection_plainly(world):
    case = case_at(world, Stage.REFLECTION)
    page = client_for(world.investigator).get(f"/cases/{case.pk}/").content.decode()
    assert "no expulsion may be enforced" in page


def test_it_shows_the_next_steps_with_what_blocks_them(world):
    child = case_at(world, Stage.PRESUMED, birth_date="2011-01-01")
    give_consent(child, world.ngo_worker, to=world.atd)
    refer(child, world)
    from azad.cases.tests.factories import accept

    accept(fresh(child).referrals.get(), world.investigator)
    page = client_for(world.investigator).get(f"/cases/{child.pk}/").content.decode()
    assert "Start the reflection period" in page
    assert "cannot go further until these bodies are notified" in page


def test_it_opens_a_case_from_the_person_page_and_redirects_to_it(world):
    person = make_case(world).person
    client = client_for(world.ngo_worker)
    assert f"/cases/new/{person.pk}/" in client.get(f"/persons/{person.pk}/").content.decode()
    response = client.post(
        f"/cases/new/{person.pk}/",
        {
            "first_contact_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "Hotline",
            "exploitation_types": ["ForcedLabour"],
        },
    )
    assert response.status_code == 302
    case = Case.objects.order_by("-created_at").first()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.exploitation_types == ["ForcedLabour"]


def test_it_refuses_a_first_contact_in_the_future_with_a_clear_message(world):
    person = make_case(world).person
    before = Case.objects.count()
    future = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(world.ngo_worker).post(
        f"/cases/new/{person.pk}/", {"first_contact_at": future, "channel": "Hotline"}
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert Case.objects.count() == before


def test_it_refuses_a_transition_out_of_order_with_a_clear_message(world):
    case = make_case(world)
    response = client_for(world.ngo_worker).post(f"/cases/{case.pk}/move/closed/", {"version": case.version})
    assert response.status_code == 400
    assert "cannot move there" in response.content.decode()
    assert fresh(case).stage == Stage.PRESUMED


def test_it_shows_the_conflict_page_for_a_stale_form_and_changes_nothing(world):
    case = make_case(world)
    stale = case.version
    give_consent(case, world.ngo_worker, to=world.atd)
    response = client_for(world.ngo_worker).post(
        f"/cases/{case.pk}/move/withdrawn/", {"version": stale, "withdrawal_reason": "Duplicate"}
    )
    assert response.status_code == 409
    assert fresh(case).stage == Stage.PRESUMED


def test_it_refuses_a_referral_without_consent_on_the_page(world):
    case = make_case(world)
    response = client_for(world.ngo_worker).post(f"/cases/{case.pk}/refer-to-atd/", {"version": case.version})
    assert response.status_code == 400
    assert "no consent in force" in response.content.decode()
    assert fresh(case).stage == Stage.PRESUMED


def test_it_refers_to_atd_from_the_page(world):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=world.atd)
    response = client_for(world.ngo_worker).post(
        f"/cases/{case.pk}/refer-to-atd/", {"version": fresh(case).version}
    )
    assert response.status_code == 302
    assert fresh(case).stage == Stage.REFERRED_TO_ATD


def test_it_refuses_a_referral_to_an_organisation_that_does_not_exist_on_the_page(world):
    case = case_at(world, Stage.IDENTIFIED)
    response = client_for(world.investigator).post(
        f"/cases/{case.pk}/referrals/new/",
        {"version": case.version, "to_organisation": 999999, "purpose": "assistance", "shares": ["identity"]},
    )
    assert response.status_code == 400
    assert not Referral.objects.filter(purpose="assistance").exists()


def test_it_shows_atd_the_24_hour_deadline_of_incoming_referrals(world):
    contact = timezone.now() - dt.timedelta(hours=20)
    case = make_case(world, first_contact_at=contact)
    refer(case, world)
    page = client_for(world.investigator).get("/cases/referrals/incoming/").content.decode()
    deadline = timezone.localtime(contact + dt.timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert deadline in page
    assert "clock-due_soon" in page


def test_it_declines_a_referral_on_its_page_with_a_reason(world):
    referral = refer(make_case(world), world)
    client = client_for(world.investigator)
    assert client.get(f"/cases/referrals/{referral.pk}/decline/").status_code == 200
    assert (
        client.post(f"/cases/referrals/{referral.pk}/decline/", {"version": referral.version}).status_code
        == 400
    )
    response = client.post(
        f"/cases/referrals/{referral.pk}/decline/", {"version": referral.version, "reason": "Natamam"}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED


def test_it_loads_action_forms_for_htmx_with_the_fragment_it_selects(world):
    case = make_case(world)
    response = client_for(world.ngo_worker).get(f"/cases/{case.pk}/consents/new/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="action-form"' in response.content.decode()


def test_it_lists_the_clocks_that_concern_the_person_on_the_home_page(world):
    case = make_case(world, first_contact_at=timezone.now() - dt.timedelta(days=2))
    page = client_for(world.ngo_worker).get("/").content.decode()
    assert "Legal clocks" in page
    assert case.reference in page
    other = client_for(world.other_ngo_worker).get("/").content.decode()
    assert case.reference not in other


def test_it_shows_no_clock_panel_to_roles_without_case_content(world):
    assert "Legal clocks" not in client_for(world.analyst).get("/").content.decode()


def test_it_keeps_names_out_of_every_case_url(world):
    case = make_case(world)
    page = client_for(world.ngo_worker).get(f"/cases/{case.pk}/").content.decode()
    import re

    for href in re.findall(r'href="([^"]+)"', page):
        assert "Əliyeva" not in href and "Aynur" not in href


def test_it_lists_pending_referrals_before_answered_ones(world):
    from azad.cases.tests.factories import accept

    first = refer(make_case(world), world)
    accept(first, world.investigator)
    pending = refer(make_case(world, actor=world.other_ngo_worker), world, actor=world.other_ngo_worker)
    page = client_for(world.investigator).get("/cases/referrals/incoming/").content.decode()
    assert page.index(pending.case.reference) < page.index(first.case.reference)


def test_it_says_when_the_case_list_goes_on_beyond_what_it_counts(world, monkeypatch):
    monkeypatch.setattr("azad.core.paging.LIST_CAP", 2)
    for _ in range(3):
        make_case(world)

    capped = client_for(world.ngo_worker).get("/cases/").content.decode()
    assert "More than 2 cases: narrow the list with the filters." in capped

    monkeypatch.setattr("azad.core.paging.LIST_CAP", 3)
    exact = client_for(world.ngo_worker).get("/cases/").content.decode()
    assert "3 cases" in exact
    assert "More than" not in exact
