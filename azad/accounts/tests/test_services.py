"""Services: each checks its rule, writes, and records one audit event in the same transaction."""

from __future__ import annotations

import pytest
from allauth.mfa.internal.flows.trust import create_config_fingerprint
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from azad.accounts import services
from azad.accounts.choices import OrgType
from azad.accounts.models import ApiToken, LoginSession, Organisation, User
from azad.accounts.tests.factories import make_org, make_user
from azad.accounts.tokens import issue_token
from azad.audit.models import AuditEvent
from azad.audit.services import REDACTED
from azad.core.locking import ConflictError
from azad.core.permissions import Role, Scope

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def open_session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key


ORG_DATA = {"name": "Şəki Sığınacağı", "org_type": OrgType.SHELTER, "region": "Şəki", "country": "az"}


# --- Organisations -------------------------------------------------------------------


def test_it_creates_an_organisation_with_an_audit_event(admin):
    organisation = services.create_organisation(ORG_DATA, actor=admin)

    organisation.refresh_from_db()
    assert organisation.name == "Şəki Sığınacağı"
    assert organisation.country == "AZ"
    assert organisation.name_folded == "şəki sığınacağı"
    [event] = events("accounts.organisation.create")
    assert event.actor == admin and event.target_id == str(organisation.pk)
    assert event.payload["name"] == {"from": None, "to": "Şəki Sığınacağı"}


def test_it_refuses_an_organisation_name_that_differs_only_in_case(admin):
    make_org("İSMAYILLI RAYON İCRA HAKİMİYYƏTİ")

    with pytest.raises(ValidationError) as error:
        services.create_organisation({**ORG_DATA, "name": "İsmayıllı rayon icra hakimiyyəti"}, actor=admin)

    assert "name" in error.value.message_dict
    assert Organisation.objects.count() == 2  # the admin's own and the first one
    assert events("accounts.organisation.create") == []


def test_it_refuses_a_malformed_country_code(admin):
    with pytest.raises(ValidationError) as error:
        services.create_organisation({**ORG_DATA, "country": "A1"}, actor=admin)

    assert "country" in error.value.message_dict
    assert not Organisation.objects.filter(name=ORG_DATA["name"]).exists()


def test_it_refuses_organisation_writes_to_readers():
    reader = make_user(Role.NATIONAL_COORDINATOR)

    with pytest.raises(PermissionDenied):
        services.create_organisation(ORG_DATA, actor=reader)

    assert not Organisation.objects.filter(name=ORG_DATA["name"]).exists()


def test_it_updates_an_organisation_and_bumps_its_version(admin):
    organisation = make_org("Gəncə QHT", region="Gəncə")

    services.update_organisation(
        organisation,
        {"region": "Gəncə-Daşkəsən", "phone": "+994 22 000 00 00"},
        actor=admin,
        expected_version=1,
    )

    organisation.refresh_from_db()
    assert organisation.region == "Gəncə-Daşkəsən" and organisation.version == 2
    [event] = events("accounts.organisation.update")
    assert event.payload == {
        "phone": {"from": "", "to": "+994 22 000 00 00"},
        "region": {"from": "Gəncə", "to": "Gəncə-Daşkəsən"},
    }


def test_it_refuses_a_stale_organisation_edit(admin):
    organisation = make_org("Gəncə QHT")
    services.update_organisation(organisation, {"region": "Gəncə"}, actor=admin, expected_version=1)

    with pytest.raises(ConflictError):
        services.update_organisation(organisation, {"region": "Bakı"}, actor=admin, expected_version=1)

    organisation.refresh_from_db()
    assert organisation.region == "Gəncə" and organisation.version == 2
    assert len(events("accounts.organisation.update")) == 1


def test_it_records_nothing_when_an_edit_changes_nothing(admin):
    organisation = make_org("Gəncə QHT")

    services.update_organisation(organisation, {"name": "Gəncə QHT"}, actor=admin, expected_version=1)

    organisation.refresh_from_db()
    assert organisation.version == 1
    assert events("accounts.organisation.update") == []


