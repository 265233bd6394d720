"""The demo data set: the national organisations, one account per role, ~200 persons, ~30 cases.

Loading is idempotent: organisations are found by name, accounts by username
(and reset to their demo state), persons by their seed-derived keys. Every
demo account has the same password and a TOTP authenticator whose secret is
derived from the username (see :mod:`azad.demo.totp`), so what the loader
prints stays valid across reloads. Refused under production settings
(``AZAD_DEMO_ALLOWED`` false); a system check refuses production while any
demo account exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from azad.accounts.adapters import MFAAdapter
from azad.accounts.models import Organisation, User
from azad.audit.services import record_event
from azad.core.permissions import Data, Level, Role, Scope, can
from azad.demo import generator
from azad.demo.cases import build_demo_cases
from azad.demo.totp import demo_secret

DEMO_PASSWORD = "Azad-demo-2026"  # noqa: S105  (public by design; demo accounts are refused in production)
DEMO_SEED = 2026
DEMO_PERSONS = 200
DEMO_NGOS = 4
LOADER_ACTOR = "azad load_demo"


class DemoRefused(Exception):
    """Demo data may not be loaded here (production settings, or a real account in the way)."""


def demo_allowed() -> bool:
    """Whether these settings allow demo data and accounts."""
    return bool(getattr(settings, "AZAD_DEMO_ALLOWED", False))


def require_demo_allowed() -> None:
    """Raise :class:`DemoRefused` under production settings."""
    if not demo_allowed():
        raise DemoRefused(
            _(
                "Demo data is refused under production settings (AZAD_DEMO_ALLOWED is false): "
                "it would put synthetic people and accounts with public passwords into a real system."
            )
        )


@dataclass(frozen=True)
class DemoAccount:
    """One demo account: readable Latin-ASCII username, role, organisation key, scope, name."""

    username: str
    role: str
    organisation: str
    scope: str
    first_name: str
    last_name: str


# One account for every role (a test proves none is missing).
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.SYSTEM_ADMIN, "coordinator", Scope.NATIONAL, "Elvin", "Hüseynov"),
    DemoAccount("koordinator", Role.NATIONAL_COORDINATOR, "coordinator", Scope.NATIONAL, "Rauf", "Məmmədov"),
    DemoAccount("mufettis", Role.POLICE_INVESTIGATOR, "atd", Scope.ORGANISATION, "Tural", "Quliyev"),
    DemoAccount("polis_reis", Role.POLICE_SUPERVISOR, "atd", Scope.NATIONAL, "Kamran", "Abbasov"),
    DemoAccount("operator", Role.HOTLINE_OPERATOR, "hotline", Scope.OWN, "Nigar", "Rzayeva"),
    DemoAccount("operator_reis", Role.HOTLINE_SUPERVISOR, "hotline", Scope.ORGANISATION, "Sevinc", "Kərimova"),
    DemoAccount("sosial", Role.ASSISTANCE_CASEWORKER, "assistance_centre", Scope.ORGANISATION, "Aytən", "Nəsirova"),
    DemoAccount("siginacaq", Role.SHELTER_STAFF, "atd_shelter", Scope.ORGANISATION, "Könül", "Bayramova"),
    DemoAccount("siginacaq_qht", Role.SHELTER_STAFF, "ngo1", Scope.ORGANISATION, "Gülnar", "Məlikova"),
    DemoAccount("qht", Role.NGO_CASEWORKER, "ngo0", Scope.ORGANISATION, "Fidan", "Sadıqova"),
    DemoAccount("usaq", Role.CHILD_PROTECTION_OFFICER, "family_committee", Scope.ORGANISATION, "Lalə", "Zeynalova"),
    DemoAccount("prokuror", Role.PROSECUTOR, "prosecutor", Scope.NATIONAL, "Anar", "Əsgərov"),
    DemoAccount("fokal", Role.PLAN_FOCAL_POINT, "labour_ministry", Scope.ORGANISATION, "Samirə", "İbrahimova"),
    DemoAccount("analitik", Role.ANALYST, "coordinator", Scope.NATIONAL, "Murad", "Nağıyev"),
    DemoAccount("ombudsman", Role.AUDITOR, "ombudsman", Scope.NATIONAL, "Təranə", "Paşayeva"),
)  # fmt: skip


@dataclass
class LoadResult:
    """What a load did, and the accounts with their TOTP secrets (for the printed table)."""

    organisations_created: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0
    persons_created: int = 0
    cases_created: int = 0
    hotline_calls_created: int = 0
    accounts: list[tuple[DemoAccount, User, str]] = field(default_factory=list)


def _ensure_account(spec: DemoAccount, organisation: Organisation) -> tuple[User, bool]:
    user = User.objects.filter(username=spec.username).first()
    if user is not None and not user.is_demo:
        raise DemoRefused(
            _("An account named %(username)s exists and is not a demo account; it is left alone.")
            % {"username": spec.username}
        )
    created = user is None
    if user is None:
        user = User(username=spec.username)
    user.first_name, user.last_name = spec.first_name, spec.last_name
    user.role, user.scope, user.organisation = spec.role, spec.scope, organisation
    user.is_active = True
    user.is_demo = True  # editable=False keeps it out of forms; setup code sets it directly
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user, created


def _ensure_totp(user: User, secret: str) -> None:
    """One TOTP authenticator holding ``secret``, encrypted like allauth's own (MFAAdapter)."""
    data: dict[str, Any] = {"secret": MFAAdapter().encrypt(secret)}
    updated = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).update(data=data)
    if not updated:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data=data)


