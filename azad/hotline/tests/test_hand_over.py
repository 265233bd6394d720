"""From a call to the referral mechanism: open a case and refer it to ATD in one action, link calls.

Hotline roles write case content like a referring NGO; which cases they see is
the referral mechanism's rule (their organisation's, or their own for own scope).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.cases import access as case_access
from azad.cases.choices import ConsentGiver, ContactChannel, ReferralStatus, Stage
from azad.cases.clocks import ClockKind, atd_referral_clock
from azad.cases.models import Case, Consent, Referral
from azad.core.exceptions import NotVisible
from azad.core.permissions import Role, Scope
from azad.hotline import services
from azad.hotline.models import Call
from azad.hotline.tests.factories import make_call, make_hotline, make_operator, make_supervisor
from azad.persons.models import Person

pytestmark = pytest.mark.django_db

CALLER = "Leyla Məmmədova"


@pytest.fixture
def line():
    """ATD, a line with two operators and a supervisor, an NGO with a case of its own."""
    atd = make_org("İAMBİ", OrgType.POLICE_ATD)
    hotline = make_hotline()
    ngo = make_org("QHT", OrgType.NGO)
    ngo_worker = make_user(Role.NGO_CASEWORKER, ngo, scope=Scope.ORGANISATION)
    return {
        "atd": atd,
        "investigator": make_user(Role.POLICE_INVESTIGATOR, atd, scope=Scope.ORGANISATION),
        "hotline": hotline,
        "operator": make_operator(hotline),
        "colleague": make_operator(hotline),
        "supervisor": make_supervisor(hotline, scope=Scope.ORGANISATION),
        "ngo": ngo,
        "ngo_worker": ngo_worker,
    }


def _victim_call(operator, **extra):
    values = {
        "caller_type": "victim",
        "reason": "victim_seeking_help",
        "urgency": "urgent",
        "caller_consented": True,
        "caller_name": CALLER,
        "started_at": timezone.now() - dt.timedelta(hours=3),
    }
    values.update(extra)
    return make_call(operator, **values)


def _state():
    return (
        Person.objects.count(),
        Case.objects.count(),
        Consent.objects.count(),
        Referral.objects.count(),
        AuditEvent.objects.filter(action="hotline.call.hand_over").count(),
    )


def _make_ngo_case(line):
    """A case another organisation (the NGO) owns."""
    from azad.cases import services as case_services
    from azad.persons.services import create_person

    person = create_person(actor=line["ngo_worker"], first_name="Aynur", birth_year=1990)
    return case_services.create_case(
        actor=line["ngo_worker"], person=person, first_contact_at=timezone.now(), channel="NgoOutreach"
    )


# --- The one action -----------------------------------------------------------------------------


def test_it_opens_a_case_refers_it_to_atd_and_links_the_call_in_one_action(line):
    operator = line["operator"]
    call = _victim_call(operator)

    case, created = services.hand_over_to_atd(call, actor=operator, consent=True, birth_year=1995)

    assert created
    case = Case.objects.get(pk=case.pk)
    assert case.owner_organisation_id == line["hotline"].pk and case.owner == operator
    assert case.stage == Stage.REFERRED_TO_ATD
    assert case.first_contact_at == call.started_at
    assert case.first_contact_channel == ContactChannel.HOTLINE
    assert not case.is_child
    assert (case.person.first_name, case.person.last_name) == ("Leyla", "Məmmədova")
    referral = case.referrals.get()
    assert referral.to_organisation_id == line["atd"].pk
    assert referral.status == ReferralStatus.PENDING
    assert referral.consent is not None and referral.consent.given_by == ConsentGiver.PERSON
    assert referral.consent.to_organisation_id == line["atd"].pk
    clock = atd_referral_clock(case)
    assert clock is not None and clock.kind == ClockKind.ATD_REFERRAL
    assert clock.due_at == call.started_at + dt.timedelta(hours=24)
    assert clock.met_at is not None and not clock.met_late
    call.refresh_from_db()
    assert call.opened_case_id == case.pk and list(call.cases.all()) == [case]
    assert call.handed_to_atd and call.referred and "referred_to_atd" in call.actions
    event = AuditEvent.objects.get(action="hotline.call.hand_over")
    assert event.payload == {"case": str(case.pk), "basis": "consent", "is_child": False}
    assert "Leyla" not in str(AuditEvent.objects.filter(target_id=str(case.person_id)).values("payload"))


def test_it_puts_the_referral_on_atd_s_incoming_list(client, line):
    case, _created = services.hand_over_to_atd(
        _victim_call(line["operator"]), actor=line["operator"], consent=True, birth_year=1995
    )
    investigator = line["investigator"]
    assert list(case_access.incoming_referrals(investigator).values_list("case_id", flat=True)) == [case.pk]
    client.force_login(investigator)
    page = client.get(reverse("cases:incoming_referrals")).content.decode()
    assert case.reference in page
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200


def test_it_opens_an_unnamed_child_case_on_the_legal_representative_s_consent(line):
    operator = line["operator"]
    call = make_call(operator, caller_type="relative", caller_consented=True, caller_name="Ana Adı")

    case, _created = services.hand_over_to_atd(
        call, actor=operator, consent=True, representative_name="Səbinə Quliyeva"
    )

    case = Case.objects.get(pk=case.pk)
    assert case.is_child and case.person.first_name == "" and case.person.last_name == ""
    consent = case.referrals.get().consent
    assert consent.given_by == ConsentGiver.LEGAL_REPRESENTATIVE
    assert consent.representative_name == "Səbinə Quliyeva"


def test_it_refuses_without_consent_or_legal_ground_and_writes_nothing(line):
    operator = line["operator"]
    call = _victim_call(operator)
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.hand_over_to_atd(call, actor=operator, consent=False, birth_year=1995)

    assert "consent" in error.value.message_dict
    assert "Referred to ATD" in " ".join(error.value.message_dict["consent"])
    assert _state() == before
    call.refresh_from_db()
    assert call.opened_case_id is None and call.cases.count() == 0 and not call.handed_to_atd


def test_it_refuses_the_hotline_a_legal_ground_and_writes_nothing(line):
    operator = line["operator"]
    call = _victim_call(operator)
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.hand_over_to_atd(
            call, actor=operator, legal_ground="Cinayət Məcəlləsi 144-1", birth_year=1995
        )

    assert "legal_ground" in error.value.message_dict
    assert _state() == before


def test_it_refuses_an_adult_s_consent_given_by_somebody_else_and_writes_nothing(line):
    operator = line["operator"]
    call = make_call(operator, caller_type="witness")
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.hand_over_to_atd(call, actor=operator, consent=True, birth_year=1990)

    assert "consent" in error.value.message_dict
    assert _state() == before
    assert Call.objects.get(pk=call.pk).opened_case_id is None


def test_it_refuses_a_child_s_consent_without_the_representative_s_name_and_writes_nothing(line):
    operator = line["operator"]
    call = _victim_call(operator)
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.hand_over_to_atd(call, actor=operator, consent=True)  # no year of birth: a child

    assert "representative_name" in error.value.message_dict
    assert _state() == before


def test_it_opens_one_case_when_the_hand_over_is_sent_twice(line):
    operator = line["operator"]
    call = _victim_call(operator)
    first, created = services.hand_over_to_atd(call, actor=operator, consent=True, birth_year=1995)
    state = _state()

    again, created_again = services.hand_over_to_atd(call, actor=operator, consent=True, birth_year=1995)

    assert created and not created_again and again.pk == first.pk
    assert _state() == state


def test_it_lets_atd_open_its_own_case_from_an_alerted_call(line):
    call = make_call(line["operator"], urgency="immediate_danger")

    case, created = services.hand_over_to_atd(call, actor=line["investigator"])

    assert created and case.owner_organisation_id == line["atd"].pk
    assert case.stage == Stage.REFERRED_TO_ATD and not case.referrals.exists()


def test_it_refuses_a_hand_over_to_somebody_who_cannot_see_the_call(line):
    call = _victim_call(line["operator"])
    with pytest.raises(NotVisible):
        services.hand_over_to_atd(call, actor=line["colleague"], consent=True, birth_year=1995)
    with pytest.raises(NotVisible):
        services.hand_over_to_atd(call, actor=line["ngo_worker"], consent=True, birth_year=1995)


# --- Linking further calls ----------------------------------------------------------------------


def test_it_links_a_second_call_to_the_same_case_by_its_reference(line):
    operator = line["operator"]
    first = _victim_call(operator)
    case, _created = services.hand_over_to_atd(first, actor=operator, consent=True, birth_year=1995)
    second = make_call(operator, caller_type="victim")

    linked = services.link_call_to_case(second, actor=operator, case_id=case.reference.lower())

    assert linked.pk == case.pk
    assert set(case.hotline_calls.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Call.objects.get(pk=second.pk).opened_case_id is None  # linked, not opened from it
    event = AuditEvent.objects.get(action="hotline.call.link_case")
    assert event.payload == {"case": str(case.pk), "created": False}
    with pytest.raises(ValidationError):
        services.link_call_to_case(second, actor=operator, case_id=str(case.pk))


def test_it_refuses_a_link_to_a_case_the_operator_may_not_see(line):
    operator = line["operator"]
    call = _victim_call(operator)
    foreign = _make_ngo_case(line)
    colleague_case, _created = services.hand_over_to_atd(
        _victim_call(line["colleague"]), actor=line["colleague"], consent=True, birth_year=1990
    )

    for target in (foreign, colleague_case):  # another organisation's; a colleague's (own scope)
        with pytest.raises(NotVisible):
            services.link_call_to_case(call, actor=operator, case_id=str(target.pk))
        with pytest.raises(NotVisible):
            services.link_call_to_case(call, actor=operator, case_id=target.reference)
    assert call.cases.count() == 0
    assert not AuditEvent.objects.filter(action="hotline.call.link_case").exists()
    # The supervisor (organisation scope) sees the line's cases, not the NGO's.
    supervisor = line["supervisor"]
    services.link_call_to_case(call, actor=supervisor, case_id=colleague_case.reference)
    with pytest.raises(NotVisible):
        services.link_call_to_case(call, actor=supervisor, case_id=str(foreign.pk))


def test_it_refuses_linking_to_someone_who_may_not_change_the_call(line):
    call = _victim_call(line["operator"])
    case = _make_ngo_case(line)
    with pytest.raises((NotVisible, PermissionDenied)):
        services.link_call_to_case(call, actor=line["ngo_worker"], case_id=str(case.pk))


# --- Pages ----------------------------------------------------------------------------------------


def test_it_hands_over_from_the_call_page_and_shows_the_case(client, line):
    operator = line["operator"]
    call = _victim_call(operator)
    client.force_login(operator)

    detail = client.get(reverse("hotline:call_detail", args=[call.pk])).content.decode()
    assert reverse("hotline:hand_over", args=[call.pk]) in detail
    assert "Open a case and refer to ATD" in detail

    response = client.post(
        reverse("hotline:hand_over", args=[call.pk]), {"consent": "on", "birth_year": "1995"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    page = client.get(reverse("hotline:call_detail", args=[call.pk])).content.decode()
    assert case.reference in page and reverse("cases:case_detail", args=[case.pk]) in page
    assert reverse("hotline:hand_over", args=[call.pk]) not in page  # one case per call

    again = client.post(reverse("hotline:hand_over", args=[call.pk]), {"consent": "on", "birth_year": "1995"})
    assert again.status_code == 302 and Case.objects.count() == 1
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200


def test_it_answers_400_with_the_reason_and_writes_nothing_without_consent(client, line):
    operator = line["operator"]
    call = _victim_call(operator)
    client.force_login(operator)
    before = _state()

    response = client.post(reverse("hotline:hand_over", args=[call.pk]), {"birth_year": "1995"})

    assert response.status_code == 400
    assert "Referred to ATD" in response.content.decode()
    assert _state() == before


def test_it_answers_404_with_a_message_for_a_link_to_an_invisible_case(client, line):
    operator = line["operator"]
    call = _victim_call(operator)
    foreign = _make_ngo_case(line)
    client.force_login(operator)

    response = client.post(reverse("hotline:link_case", args=[call.pk]), {"case_id": foreign.reference})

    assert response.status_code == 404
    assert "No case you may see has this reference" in response.content.decode()
    assert call.cases.count() == 0
    assert AuditEvent.objects.filter(action="access.denied", payload__status=404).exists()


def test_it_links_a_second_call_from_the_page(client, line):
    operator = line["operator"]
    case, _created = services.hand_over_to_atd(
        _victim_call(operator), actor=operator, consent=True, birth_year=1995
    )
    second = make_call(operator)
    client.force_login(operator)

    form = client.get(reverse("hotline:call_detail", args=[second.pk])).content.decode()
    assert f'<option value="{case.reference}"' in form  # suggested: a case the operator sees

    response = client.post(reverse("hotline:link_case", args=[second.pk]), {"case_id": case.reference})

    assert response.status_code == 302
    assert case.reference in client.get(reverse("hotline:call_detail", args=[second.pk])).content.decode()


def test_it_shows_on_the_call_only_the_linked_cases_the_reader_sees(client, line):
    call = make_call(line["operator"], urgency="immediate_danger")
    atd_case, _created = services.hand_over_to_atd(call, actor=line["investigator"])
    client.force_login(line["operator"])

    page = client.get(reverse("hotline:call_detail", args=[call.pk])).content.decode()
    api = client.get(f"/api/v1/hotline/calls/{call.pk}/").json()

    assert atd_case.reference not in page
    assert api["cases"] == [] and api["opened_case"] is None
    client.force_login(line["investigator"])
    assert client.get(f"/api/v1/hotline/calls/{call.pk}/").json()["cases"] == [str(atd_case.pk)]


# --- What the hotline sees of cases ---------------------------------------------------------------


def test_it_keeps_other_organisations_cases_from_the_hotline(client, line):
    foreign = _make_ngo_case(line)
    mine, _created = services.hand_over_to_atd(
        _victim_call(line["operator"]), actor=line["operator"], consent=True, birth_year=1995
    )
    colleague_case, _created = services.hand_over_to_atd(
        _victim_call(line["colleague"]), actor=line["colleague"], consent=True, birth_year=1990
    )

    for user, visible, hidden in (
        (line["operator"], {mine}, {foreign, colleague_case}),
        (line["supervisor"], {mine, colleague_case}, {foreign}),
    ):
        client.force_login(user)
        assert set(case_access.visible_cases(user)) == visible
        listing = client.get(reverse("cases:case_list")).content.decode()
        for case in visible:
            assert case.reference in listing
            assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
        for case in hidden:
            assert case.reference not in listing
            assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
            assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
        api_ids = {row["id"] for row in client.get("/api/v1/cases/").json()["results"]}
        assert api_ids == {str(case.pk) for case in visible}


def test_it_gives_the_analyst_counts_only(client, line):
    call = _victim_call(line["operator"])
    case, _created = services.hand_over_to_atd(call, actor=line["operator"], consent=True, birth_year=1995)
    analyst = make_user(Role.ANALYST, scope=Scope.NATIONAL)
    client.force_login(analyst)

    assert client.get(reverse("hotline:call_detail", args=[call.pk])).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert client.get(reverse("hotline:dashboard")).status_code == 200
    with pytest.raises(NotVisible):
        services.hand_over_to_atd(call, actor=analyst, consent=True)


# --- API --------------------------------------------------------------------------------------------


def test_it_hands_over_through_the_api_once_on_a_retry(client, line):
    operator = line["operator"]
    call = _victim_call(operator)
    client.force_login(operator)
    url = f"/api/v1/hotline/calls/{call.pk}/hand-over/"
    body = {"consent": True, "birth_year": 1995}

    first = client.post(url, body, content_type="application/json")
    retry = client.post(url, body, content_type="application/json")

    assert first.status_code == 201 and retry.status_code == 200
    case = Case.objects.get()
    assert first.json()["opened_case"] == retry.json()["opened_case"] == str(case.pk)
    assert first.json()["cases"] == [str(case.pk)]


def test_it_answers_400_through_the_api_without_consent(client, line):
    call = _victim_call(line["operator"])
    client.force_login(line["operator"])
    before = _state()

    response = client.post(
        f"/api/v1/hotline/calls/{call.pk}/hand-over/", {"birth_year": 1995}, content_type="application/json"
    )

    assert response.status_code == 400 and "consent" in response.json()
    assert _state() == before


def test_it_links_through_the_api_and_answers_404_for_an_invisible_case(client, line):
    operator = line["operator"]
    case, _created = services.hand_over_to_atd(
        _victim_call(operator), actor=operator, consent=True, birth_year=1995
    )
    second = make_call(operator)
    foreign = _make_ngo_case(line)
    client.force_login(operator)
    url = f"/api/v1/hotline/calls/{second.pk}/link-case/"

    hidden = client.post(url, {"case": str(foreign.pk)}, content_type="application/json")
    assert hidden.status_code == 404 and "No case you may see" in hidden.json()["detail"]
    assert second.cases.count() == 0

    linked = client.post(url, {"case": str(case.pk)}, content_type="application/json")
    assert linked.status_code == 200 and linked.json()["cases"] == [str(case.pk)]