def test_it_deactivates_an_organisation_with_its_accounts(admin):
    organisation = make_org("Köhnə QHT")
    members = [make_user(Role.NGO_CASEWORKER, organisation) for _ in range(2)]
    key = open_session(members[0])

    services.deactivate_organisation(organisation, actor=admin)

    organisation.refresh_from_db()
    assert not organisation.is_active
    assert not User.objects.filter(pk__in=[m.pk for m in members], is_active=True).exists()
    assert not Session.objects.filter(session_key=key).exists()
    [event] = events("accounts.organisation.deactivate")
    assert event.payload["accounts_deactivated"] == 2
    assert len(events("accounts.user.deactivate")) == 2


def test_it_refuses_to_deactivate_the_administrators_own_organisation(admin):
    with pytest.raises(ValidationError):
        services.deactivate_organisation(admin.organisation, actor=admin)

    admin.organisation.refresh_from_db()
    assert admin.organisation.is_active
    assert events("accounts.organisation.deactivate") == []


def test_it_reactivates_an_organisation_but_not_its_accounts(admin):
    organisation = make_org("Köhnə QHT")
    member = make_user(Role.NGO_CASEWORKER, organisation)
    services.deactivate_organisation(organisation, actor=admin)

    services.reactivate_organisation(organisation, actor=admin)

    organisation.refresh_from_db()
    member.refresh_from_db()
    assert organisation.is_active and not member.is_active
    assert len(events("accounts.organisation.reactivate")) == 1


# --- Accounts ------------------------------------------------------------------------


def user_data(organisation: Organisation, **extra: object) -> dict[str, object]:
    return {
        "username": "leyla.h",
        "first_name": "Leyla",
        "last_name": "Həsənova",
        "email": "leyla@example.org",
        "role": Role.NGO_CASEWORKER,
        "scope": Scope.OWN,
        "organisation": organisation,
        "language": "az",
        **extra,
    }


def test_it_creates_an_account_with_a_generated_password_shown_once(admin):
    organisation = make_org("Təmiz Dünya")

    result = services.create_user(user_data(organisation), actor=admin)

    user = User.objects.get(username="leyla.h")
    assert result.generated and user.check_password(result.password)
    assert len(result.password) >= 20
    assert user.organisation == organisation and user.role == Role.NGO_CASEWORKER
    assert user.search_folded == "leyla.h leyla həsənova"
    [event] = events("accounts.user.create")
    assert event.payload["first_name"] == REDACTED
    assert event.payload["last_name"] == REDACTED
    assert event.payload["email"] == REDACTED
    assert event.payload["role"] == {"from": None, "to": Role.NGO_CASEWORKER}
    assert event.payload["password_generated"] is True
    assert "Həsənova" not in str(event.payload) and result.password not in str(event.payload)


def test_it_creates_an_account_with_the_administrators_password(admin):
    result = services.create_user(
        user_data(make_org("Təmiz Dünya")), actor=admin, password="a long and unusual phrase"
    )

    assert not result.generated
    assert User.objects.get(username="leyla.h").check_password("a long and unusual phrase")


def test_it_refuses_a_weak_password(admin):
    with pytest.raises(ValidationError) as error:
        services.create_user(user_data(make_org("Təmiz Dünya")), actor=admin, password="short")

    assert "password" in error.value.message_dict
    assert not User.objects.filter(username="leyla.h").exists()
    assert events("accounts.user.create") == []


def test_it_requires_an_organisation_for_every_role_but_administrator(admin):
    with pytest.raises(ValidationError) as error:
        services.create_user(user_data(None), actor=admin)

    assert "organisation" in error.value.message_dict
    assert not User.objects.filter(username="leyla.h").exists()


def test_it_lets_an_administrator_have_no_organisation(admin):
    services.create_user(user_data(None, role=Role.SYSTEM_ADMIN, username="second.admin"), actor=admin)

    assert User.objects.get(username="second.admin").organisation is None


def test_it_refuses_a_role_that_does_not_fit_the_organisation(admin):
    with pytest.raises(ValidationError) as error:
        services.create_user(
            user_data(make_org("Təmiz Dünya", OrgType.NGO), role=Role.PROSECUTOR), actor=admin
        )

    assert "role" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR])
def test_it_refuses_national_scope_for_hotline_roles(admin, role):
    hotline = make_org("Qaynar xətt 152", OrgType.HOTLINE)

    with pytest.raises(ValidationError) as error:
        services.create_user(user_data(hotline, role=role, scope=Scope.NATIONAL), actor=admin)

    assert "scope" in error.value.message_dict
    assert not User.objects.filter(username="leyla.h").exists()