def demo_creators() -> dict[int, list[User]]:
    """Active demo accounts that may record persons, by organisation (they sign generated persons)."""
    creators: dict[int, list[User]] = {}
    for user in User.objects.filter(is_demo=True, is_active=True).order_by("username"):
        if can(user, Data.VICTIM_IDENTITY, Level.WRITE) and user.organisation_id is not None:
            creators.setdefault(user.organisation_id, []).append(user)
    return creators


def _build_demo_hotline(result: LoadResult) -> int:
    """The hotline's knowledge base and calls, through its services (see azad.hotline.demo)."""
    from azad.hotline.demo import build_demo_articles, build_demo_calls, build_demo_hand_over

    users = {spec.username: user for spec, user, _secret in result.accounts}
    build_demo_articles(users["operator_reis"])
    calls = build_demo_calls(users["operator"])
    opened = build_demo_hand_over(users["operator"])  # a call handed over: one more case, two calls
    result.cases_created += opened
    return calls + 2 * opened


def _build_demo_report(result: LoadResult) -> None:
    """Last year's annual report narrative, written by the demo National Coordinator."""
    from azad.reports.demo import build_demo_narratives

    users = {spec.username: user for spec, user, _secret in result.accounts}
    build_demo_narratives(users["koordinator"])


def load_demo(
    *, persons: int = DEMO_PERSONS, progress: generator.ProgressCallback | None = None
) -> LoadResult:
    """Load (or restore) the demo set in one transaction, with one ``demo.load`` audit event."""
    require_demo_allowed()
    result = LoadResult()
    specs = [*generator.NATIONAL_ORGANISATIONS, *(generator.ngo_spec(i) for i in range(DEMO_NGOS))]
    with transaction.atomic():
        organisations, result.organisations_created = generator.ensure_organisations(specs)
        for spec in DEMO_ACCOUNTS:
            user, created = _ensure_account(spec, organisations[spec.organisation])
            secret = demo_secret(spec.username)
            _ensure_totp(user, secret)
            result.accounts.append((spec, user, secret))
            if created:
                result.accounts_created += 1
            else:
                result.accounts_updated += 1
        recorders = generator.Recorders.among(list(organisations.values()), demo_creators())
        generated = generator.generate_persons(
            persons, seed=DEMO_SEED, recorders=recorders, progress=progress
        )
        result.persons_created = generated.created
        result.cases_created = build_demo_cases(organisations)
        result.hotline_calls_created = _build_demo_hotline(result)
        _build_demo_report(result)
        record_event(
            "demo.load",
            actor=LOADER_ACTOR,
            payload={
                "organisations_created": result.organisations_created,
                "accounts_created": result.accounts_created,
                "accounts_reset": result.accounts_updated,
                "persons_created": result.persons_created,
                "cases_created": result.cases_created,
            },
        )
    return result
