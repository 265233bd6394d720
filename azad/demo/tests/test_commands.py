import io
import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import override_settings

from azad.accounts.adapters import MFAAdapter
from azad.accounts.models import Organisation, User
from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.demo import totp
from azad.demo.cases import SCENARIOS
from azad.demo.checks import demo_accounts_in_production
from azad.demo.generator import NATIONAL_ORGANISATIONS
from azad.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from azad.persons.models import Person

pytestmark = pytest.mark.django_db


def _run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Authenticator.objects.count(),
    )


# --- generate --------------------------------------------------------------------------


def test_it_generates_persons_with_progress_on_stderr_after_every_batch():
    _out, err = _run("generate", persons=30, seed=1, organisations=2, batch_size=10)
    assert Person.objects.count() == 30
    progress = [match.group(1) for match in re.finditer(r"^(\d+) / 30\b", err, re.MULTILINE)]
    assert progress == ["10", "20", "30"]
    assert Organisation.objects.count() == len(NATIONAL_ORGANISATIONS) + 2
    assert AuditEvent.objects.filter(action="demo.generate").count() == 3


@pytest.mark.parametrize("persons", [0, -5, 10_000_001])
def test_it_refuses_a_bad_number_of_persons(persons):
    with pytest.raises(CommandError):
        _run("generate", persons=persons)
    assert Person.objects.count() == 0


def test_it_refuses_a_number_that_is_not_a_number():
    with pytest.raises(CommandError):
        _run("generate", "--persons", "many")


@override_settings(AZAD_DEMO_ALLOWED=False)
def test_it_refuses_to_generate_under_production_settings():
    with pytest.raises(CommandError, match="AZAD_DEMO_ALLOWED"):
        _run("generate", persons=10)
    assert _counts() == (0, 0, 0, 0)


# --- load_demo ---------------------------------------------------------------------------


def test_it_creates_one_demo_account_for_every_role():
    _run("load_demo", persons=20)
    demo = User.objects.filter(is_demo=True)
    assert set(demo.values_list("role", flat=True)) == set(Role.values)
    assert demo.count() == len(DEMO_ACCOUNTS)  # a second shelter's staff: siginacaq_qht
    assert {spec.role for spec in DEMO_ACCOUNTS} == set(Role.values)
    for user in demo:
        assert user.check_password(DEMO_PASSWORD)
        assert user.username.isascii()
        assert user.organisation is not None


def test_it_gives_every_demo_account_its_fixed_totp_secret_encrypted():
    _run("load_demo", persons=0)
    for user in User.objects.filter(is_demo=True):
        stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
        assert stored != totp.demo_secret(user.username)
        assert MFAAdapter().decrypt(stored) == totp.demo_secret(user.username)


def test_it_loads_the_national_organisations_and_the_persons():
    _run("load_demo", persons=40)
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "DİN İnsan Alverinə qarşı Mübarizə Baş İdarəsi" in names
    assert "«152» Qaynar xətt" in names
    # Plus the persons the demo cases' stories record through the service (azad.demo.cases).
    assert Person.objects.count() == 40 + AuditEvent.objects.filter(action="person.create").count()
    # Persons recorded where a demo account may record them carry that account.
    signed = Person.objects.exclude(created_by=None)
    assert signed.exists()
    assert all(p.created_by.organisation_id == p.organisation_id for p in signed.select_related("created_by"))


def test_it_is_idempotent():
    _run("load_demo", persons=30)
    before = _counts()
    generate_events = AuditEvent.objects.filter(action="demo.generate").count()
    _run("load_demo", persons=30)
    assert _counts() == before
    assert AuditEvent.objects.filter(action="demo.generate").count() == generate_events
    assert AuditEvent.objects.filter(action="demo.load").count() == 2


def test_it_prints_each_account_with_password_secret_code_and_uri():
    out, _err = _run("load_demo", persons=0)
    for spec in DEMO_ACCOUNTS:
        secret = totp.demo_secret(spec.username)
        line = next(line for line in out.splitlines() if line.startswith(spec.username + " "))
        assert DEMO_PASSWORD in line and secret in line
        assert line.split()[-1].isdigit() and len(line.split()[-1]) == 6
        assert totp.otpauth_uri(secret, spec.username) in out