def test_it_lets_roles_without_a_rule_sit_in_any_organisation(admin):
    services.create_user(user_data(make_org("Təmiz Dünya", OrgType.NGO), role=Role.ANALYST), actor=admin)

    assert User.objects.get(username="leyla.h").role == Role.ANALYST


def test_it_refuses_accounts_in_a_deactivated_organisation(admin):
    with pytest.raises(ValidationError) as error:
        services.create_user(user_data(make_org("Köhnə QHT", is_active=False)), actor=admin)

    assert "organisation" in error.value.message_dict


def test_it_refuses_a_username_that_differs_only_in_case(admin):
    make_user(Role.NGO_CASEWORKER, username="Leyla.H")

    with pytest.raises(ValidationError) as error:
        services.create_user(user_data(make_org("Təmiz Dünya")), actor=admin)

    assert "username" in error.value.message_dict


def test_it_refuses_account_writes_to_everybody_but_administrators():
    coordinator = make_user(Role.NATIONAL_COORDINATOR)

    with pytest.raises(PermissionDenied):
        services.create_user(user_data(make_org("Təmiz Dünya")), actor=coordinator)


def test_it_updates_an_account_with_names_redacted_in_the_trail(admin):
    user = make_user(Role.NGO_CASEWORKER, first_name="Leyla")

    services.update_user(
        user, {"first_name": "Leyla-Xanım", "scope": Scope.ORGANISATION}, actor=admin, expected_version=1
    )

    user.refresh_from_db()
    assert user.first_name == "Leyla-Xanım" and user.version == 2
    assert "leyla-xanım" in user.search_folded
    [event] = events("accounts.user.update")
    assert event.payload == {"first_name": REDACTED}


def test_it_moves_an_account_to_another_organisation(admin):
    user = make_user(Role.NGO_CASEWORKER)
    other = make_org("Başqa QHT")

    services.update_user(user, {"organisation": other}, actor=admin, expected_version=1)

    user.refresh_from_db()
    assert user.organisation == other
    [event] = events("accounts.user.update")
    assert event.payload["organisation"]["to"] == other.pk


def test_it_refuses_a_stale_account_edit(admin):
    user = make_user(Role.NGO_CASEWORKER)
    services.update_user(user, {"last_name": "Əliyeva"}, actor=admin, expected_version=1)

    with pytest.raises(ConflictError):
        services.update_user(user, {"last_name": "Quliyeva"}, actor=admin, expected_version=1)

    user.refresh_from_db()
    assert user.last_name == "Əliyeva"


def test_it_refuses_to_remove_the_last_administrator_role(admin):
    with pytest.raises(ValidationError) as error:
        services.update_user(admin, {"role": Role.ANALYST}, actor=admin, expected_version=admin.version)

    assert "role" in error.value.message_dict
    admin.refresh_from_db()
    assert admin.role == Role.SYSTEM_ADMIN


def test_it_lets_an_administrator_step_down_when_another_remains(admin):
    make_user(Role.SYSTEM_ADMIN)

    services.update_user(admin, {"role": Role.ANALYST}, actor=admin, expected_version=admin.version)

    admin.refresh_from_db()
    assert admin.role == Role.ANALYST


def test_it_deactivates_an_account_and_ends_its_sessions_and_tokens(admin):
    user = make_user(Role.NGO_CASEWORKER)
    keys = [open_session(user), open_session(user)]
    issue_token(user)

    services.deactivate_user(user, actor=admin)

    user.refresh_from_db()
    assert not user.is_active
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not LoginSession.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    [event] = events("accounts.user.deactivate")
    assert event.payload == {"is_active": {"from": True, "to": False}, "sessions_ended": 2}


def test_it_refuses_to_let_an_administrator_deactivate_themselves(admin):
    with pytest.raises(ValidationError) as error:
        services.deactivate_user(admin, actor=admin)

    assert "your own account" in str(error.value)
    admin.refresh_from_db()
    assert admin.is_active
    assert events("accounts.user.deactivate") == []


