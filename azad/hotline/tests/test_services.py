"""The hotline's services: rules, idempotency, alerts, call-backs, hand-over, articles, audit."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.cases.models import Case
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.permissions import Role
from azad.hotline import services
from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle
from azad.hotline.tests.factories import (
    call_values,
    make_atd_officer,
    make_call,
    make_hotline,
    make_operator,
    make_supervisor,
)

pytestmark = pytest.mark.django_db


def test_it_records_a_call_with_its_audit_event_and_no_personal_data_in_it():
    operator = make_operator()
    call, created = services.record_call(
        actor=operator,
        **call_values(caller_consented=True, caller_name="Leyla Məmmədova", caller_phone="+994501234567"),
    )
    assert created
    call.refresh_from_db()
    assert call.operator == operator and call.organisation_id == operator.organisation_id
    assert call.caller_name == "Leyla Məmmədova"
    event = AuditEvent.objects.get(action="hotline.call.create", target_id=str(call.pk))
    assert "Leyla" not in str(event.payload) and "994" not in str(event.payload)
    assert "xaricdə" not in str(event.payload)
    assert event.payload["caller_identity"] is True


def test_it_stores_the_summary_and_caller_details_encrypted():
    operator = make_operator()
    call = make_call(operator, caller_consented=True, caller_name="Leyla", caller_phone="0501234567")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT summary, caller_name FROM hotline_call WHERE id = %s",
            [call.pk.hex if connection.vendor == "sqlite" else call.pk],
        )
        summary, name = cursor.fetchone()
    assert "xaricdə" not in summary and "Leyla" not in name


def test_it_refuses_a_call_that_ends_before_it_starts():
    operator = make_operator()
    started = timezone.now() - dt.timedelta(minutes=5)
    with pytest.raises(ValidationError) as error:
        services.record_call(
            actor=operator, **call_values(started_at=started, ended_at=started - dt.timedelta(seconds=1))
        )
    assert "ended_at" in error.value.message_dict
    assert Call.objects.count() == 0
    assert not AuditEvent.objects.filter(action="hotline.call.create").exists()


def test_it_refuses_an_unknown_reason():
    with pytest.raises(ValidationError) as error:
        services.record_call(actor=make_operator(), **call_values(reason="curiosity"))
    assert "reason" in error.value.message_dict
    assert Call.objects.count() == 0


def test_it_refuses_caller_identity_without_consent():
    with pytest.raises(ValidationError) as error:
        services.record_call(actor=make_operator(), **call_values(caller_name="Leyla"))
    assert "caller_consented" in error.value.message_dict
    assert Call.objects.count() == 0


def test_it_records_a_double_submitted_call_once():
    operator = make_operator()
    values = call_values()
    first, created = services.record_call(actor=operator, **values)
    second, again = services.record_call(actor=operator, **values)
    assert created and not again and first.pk == second.pk
    assert Call.objects.count() == 1
    assert AuditEvent.objects.filter(action="hotline.call.create").count() == 1


def test_it_refuses_another_lines_idempotency_key():
    values = call_values()
    services.record_call(actor=make_operator(), **values)
    with pytest.raises(ValidationError):
        services.record_call(actor=make_operator(), **values)
    assert Call.objects.count() == 1


def test_it_refuses_calls_from_people_outside_the_hotline():
    for role in (Role.ANALYST, Role.NATIONAL_COORDINATOR, Role.POLICE_INVESTIGATOR, Role.NGO_CASEWORKER):
        with pytest.raises(PermissionDenied):
            services.record_call(actor=make_user(role), **call_values())
    assert Call.objects.count() == 0


def test_it_alerts_every_active_atd_department_when_someone_is_in_immediate_danger():
    atd = make_org(org_type=OrgType.POLICE_ATD)
    make_org(org_type=OrgType.POLICE_ATD, is_active=False)
    before = timezone.now()
    call = make_call(make_operator(), urgency="immediate_danger", summary="Qadın zirzəmidə saxlanılır.")
    alert = Alert.objects.get(call=call)
    assert alert.organisation == atd
    assert alert.summary == "Qadın zirzəmidə saxlanılır."
    assert (alert.created_at - before) < dt.timedelta(minutes=1)
    event = AuditEvent.objects.get(action="hotline.alert.create")
    assert "zirzəmi" not in str(event.payload)


def test_it_raises_no_alert_for_a_routine_call():
    make_org(org_type=OrgType.POLICE_ATD)
    make_call(make_operator())
    assert Alert.objects.count() == 0


def test_it_lets_atd_acknowledge_an_alert_once():
    atd_officer = make_atd_officer()
    call = make_call(make_operator(), urgency="immediate_danger")
    alert = Alert.objects.get(call=call)
    services.acknowledge_alert(alert, actor=atd_officer)
    alert.refresh_from_db()
    assert alert.acknowledged_by == atd_officer and alert.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="hotline.alert.acknowledge", target_id=str(alert.pk)).exists()
    with pytest.raises(ValidationError):
        services.acknowledge_alert(alert, actor=atd_officer)


def test_it_runs_a_callback_from_agreement_to_done():
    operator = make_operator()
    due = timezone.now() + dt.timedelta(hours=2)
    call = make_call(operator, actions=["callback_agreed"], callback_due_at=due, callback_code_word="nar")
    callback = Callback.objects.get(call=call)
    assert callback.status == "agreed" and callback.code_word == "nar"
    event = AuditEvent.objects.get(action="hotline.callback.agree")
    assert "nar" not in str(event.payload)
    services.complete_callback(callback, actor=operator, expected_version=callback.version)
    callback.refresh_from_db()
    assert callback.status == "done" and callback.done_by == operator
    assert AuditEvent.objects.filter(action="hotline.callback.complete").exists()
    with pytest.raises(ValidationError):
        services.complete_callback(callback, actor=operator, expected_version=callback.version)


def test_it_requires_a_safe_time_when_a_callback_is_agreed():
    with pytest.raises(ValidationError) as error:
        services.record_call(actor=make_operator(), **call_values(actions=["callback_agreed"]))
    assert "callback_due_at" in error.value.message_dict
    assert Call.objects.count() == 0


def test_it_refuses_a_stale_callback_close():
    operator = make_operator()
    call = make_call(operator)
    callback = services.agree_callback(call, actor=operator, due_at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(ConflictError):
        services.complete_callback(callback, actor=operator, expected_version=callback.version + 1)
    callback.refresh_from_db()
    assert callback.status == "agreed"


def test_it_updates_a_call_and_refuses_a_stale_version():
    operator = make_operator()
    call = make_call(operator)
    services.update_call(call, actor=operator, expected_version=1, reason="complaint", summary="yeni")
    call.refresh_from_db()
    assert call.reason == "complaint" and call.version == 2
    event = AuditEvent.objects.get(action="hotline.call.update")
    assert event.payload["summary"] == "[redacted]"
    with pytest.raises(ConflictError):
        services.update_call(call, actor=operator, expected_version=1, reason="information_request")


def test_it_alerts_atd_when_an_update_makes_a_call_immediate_danger():
    make_org(org_type=OrgType.POLICE_ATD)
    operator = make_operator()
    call = make_call(operator)
    services.update_call(call, actor=operator, expected_version=1, urgency="immediate_danger")
    assert Alert.objects.filter(call=call).count() == 1


def test_it_hands_an_alerted_call_over_to_a_new_case_opened_by_atd():
    atd_officer = make_atd_officer()
    call = make_call(make_operator(), urgency="immediate_danger")
    case, created = services.hand_over_to_atd(call, actor=atd_officer)
    assert created
    assert case.owner_organisation_id == atd_officer.organisation_id
    assert case.first_contact_channel == "Hotline"
    assert list(call.cases.all()) == [case]
    event = AuditEvent.objects.get(action="hotline.call.hand_over")
    assert event.payload == {"case": str(case.pk), "basis": "atd_own_case", "is_child": True}


def test_it_links_several_calls_to_one_case():
    atd_officer = make_atd_officer()
    operator = make_operator()
    first = make_call(operator, urgency="immediate_danger")
    second = make_call(operator, actions=["referred_to_atd"])
    case, _created = services.hand_over_to_atd(first, actor=atd_officer)
    services.link_call_to_case(second, actor=atd_officer, case_id=case.pk)
    assert set(case.hotline_calls.all()) == {first, second}


def test_it_refuses_a_hand_over_to_a_case_the_person_cannot_see():
    atd_officer = make_atd_officer()
    other = make_atd_officer()
    call = make_call(make_operator(), urgency="immediate_danger")
    foreign_case, _created = services.hand_over_to_atd(
        make_call(make_operator(), urgency="immediate_danger"), actor=other
    )
    cases_before = Case.objects.count()
    with pytest.raises(NotVisible):
        services.link_call_to_case(call, actor=atd_officer, case_id=foreign_case.pk)
    assert call.cases.count() == 0 and Case.objects.count() == cases_before


def test_it_refuses_an_operator_a_hand_over_to_any_case_they_cannot_see():
    operator = make_operator()
    atd_officer = make_atd_officer()
    call = make_call(operator)
    case, _created = services.hand_over_to_atd(
        make_call(make_operator(), urgency="immediate_danger"), actor=atd_officer
    )
    with pytest.raises(NotVisible):
        services.link_call_to_case(call, actor=operator, case_id=case.pk)
    assert call.cases.count() == 0


def test_it_saves_articles_only_for_the_supervisor():
    line = make_hotline()
    supervisor = make_supervisor(line)
    article = services.save_article(
        actor=supervisor, slug="atd", kind="answer", topic="reaching_atd", title_az="ATD", body_az="102"
    )
    services.save_article(
        actor=supervisor, article=article, expected_version=1, title_en="ATD", body_en="Dial 102"
    )
    article.refresh_from_db()
    assert article.version == 2 and article.body_en == "Dial 102"
    assert AuditEvent.objects.filter(action="hotline.article.save").count() == 2
    with pytest.raises(PermissionDenied):
        services.save_article(actor=make_operator(line), article=article, expected_version=2, body_en="x")
    with pytest.raises(PermissionDenied):
        services.save_article(
            actor=make_operator(line), slug="x", kind="answer", topic="shelters", title_az="x", body_az="x"
        )
    assert KnowledgeArticle.objects.count() == 1


def test_it_refuses_an_unknown_article_topic():
    with pytest.raises(ValidationError):
        services.save_article(
            actor=make_supervisor(), slug="x", kind="answer", topic="weather", title_az="x", body_az="x"
        )
    assert KnowledgeArticle.objects.count() == 0


def test_it_refuses_a_malformed_idempotency_key():
    with pytest.raises(ValidationError):
        services.record_call(actor=make_operator(), **call_values(idempotency_key="not-a-uuid"))
    assert Call.objects.count() == 0


def test_it_keeps_idempotency_keys_unique():
    key = uuid.uuid4()
    operator = make_operator()
    make_call(operator, idempotency_key=key)
    assert Call.objects.filter(idempotency_key=key).count() == 1