def test_it_records_one_load_event_without_personal_data():
    _run("load_demo", persons=10)
    event = AuditEvent.objects.get(action="demo.load")
    assert event.payload == {
        "organisations_created": len(NATIONAL_ORGANISATIONS) + 4,
        "accounts_created": len(DEMO_ACCOUNTS),
        "accounts_reset": 0,
        "persons_created": 10,
        "cases_created": len(SCENARIOS) + 1,  # + the case the demo hotline operator opened from a call
    }


@override_settings(AZAD_DEMO_ALLOWED=False)
def test_it_refuses_to_load_the_demo_under_production_settings():
    with pytest.raises(CommandError, match="AZAD_DEMO_ALLOWED"):
        _run("load_demo")
    assert _counts() == (0, 0, 0, 0)
    assert not AuditEvent.objects.exists()


def test_it_leaves_a_real_account_with_a_demo_username_alone_and_writes_nothing():
    real = User.objects.create_user(
        username="operator", password="a-real-long-password", role="hotline_operator"
    )
    with pytest.raises(CommandError, match="operator"):
        _run("load_demo", persons=5)
    real.refresh_from_db()
    assert not real.is_demo and real.check_password("a-real-long-password")
    assert (Organisation.objects.count(), Person.objects.count(), User.objects.count()) == (0, 0, 1)


# --- demo-code ---------------------------------------------------------------------------


def test_it_prints_the_same_code_as_pyotp_for_a_demo_account(monkeypatch):
    _run("load_demo", persons=0)
    monkeypatch.setattr(totp.time, "time", lambda: 1_800_000_015.0)
    out, _err = _run("demo_code", "operator")
    assert out.strip() == pyotp.TOTP(totp.demo_secret("operator")).at(1_800_000_015)


@pytest.mark.parametrize("username", ["real", "nobody"])
def test_it_refuses_codes_for_accounts_that_are_not_demo_accounts(username):
    User.objects.create_user(username="real", password=None, role="analyst")
    with pytest.raises(CommandError, match=username):
        _run("demo_code", username)


@override_settings(AZAD_DEMO_ALLOWED=False)
def test_it_refuses_codes_under_production_settings():
    User.objects.create_user(username="operator", password=None, role="hotline_operator")
    User.objects.filter(username="operator").update(is_demo=True)
    with pytest.raises(CommandError, match="AZAD_DEMO_ALLOWED"):
        _run("demo_code", "operator")


# --- system check -----------------------------------------------------------------------


def _demo_account():
    user = User.objects.create_user(username="admin", password=None, role="system_admin")
    User.objects.filter(pk=user.pk).update(is_demo=True)


@override_settings(AZAD_DEMO_ALLOWED=False)
def test_it_fails_the_production_system_check_while_demo_accounts_exist():
    _demo_account()
    errors = checks.run_checks(tags=[checks.Tags.security])
    assert [e.id for e in errors if e.id.startswith("azad.demo")] == ["azad.demo.E001"]
    assert "admin" in demo_accounts_in_production()[0].msg


@override_settings(AZAD_DEMO_ALLOWED=False)
def test_it_passes_the_production_system_check_without_demo_accounts():
    User.objects.create_user(username="real", password=None, role="analyst")
    assert demo_accounts_in_production() == []


def test_it_allows_demo_accounts_outside_production():
    _demo_account()
    assert demo_accounts_in_production() == []


# --- end to end ------------------------------------------------------------------------------


def test_it_lets_a_demo_account_sign_in_with_the_printed_password_and_code(client):
    _run("load_demo", persons=5)
    response = client.post("/accounts/login/", {"login": "mufettis", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    if totp.seconds_left() < 3:  # don't let the code roll over between computing and posting it
        time.sleep(3)
    code = totp.totp_code(totp.demo_secret("mufettis"))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