def test_it_refuses_to_deactivate_the_last_active_administrator():
    # Reachable only when the acting administrator was deactivated meanwhile (by
    # someone else, after their request began): the rule holds regardless.
    last = make_user(Role.SYSTEM_ADMIN)
    actor = make_user(Role.SYSTEM_ADMIN)
    User.objects.filter(pk=actor.pk).update(is_active=False)

    with pytest.raises(ValidationError) as error:
        services.deactivate_user(last, actor=actor)

    assert "last active system administrator" in str(error.value)
    last.refresh_from_db()
    assert last.is_active


def test_it_reactivates_an_account(admin):
    user = make_user(Role.NGO_CASEWORKER)
    services.deactivate_user(user, actor=admin)

    services.reactivate_user(user, actor=admin)

    user.refresh_from_db()
    assert user.is_active
    assert len(events("accounts.user.reactivate")) == 1


def test_it_refuses_to_reactivate_an_account_of_a_deactivated_organisation(admin):
    user = make_user(Role.NGO_CASEWORKER)
    services.deactivate_organisation(user.organisation, actor=admin)

    with pytest.raises(ValidationError):
        services.reactivate_user(user, actor=admin)

    user.refresh_from_db()
    assert not user.is_active


def test_it_resets_a_password_and_ends_sessions(admin):
    user = make_user(Role.NGO_CASEWORKER)
    key = open_session(user)

    result = services.reset_password(user, actor=admin)

    user.refresh_from_db()
    assert user.check_password(result.password) and not user.check_password(user.raw_password)
    assert not Session.objects.filter(session_key=key).exists()
    [event] = events("accounts.user.reset_password")
    assert event.payload == {"password_generated": True, "sessions_ended": 1}


def test_it_refuses_a_weak_password_on_reset(admin):
    user = make_user(Role.NGO_CASEWORKER)

    with pytest.raises(ValidationError):
        services.reset_password(user, actor=admin, password="123")

    user.refresh_from_db()
    assert user.check_password(user.raw_password)
    assert events("accounts.user.reset_password") == []


def test_it_refuses_an_administrator_resetting_their_own_password(admin):
    with pytest.raises(ValidationError):
        services.reset_password(admin, actor=admin)


def test_it_resets_the_second_factor_so_the_person_enrols_again(admin):
    user = make_user(Role.POLICE_INVESTIGATOR, passkey=True)
    RecoveryCodes.activate(user)
    fingerprint = create_config_fingerprint(user)
    key = open_session(user)

    services.reset_second_factor(user, actor=admin)

    assert not Authenticator.objects.filter(user=user).exists()
    assert create_config_fingerprint(user) != fingerprint  # any "trusted browser" is void
    assert not Session.objects.filter(session_key=key).exists()
    [event] = events("accounts.user.reset_second_factor")
    assert event.payload == {
        "authenticators_removed": {"totp": 1, "webauthn": 1, "recovery_codes": 1},
        "sessions_ended": 1,
    }
    client = Client()
    client.force_login(user)
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"


def test_it_lets_a_person_change_their_own_names_and_language():
    user = make_user(Role.SHELTER_STAFF, first_name="Aygün")

    services.update_own_profile(
        user, {"first_name": "Aygül", "language": "ru"}, actor=user, expected_version=1
    )

    user.refresh_from_db()
    assert user.first_name == "Aygül" and user.language == "ru"
    [event] = events("accounts.user.update_profile")
    assert event.payload == {"first_name": REDACTED, "language": {"from": "", "to": "ru"}}
    assert event.actor == user


def test_it_refuses_changing_someone_elses_profile(admin):
    user = make_user(Role.SHELTER_STAFF)

    with pytest.raises(PermissionDenied):
        services.update_own_profile(user, {"first_name": "X"}, actor=admin, expected_version=1)


def test_it_refuses_a_role_change_through_the_profile():
    user = make_user(Role.SHELTER_STAFF)

    with pytest.raises(ValueError):
        services.update_own_profile(user, {"role": Role.SYSTEM_ADMIN}, actor=user, expected_version=1)

    user.refresh_from_db()
    assert user.role == Role.SHELTER_STAFF


def test_it_generates_passwords_that_pass_the_validators():
    from django.contrib.auth.password_validation import validate_password

    for _ in range(20):
        validate_password(services.generate_password())
