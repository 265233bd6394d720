"""Headers, production settings and bad input at the edges."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from azad.accounts.tests.factories import make_user
from azad.core.permissions import Role

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AZAD_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        {
            "AZAD_ENV": "production",
            "AZAD_SECRET_KEY": secrets.token_urlsafe(50),
            "AZAD_ALLOWED_HOSTS": "azad.example.az",
            "AZAD_SQLITE_PATH": str(tmp_path / "prod.sqlite3"),
            "AZAD_VAR_DIR": str(tmp_path),
            "AZAD_KEY_FILE": str(tmp_path / "keys.json"),
            "DJANGO_SETTINGS_MODULE": "azad.settings",
        }
    )
    return env


def test_it_passes_the_deployment_checks_under_production_settings(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_turns_on_hsts_and_secure_cookies_in_production(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.AZAD_DEMO_ALLOWED)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c", code],
        env=_production_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "False", "False"], result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["AZAD_SECRET_KEY"]
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "AZAD_SECRET_KEY" in result.stderr


def test_it_sends_a_nonce_csp_and_no_store_on_signed_in_pages(client):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_it_answers_an_oversized_body_with_a_translated_400_and_writes_nothing(client, settings):
    settings.LANGUAGE_CODE = "az"
    user = make_user(Role.SYSTEM_ADMIN, passkey=False)
    settings.AZAD_PASSKEY_REQUIRED_ROLES = []
    client.force_login(user)
    from azad.accounts.models import Organisation

    before = Organisation.objects.count()
    response = client.post(
        "/accounts/organisations/new/",
        {"name": "x" * (6 * 1024 * 1024), "org_type": "NGO", "country": "AZ"},
    )
    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()
    assert "Sorğu" in response.content.decode() or "sorğu" in response.content.decode()
    assert Organisation.objects.count() == before


def test_it_refuses_an_unknown_language_with_a_translated_400(client, settings):
    settings.LANGUAGE_CODE = "az"
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert "Bu dil mövcud deyil" in response.content.decode()
    assert "azad_language" not in response.cookies


def test_it_keeps_the_next_address_on_this_site_when_switching_language(client):
    response = client.post("/language/", {"language": "ru", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["azad_language"].value == "ru"


def test_it_answers_a_wrong_api_content_type_with_415(client):
    user = make_user(Role.SYSTEM_ADMIN, passkey=False)
    client.force_login(user)
    response = client.post(
        "/api/v1/organisations/", data="name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (403, 415)
