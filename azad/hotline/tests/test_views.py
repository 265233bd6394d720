"""The hotline's pages: every role against every page, intake, lists without identity, errors."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.hotline import services
from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle
from azad.hotline.tests.factories import (
    make_atd_officer,
    make_call,
    make_hotline,
    make_operator,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

SECRET_SUMMARY = "Nigar Həsənova Dubayda saxlanılır"
SECRET_NAME = "Rəşad Quliyev"


@pytest.fixture
def world():
    """A line with an operator and supervisor, ATD, an alerted call with consented identity, an article."""
    atd = make_org(org_type=OrgType.POLICE_ATD)
    line = make_hotline()
    operator = make_operator(line)
    supervisor = make_supervisor(line)
    call = make_call(
        operator,
        urgency="immediate_danger",
        summary=SECRET_SUMMARY,
        caller_consented=True,
        caller_name=SECRET_NAME,
        caller_phone="+994551112233",
        actions=["callback_agreed"],
        callback_due_at=timezone.now() + dt.timedelta(hours=1),
        callback_code_word="qarpız",
    )
    article = services.save_article(
        actor=supervisor,
        slug="atd",
        kind="answer",
        topic="reaching_atd",
        title_az="ATD ilə əlaqə",
        body_az="102",
    )
    return {
        "atd": atd,
        "line": line,
        "operator": operator,
        "supervisor": supervisor,
        "call": call,
        "article": article,
    }


def _user_for(role: str, world: dict) -> object:
    if role == Role.HOTLINE_OPERATOR:
        return world["operator"]
    if role == Role.HOTLINE_SUPERVISOR:
        return world["supervisor"]
    if role in (Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR):
        return make_user(role, world["atd"])
    return make_user(role)


HOTLINE = {Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR}
ATD = {Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR}
DASHBOARD = HOTLINE | ATD | {Role.NATIONAL_COORDINATOR, Role.ANALYST}


def _pages(world: dict) -> dict[str, tuple[str, set[str], int]]:
    call, alert = world["call"], Alert.objects.get(call=world["call"])
    return {
        "intake": (reverse("hotline:intake"), HOTLINE, 403),
        "call_list": (reverse("hotline:call_list"), HOTLINE | ATD, 403),
        "call_detail": (reverse("hotline:call_detail", args=[call.pk]), HOTLINE | ATD, 404),
        "callback_agree": (reverse("hotline:callback_agree", args=[call.pk]), HOTLINE, 404),
        "call_edit": (reverse("hotline:call_edit", args=[call.pk]), HOTLINE, 404),
        "hand_over": (reverse("hotline:hand_over", args=[call.pk]), HOTLINE | ATD, 404),
        "link_case": (reverse("hotline:link_case", args=[call.pk]), HOTLINE | ATD, 404),
        "callback_list": (reverse("hotline:callback_list"), HOTLINE, 403),
        "alert_list": (reverse("hotline:alert_list"), HOTLINE | ATD, 403),
        "article_list": (reverse("hotline:article_list"), HOTLINE, 403),
        "article_create": (reverse("hotline:article_create"), {Role.HOTLINE_SUPERVISOR}, 403),
        "article_edit": (
            reverse("hotline:article_edit", args=[world["article"].pk]),
            {Role.HOTLINE_SUPERVISOR},
            404,
        ),
        "dashboard": (reverse("hotline:dashboard"), DASHBOARD, 403),
        "dashboard_csv": (reverse("hotline:dashboard_csv"), DASHBOARD, 403),
        "api_calls": ("/api/v1/hotline/calls/", HOTLINE | ATD, 403),
        "api_call": (f"/api/v1/hotline/calls/{call.pk}/", HOTLINE | ATD, 404),
        "api_alerts": ("/api/v1/hotline/alerts/", HOTLINE | ATD, 403),
        "api_alert": (f"/api/v1/hotline/alerts/{alert.pk}/", HOTLINE | ATD, 404),
        "api_callbacks": ("/api/v1/hotline/callbacks/", HOTLINE, 403),
        "api_articles": ("/api/v1/hotline/articles/", HOTLINE, 403),
        "api_dashboard": ("/api/v1/hotline/dashboard/", DASHBOARD, 403),
    }


PAGE_NAMES = [
    "intake", "call_list", "call_detail", "call_edit", "callback_agree", "hand_over", "link_case", "callback_list",
    "alert_list",
    "article_list", "article_create", "article_edit", "dashboard", "dashboard_csv", "api_calls", "api_call",
    "api_alerts", "api_alert", "api_callbacks", "api_articles", "api_dashboard",
]  # fmt: skip
# Visible but not allowed (403): ATD reads the call but only its line agrees call-backs; operators read
# articles. Since hotline roles write case content (a referring partner, like an NGO), the line hands
# its calls over itself (opens the case and refers it to ATD), and ATD may too.
READ_ONLY = {
    "callback_agree": ATD,
    "call_edit": ATD,
    "article_edit": {Role.HOTLINE_OPERATOR},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", PAGE_NAMES)
def test_it_gives_each_role_only_the_hotline_pages_it_may_use(client, world, role, page):
    url, allowed, refusal = _pages(world)[page]
    user = _user_for(role, world)
    client.force_login(user)
    response = client.get(url)
    if role in allowed:
        assert response.status_code == 200, (role, page, response.status_code)
    elif role in READ_ONLY.get(page, set()):
        assert response.status_code == 403, (role, page, response.status_code)
    else:
        assert response.status_code == refusal, (role, page, response.status_code)


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_caller_details_only_to_the_hotline_and_atd(client, world, role):
    client.force_login(_user_for(role, world))
    response = client.get(reverse("hotline:call_detail", args=[world["call"].pk]))
    body = response.content.decode()
    if role in HOTLINE | ATD:
        assert SECRET_NAME in body and SECRET_SUMMARY in body
    else:
        assert SECRET_NAME not in body and SECRET_SUMMARY not in body


@pytest.mark.parametrize("role", list(Role))
def test_it_never_shows_caller_details_in_lists(client, world, role):
    client.force_login(_user_for(role, world))
    for url in (
        reverse("hotline:call_list"),
        reverse("hotline:callback_list"),
        "/api/v1/hotline/calls/",
        "/",
    ):
        body = client.get(url).content.decode()
        assert SECRET_NAME not in body and "+994551112233" not in body and SECRET_SUMMARY not in body
        assert "qarpız" not in body


def test_it_shows_an_operator_only_their_own_calls(client, world):
    colleague = make_operator(world["line"])
    mine = make_call(colleague)
    client.force_login(colleague)
    response = client.get(reverse("hotline:call_list"))
    assert [c.pk for c in response.context["page"]] == [mine.pk]
    assert client.get(reverse("hotline:call_detail", args=[world["call"].pk])).status_code == 404


def test_it_shows_the_supervisor_every_call_of_the_line(client, world):
    make_call(make_operator(world["line"]))
    make_call(make_operator())  # another line
    client.force_login(world["supervisor"])
    response = client.get(reverse("hotline:call_list"))
    assert response.context["page"].paginator.count == 2


def test_it_hides_another_lines_call(client, world):
    client.force_login(make_supervisor())
    assert client.get(reverse("hotline:call_detail", args=[world["call"].pk])).status_code == 404


def test_it_shows_atd_only_alerted_or_handed_over_calls(client, world):
    make_call(world["operator"])  # routine, not for ATD
    handed = make_call(world["operator"], actions=["referred_to_atd"])
    client.force_login(make_user(Role.POLICE_INVESTIGATOR, world["atd"]))
    response = client.get(reverse("hotline:call_list"))
    assert {c.pk for c in response.context["page"]} == {world["call"].pk, handed.pk}


def test_it_records_a_call_from_the_intake_form(client, world):
    client.force_login(world["operator"])
    form = client.get(reverse("hotline:intake")).context["form"]
    data = {
        "idempotency_key": form.initial["idempotency_key"],
        "started_at": form.initial["started_at"],
        "caller_type": "relative",
        "language": "ru",
        "reason": "report_suspected_trafficking",
        "urgency": "urgent",
        "region": "Gəncə",
        "summary": "Qızı Türkiyədə işləyir, pasportu alınıb.",
        "actions": ["information_given", "referred_to_service"],
    }
    response = client.post(reverse("hotline:intake"), data)
    call = Call.objects.get(idempotency_key=data["idempotency_key"])
    assert response.status_code == 302 and response.url == reverse("hotline:call_detail", args=[call.pk])
    assert call.reason == "report_suspected_trafficking" and call.referred is True
    assert call.ended_at >= call.started_at
    assert AuditEvent.objects.filter(action="hotline.call.create", target_id=str(call.pk)).exists()
    again = client.post(reverse("hotline:intake"), data)
    assert again.status_code == 302
    assert Call.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1


def test_it_explains_an_end_before_the_start_on_the_intake_form(client, world):
    client.force_login(world["operator"])
    started = timezone.localtime() - dt.timedelta(minutes=10)
    data = {
        "idempotency_key": uuid.uuid4(),
        "started_at": started.isoformat(),
        "ended_at": (started - dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "caller_type": "public",
        "language": "az",
        "reason": "information_request",
        "urgency": "routine",
    }
    before = Call.objects.count()
    response = client.post(reverse("hotline:intake"), data)
    assert response.status_code == 400
    assert "The call cannot end before it started." in response.content.decode()
    assert Call.objects.count() == before


def test_it_explains_an_unknown_reason_on_the_intake_form(client, world):
    client.force_login(world["operator"])
    data = {
        "idempotency_key": uuid.uuid4(),
        "started_at": timezone.now().isoformat(),
        "caller_type": "public",
        "language": "az",
        "reason": "gossip",
        "urgency": "routine",
    }
    before = Call.objects.count()
    response = client.post(reverse("hotline:intake"), data)
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert Call.objects.count() == before


def test_it_lets_atd_acknowledge_from_the_duty_list(client, world):
    officer = make_user(Role.POLICE_INVESTIGATOR, world["atd"])
    client.force_login(officer)
    listing = client.get(reverse("hotline:alert_list"))
    assert SECRET_SUMMARY in listing.content.decode()
    alert = Alert.objects.get(call=world["call"])
    response = client.post(reverse("hotline:alert_acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer
    assert AuditEvent.objects.filter(action="hotline.alert.acknowledge", actor=officer).exists()


def test_it_refuses_the_operator_an_acknowledgement(client, world):
    client.force_login(world["operator"])
    alert = Alert.objects.get(call=world["call"])
    assert client.post(reverse("hotline:alert_acknowledge", args=[alert.pk])).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_it_closes_a_callback_from_the_list(client, world):
    client.force_login(world["operator"])
    callback = Callback.objects.get(call=world["call"])
    response = client.post(
        reverse("hotline:callback_complete", args=[callback.pk]), {"version": callback.version}
    )
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.status == "done"
    assert client.get(reverse("hotline:callback_list")).context["page"].paginator.count == 0


def test_it_answers_409_on_a_stale_callback_close(client, world):
    client.force_login(world["operator"])
    callback = Callback.objects.get(call=world["call"])
    response = client.post(reverse("hotline:callback_complete", args=[callback.pk]), {"version": 99})
    assert response.status_code == 409
    callback.refresh_from_db()
    assert callback.status == "agreed"


def test_it_hands_a_call_over_to_a_new_case_from_the_page(client, world):
    officer = make_user(Role.POLICE_INVESTIGATOR, world["atd"])
    client.force_login(officer)
    response = client.post(reverse("hotline:hand_over", args=[world["call"].pk]), {})
    assert response.status_code == 302
    assert world["call"].cases.count() == 1


def test_it_answers_404_for_a_hand_over_to_an_invisible_case(client, world):
    other = make_atd_officer()
    foreign, _created = services.hand_over_to_atd(
        make_call(make_operator(), actions=["referred_to_atd"]), actor=other
    )
    client.force_login(make_user(Role.POLICE_INVESTIGATOR, world["atd"]))
    response = client.post(
        reverse("hotline:link_case", args=[world["call"].pk]), {"case_id": str(foreign.pk)}
    )
    assert response.status_code == 404
    assert world["call"].cases.count() == 0


def test_it_refuses_an_operator_a_new_case_without_consent(client, world):
    client.force_login(world["operator"])
    response = client.post(reverse("hotline:hand_over", args=[world["call"].pk]), {})
    assert response.status_code == 400
    assert world["call"].cases.count() == 0


def test_it_lets_the_supervisor_edit_an_article(client, world):
    article = world["article"]
    client.force_login(world["supervisor"])
    response = client.post(
        reverse("hotline:article_edit", args=[article.pk]),
        {"slug": "atd", "kind": "answer", "topic": "reaching_atd", "title_az": "ATD", "body_az": "102 və 152",
         "title_en": "ATD", "body_en": "Dial 102", "version": article.version},
    )  # fmt: skip
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_en == "Dial 102" and article.version == 2


def test_it_shows_the_knowledge_base_beside_the_intake_in_the_users_language(client, world):
    services.save_article(
        actor=world["supervisor"], article=world["article"], expected_version=1,
        title_en="Reaching ATD", body_en="Call 102",
    )  # fmt: skip
    client.force_login(world["operator"])
    body = client.get(reverse("hotline:intake")).content.decode()
    assert "Reaching ATD" in body and "autofocus" in body and 'accesskey="1"' in body


def test_it_searches_the_knowledge_base(client, world):
    services.save_article(
        actor=world["supervisor"],
        slug="shelter",
        kind="answer",
        topic="shelters",
        title_az="Sığınacaq",
        body_az="x",
    )
    client.force_login(world["operator"])
    response = client.get(reverse("hotline:article_list"), {"q": "Sığınacaq"})
    assert [a["title"] for a in response.context["articles"]] == ["Sığınacaq"]


def test_it_lists_calls_with_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(15):
        make_call(world["operator"])
    client.force_login(world["supervisor"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hotline:call_list"))
    assert response.status_code == 200 and len(response.context["page"]) == 16


def test_it_lists_callbacks_and_alerts_with_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(10):
        make_call(world["operator"], urgency="immediate_danger", actions=["callback_agreed"],
                  callback_due_at=timezone.now() + dt.timedelta(hours=3))  # fmt: skip
    client.force_login(world["operator"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("hotline:callback_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("hotline:alert_list")).status_code == 200


def test_it_shows_due_callbacks_and_unacknowledged_alerts_on_home(client, world):
    client.force_login(world["operator"])
    assert world["call"].reference in client.get("/").content.decode()
    client.force_login(make_user(Role.POLICE_INVESTIGATOR, world["atd"]))
    body = client.get("/").content.decode()
    assert world["call"].reference in body


def test_it_records_a_view_of_a_call(client, world):
    client.force_login(world["supervisor"])
    client.get(reverse("hotline:call_detail", args=[world["call"].pk]))
    assert AuditEvent.objects.filter(action="record.view", target_id=str(world["call"].pk)).exists()


def test_it_keeps_knowledge_articles_versioned(world):
    assert KnowledgeArticle.objects.get().version == 1


def test_it_offers_the_operator_the_hand_over_on_the_call_page(client, world):
    client.force_login(world["operator"])
    body = client.get(reverse("hotline:call_detail", args=[world["call"].pk])).content.decode()
    assert reverse("hotline:hand_over", args=[world["call"].pk]) in body
    assert reverse("hotline:link_case", args=[world["call"].pk]) in body


def test_it_corrects_a_call_and_answers_409_to_a_stale_form(client, world):
    call = world["call"]
    client.force_login(world["supervisor"])
    form = client.get(reverse("hotline:call_edit", args=[call.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data["ended_at"] = form.initial["ended_at"].strftime("%Y-%m-%dT%H:%M")
    data["reason"] = "victim_seeking_help"
    response = client.post(reverse("hotline:call_edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.reason == "victim_seeking_help" and call.version == 2 and call.caller_name == SECRET_NAME
    event = AuditEvent.objects.get(action="hotline.call.update", target_id=str(call.pk))
    assert SECRET_NAME not in str(event.payload)
    stale = client.post(reverse("hotline:call_edit", args=[call.pk]), data | {"reason": "complaint"})
    assert stale.status_code == 409
    call.refresh_from_db()
    assert call.reason == "victim_seeking_help"
