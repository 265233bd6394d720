"""The operator's flow in a real browser, with the keyboard only, and without CSP violations."""

from __future__ import annotations

import pytest

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.core.permissions import Role, Scope
from azad.core.tests.test_browser import sign_in
from azad.hotline.models import Alert, Call
from azad.hotline.tests.factories import make_hotline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_records_a_call_with_the_keyboard_only(live_server, page, csp_violations):
    atd = make_org(org_type=OrgType.POLICE_ATD)
    operator = make_user(Role.HOTLINE_OPERATOR, make_hotline(), scope=Scope.OWN)
    sign_in(page, live_server.url, operator)
    page.goto(live_server.url + "/hotline/new/")
    # The first caller option has the focus when the form opens.
    assert page.evaluate("document.activeElement.name") == "caller_type"
    page.keyboard.press("Space")  # caller: victim
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # language: Azerbaijani
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # reason: the second, victim seeking help
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # urgency: immediate danger
    page.keyboard.press("Tab")  # region
    page.keyboard.press("Tab")  # country
    page.keyboard.type("TR")
    page.keyboard.press("Tab")  # summary
    page.keyboard.type("Zəng edən İstanbulda bağlı otaqda saxlanılır.")
    page.keyboard.press("Tab")  # first action: information given
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back in the country field
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/hotline/calls/**")
    call = Call.objects.get()
    assert (call.caller_type, call.language, call.reason, call.urgency) == (
        "victim", "az", "victim_seeking_help", "immediate_danger",
    )  # fmt: skip
    assert call.country == "TR" and call.actions == ["information_given"]
    assert call.summary == "Zəng edən İstanbulda bağlı otaqda saxlanılır."
    assert call.ended_at >= call.started_at
    assert Alert.objects.get(call=call).organisation == atd
    assert "recorded" in page.inner_text("#main")
    assert csp_violations == []


def test_it_puts_the_alert_on_atds_duty_list(live_server, page, csp_violations):
    atd = make_org(org_type=OrgType.POLICE_ATD)
    operator = make_user(Role.HOTLINE_OPERATOR, make_hotline(), scope=Scope.OWN)
    from azad.hotline.tests.factories import make_call

    call = make_call(operator, urgency="immediate_danger", summary="Təcili: Sumqayıtda saxlanılır.")
    officer = make_user(Role.POLICE_INVESTIGATOR, atd)
    sign_in(page, live_server.url, officer)
    assert call.reference in page.inner_text("#main")  # the home panel
    page.goto(live_server.url + "/hotline/alerts/")
    assert "Təcili: Sumqayıtda saxlanılır." in page.inner_text("#main")
    page.click("#main button:has-text('Acknowledge')")
    page.wait_for_selector("text=Alert acknowledged.")
    assert Alert.objects.get(call=call).acknowledged_by == officer
    page.goto(live_server.url + "/hotline/dashboard/")
    assert page.locator("img.chart").count() == 7
    assert csp_violations == []


def test_it_hands_a_call_over_to_atd_and_links_another_with_the_keyboard_only(
    live_server, page, csp_violations
):
    from azad.cases.models import Case
    from azad.hotline.tests.factories import make_call

    make_org(org_type=OrgType.POLICE_ATD)
    operator = make_user(Role.HOTLINE_OPERATOR, make_hotline(), scope=Scope.OWN)
    call = make_call(operator, caller_type="victim", caller_consented=True, caller_name="Leyla Məmmədova")
    second = make_call(operator, caller_type="victim")
    sign_in(page, live_server.url, operator)
    # The fragment moves the keyboard's starting point to the hand-over form.
    page.goto(live_server.url + f"/hotline/calls/{call.pk}/#hand-over")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "consent"
    page.keyboard.press("Space")  # the caller consents to the referral
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "birth_year"
    page.keyboard.type("1995")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=referred to the police ATD")
    case = Case.objects.get()
    assert case.stage == "referred_to_atd" and case.owner_organisation_id == operator.organisation_id
    assert case.reference in page.inner_text("#cases")
    # A later call about the same person: linked to the same case by its reference.
    page.goto(live_server.url + f"/hotline/calls/{second.pk}/#link-case")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "case_id"
    page.keyboard.type(case.reference)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=The call is linked to case")
    assert set(case.hotline_calls.values_list("pk", flat=True)) == {call.pk, second.pk}
    assert csp_violations == []
