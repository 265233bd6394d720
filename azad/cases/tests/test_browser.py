"""The referral mechanism in a real browser: an NGO worker refers a presumed victim, ATD accepts and starts reflection.

Works through the htmx action panel and checks that no page raises a
Content-Security-Policy violation or a script error.
"""

from __future__ import annotations

from typing import Any

import pytest

from azad.accounts.tests.factories import totp_code
from azad.cases.choices import Stage
from azad.cases.models import Case
from azad.cases.tests.factories import make_person_for, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, user: Any) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", user.raw_password)
    page.click("#main form [type=submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", totp_code(user.totp_secret))
    page.click("#main form [type=submit]")
    page.wait_for_url(base + "/")


def test_it_refers_a_presumed_victim_and_atd_starts_the_reflection_period(live_server, page, csp_violations):
    world = make_world()
    person = make_person_for(world.ngo_worker)
    base = live_server.url

    sign_in(page, base, world.ngo_worker)
    page.goto(f"{base}/persons/{person.pk}/")
    page.click("text=Open a case")
    page.select_option("select[name=channel]", "NgoOutreach")
    page.click("#main form [type=submit]")
    page.wait_for_selector("text=Case opened.")
    case = Case.objects.get(person=person)
    assert page.url == f"{base}/cases/{case.pk}/"

    page.click("#main .actions >> text=Record consent")  # loads the form into the action panel (htmx)
    page.wait_for_selector("#action-panel form")
    page.select_option("#action-panel select[name=purpose]", "referral")
    page.select_option("#action-panel select[name=to_organisation]", str(world.atd.pk))
    page.click("#action-panel [type=submit]")
    page.wait_for_selector("text=Consent recorded.")

    page.click("text=Refer to ATD")
    page.wait_for_selector("#action-panel form")
    page.click("#action-panel [type=submit]")
    page.wait_for_selector("text=Referred to ATD.")
    assert Case.objects.get(pk=case.pk).stage == Stage.REFERRED_TO_ATD

    sign_in(page, base, world.investigator)
    page.goto(f"{base}/cases/referrals/incoming/")
    page.click("tbody >> text=Accept")
    page.wait_for_selector("text=Referral accepted.")
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("text=Start the reflection period")
    page.wait_for_selector("#action-panel form")
    page.click("#action-panel [type=submit]")
    page.wait_for_selector("text=no expulsion may be enforced")
    assert Case.objects.get(pk=case.pk).stage == Stage.REFLECTION
    assert csp_violations == []
