"""The platform in a real browser (Debian's chromium through Playwright).

Each test also checks that the pages it visits raise no Content-Security-Policy
violation and no script error.
"""

from __future__ import annotations

from typing import Any

import pytest

from azad.accounts.services import create_organisation
from azad.accounts.tests.factories import make_org, make_user, totp_code
from azad.core.permissions import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, user: Any) -> None:
    """Sign in through the real forms: password, then the TOTP code."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", user.raw_password)
    page.click("#main form [type=submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", totp_code(user.totp_secret))
    page.click("#main form [type=submit]")
    page.wait_for_url(base + "/")


def test_it_signs_in_with_a_password_and_a_totp_code(live_server, page, csp_violations, settings):
    settings.LANGUAGE_CODE = "az"  # the default outside tests
    user = make_user(Role.NGO_CASEWORKER)
    sign_in(page, live_server.url, user)
    assert user.username in page.inner_text(".whoami")
    assert page.get_attribute("html", "lang") == "az"
    assert page.is_visible("text=Çıxış")
    assert csp_violations == []


def test_it_refuses_a_wrong_second_factor(live_server, page, csp_violations):
    user = make_user(Role.NGO_CASEWORKER)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", user.raw_password)
    page.click("#main form [type=submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", "000000" if totp_code(user.totp_secret) != "000000" else "111111")
    page.click("#main form [type=submit]")
    assert page.url.startswith(live_server.url + "/accounts/2fa/authenticate/")
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/accounts/")  # still on the way in, not signed in
    assert page.locator(".whoami").count() == 0
    assert csp_violations == []


def test_it_switches_language_between_azerbaijani_english_and_russian(live_server, page, csp_violations):
    user = make_user(Role.ANALYST)
    sign_in(page, live_server.url, user)
    page.select_option("#language-select", "en")
    page.wait_for_selector("html[lang=en]", state="attached")
    assert page.is_visible("text=Sign out")
    page.select_option("#language-select", "ru")
    page.wait_for_selector("html[lang=ru]", state="attached")
    assert page.is_visible("text=Выйти")
    page.select_option("#language-select", "az")
    page.wait_for_selector("html[lang=az]", state="attached")
    assert page.is_visible("text=Çıxış")
    assert csp_violations == []


def test_it_refuses_another_organisations_record_as_not_found(live_server, page, csp_violations):
    from azad.persons.tests.factories import make_person

    ngo = make_org(name="QHT Birinci")
    other = make_org(name="QHT İkinci")
    owner = make_user(Role.NGO_CASEWORKER, ngo)
    person = make_person(actor=owner)
    outsider = make_user(Role.NGO_CASEWORKER, other)
    sign_in(page, live_server.url, outsider)
    response = page.goto(f"{live_server.url}/persons/{person.pk}/")
    assert response is not None and response.status == 404
    assert person.last_name not in page.content()
    assert csp_violations == []


def test_it_shows_the_auditor_a_new_audit_entry(live_server, page, csp_violations):
    admin = make_user(Role.SYSTEM_ADMIN, passkey=False)
    auditor = make_user(Role.AUDITOR)
    create_organisation({"name": "Yeni Sığınacaq", "org_type": "Shelter", "country": "AZ"}, actor=admin)
    sign_in(page, live_server.url, auditor)
    page.goto(live_server.url + "/audit/")
    row = page.locator("tbody tr", has_text=admin.username).first
    assert row.is_visible()
    page.goto(live_server.url + "/audit/?action=accounts.organisation.create")
    assert page.locator("tbody tr").count() == 1
    assert csp_violations == []


def test_it_serves_the_api_docs_locally_without_csp_violations(live_server, page, csp_violations):
    user = make_user(Role.ANALYST)
    sign_in(page, live_server.url, user)
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert external == []
    assert csp_violations == []
