"""The referral mechanism's stages as a transition table: who may move a case where, and what first.

``TRANSITIONS[stage][next_stage]`` is a :class:`Transition`: which relations
to the case may make it (the case's owner organisation, the police
anti-trafficking department (ATD) it was referred to, or an organisation
assisting it through an accepted referral) and what must be recorded first.
:func:`azad.cases.services.transition_case` is the one place that applies it;
this module only reads.

    presumed ──refer──▶ referred_to_atd ──▶ reflection ──▶ identified ──▶ assistance ⇄ reintegration
        │                    │    └──────────────────────▶ not_identified      │             │
        └──▶ withdrawn ◀─────┘   (any open stage) ──▶ transferred         closed ◀─────────────┘
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType
from azad.cases.choices import (
    ChildNotificationBody,
    ClosureReason,
    ConsentPurpose,
    ConsentStatus,
    ReferralStatus,
    Stage,
    WithdrawalReason,
)

if TYPE_CHECKING:
    from azad.cases.models import Case


class Relation(StrEnum):
    """How a person's organisation stands to a case (see :func:`azad.cases.access.case_rights`)."""

    OWNER = "owner"  # the owner organisation (or the owner, for own scope; or national scope)
    ATD = "atd"  # the police anti-trafficking department the case was referred to (or that owns it)
    ASSISTING = "assisting"  # an organisation with an accepted referral sharing the case content


class Requirement(StrEnum):
    """What must be recorded before a transition."""

    ATD_ACCEPTED = "atd_accepted"
    CHILD_NOTIFICATIONS = "child_notifications"
    DECISION_BASIS = "decision_basis"
    ASSISTANCE_CONSENT = "assistance_consent"
    CLOSURE_REASON = "closure_reason"
    WITHDRAWAL_REASON = "withdrawal_reason"
    TRANSFER_DESTINATION = "transfer_destination"


@dataclass(frozen=True)
class Transition:
    """One allowed move: to which stage, by whom, after what, under which button label."""

    to: Stage
    label: str | Promise
    who: frozenset[Relation]
    requires: tuple[Requirement, ...] = ()
    # A transition made by another service (the referral to ATD creates a Referral too).
    via: str = ""
    danger: bool = False


_ANYONE = frozenset({Relation.OWNER, Relation.ATD, Relation.ASSISTING})
_OWNER_OR_ATD = frozenset({Relation.OWNER, Relation.ATD})
_ATD = frozenset({Relation.ATD})

_withdraw = Transition(
    Stage.WITHDRAWN, _("Withdraw the case"), _OWNER_OR_ATD, (Requirement.WITHDRAWAL_REASON,), danger=True
)


def _close(who: frozenset[Relation] = _ANYONE) -> Transition:
    return Transition(Stage.CLOSED, _("Close the case"), who, (Requirement.CLOSURE_REASON,), danger=True)


def _transfer(*extra: Requirement, who: frozenset[Relation] = _OWNER_OR_ATD) -> Transition:
    return Transition(
        Stage.TRANSFERRED,
        _("Transfer the case"),
        who,
        (*extra, Requirement.TRANSFER_DESTINATION),
        danger=True,
    )


_decide = (Requirement.DECISION_BASIS,)
_before_atd = (Requirement.ATD_ACCEPTED, Requirement.CHILD_NOTIFICATIONS)

TRANSITIONS: dict[Stage, dict[Stage, Transition]] = {
    Stage.PRESUMED: {
        Stage.REFERRED_TO_ATD: Transition(
            Stage.REFERRED_TO_ATD, _("Refer to ATD"), frozenset({Relation.OWNER}), via="refer_to_atd"
        ),
        Stage.WITHDRAWN: _withdraw,
    },
    Stage.REFERRED_TO_ATD: {
        Stage.REFLECTION: Transition(Stage.REFLECTION, _("Start the reflection period"), _ATD, _before_atd),
        Stage.IDENTIFIED: Transition(
            Stage.IDENTIFIED, _("Identify as a victim"), _ATD, (*_before_atd, *_decide)
        ),
        Stage.NOT_IDENTIFIED: Transition(
            Stage.NOT_IDENTIFIED, _("Decide: not a victim"), _ATD, (*_before_atd, *_decide)
        ),
        Stage.TRANSFERRED: _transfer(*_before_atd, who=_ATD),
        Stage.WITHDRAWN: _withdraw,
    },
    Stage.REFLECTION: {
        Stage.IDENTIFIED: Transition(Stage.IDENTIFIED, _("Identify as a victim"), _ATD, _decide),
        Stage.NOT_IDENTIFIED: Transition(Stage.NOT_IDENTIFIED, _("Decide: not a victim"), _ATD, _decide),
        Stage.TRANSFERRED: _transfer(who=_ATD),
        Stage.WITHDRAWN: _withdraw,
    },
    Stage.IDENTIFIED: {
        Stage.ASSISTANCE: Transition(
            Stage.ASSISTANCE, _("Start assistance"), _ANYONE, (Requirement.ASSISTANCE_CONSENT,)
        ),
        Stage.CLOSED: _close(),
        Stage.TRANSFERRED: _transfer(),
    },
    Stage.NOT_IDENTIFIED: {
        Stage.CLOSED: _close(_OWNER_OR_ATD),
        Stage.TRANSFERRED: _transfer(),
    },
    Stage.ASSISTANCE: {
        Stage.REINTEGRATION: Transition(
            Stage.REINTEGRATION, _("Move to reintegration and follow-up"), _ANYONE
        ),
        Stage.CLOSED: _close(),
        Stage.TRANSFERRED: _transfer(),
    },
    Stage.REINTEGRATION: {
        Stage.ASSISTANCE: Transition(Stage.ASSISTANCE, _("Back to assistance"), _ANYONE),
        Stage.CLOSED: _close(),
        Stage.TRANSFERRED: _transfer(),
    },
    Stage.CLOSED: {},
    Stage.WITHDRAWN: {},
    Stage.TRANSFERRED: {},
}

# Requirements answered by what the person types into the transition form.
DETAIL_REQUIREMENTS: frozenset[Requirement] = frozenset(
    {
        Requirement.DECISION_BASIS,
        Requirement.CLOSURE_REASON,
        Requirement.WITHDRAWAL_REASON,
        Requirement.TRANSFER_DESTINATION,
    }
)


def transition_for(from_stage: str, to_stage: str) -> Transition | None:
    """The transition from ``from_stage`` to ``to_stage``, or ``None`` if the table has none."""
    try:
        return TRANSITIONS[Stage(from_stage)].get(Stage(to_stage))
    except ValueError:
        return None


# --- What must be recorded first -------------------------------------------------------


def atd_has_accepted(case: Case) -> bool:
    """The case is with ATD: owned by an ATD, or its referral to an ATD was accepted."""
    if case.owner_organisation.org_type == OrgType.POLICE_ATD:
        return True
    return case.referrals.filter(
        to_organisation__org_type=OrgType.POLICE_ATD, status=ReferralStatus.ACCEPTED
    ).exists()


def missing_child_notifications(case: Case) -> list[ChildNotificationBody]:
    """The child-protection bodies not yet notified (none for an adult's case)."""
    if not case.is_child:
        return []
    done = set(case.child_notifications.values_list("body", flat=True))
    return [body for body in ChildNotificationBody if body not in done]


def has_assistance_consent(case: Case, *, today: Any = None) -> bool:
    """Whether the latest answer on assistance is a consent still valid today."""
    latest = case.consents.filter(purpose=ConsentPurpose.ASSISTANCE).order_by("-recorded_at", "-id").first()
    if latest is None or latest.status != ConsentStatus.GIVEN:
        return False
    today = today or timezone.localdate()
    return latest.valid_until is None or latest.valid_until >= today


def _text(details: Mapping[str, Any], name: str) -> str:
    return str(details.get(name) or "").strip()


def _check_atd_accepted(case: Case, details: Mapping[str, Any]) -> list[str]:
    if atd_has_accepted(case):
        return []
    return [str(_("ATD has not accepted the referral yet."))]


def _check_child_notifications(case: Case, details: Mapping[str, Any]) -> list[str]:
    missing = missing_child_notifications(case)
    if not missing:
        return []
    names = ", ".join(str(body.label) for body in missing)
    return [
        str(_("A child's case cannot go further until these bodies are notified: %(bodies)s."))
        % {"bodies": names}
    ]


def _check_decision_basis(case: Case, details: Mapping[str, Any]) -> list[str]:
    return [] if _text(details, "basis") else [str(_("Give the basis of the decision."))]


def _check_assistance_consent(case: Case, details: Mapping[str, Any]) -> list[str]:
    if has_assistance_consent(case):
        return []
    return [
        str(_("Record the person's consent to assistance first (for a child, the legal representative's)."))
    ]


def _check_closure_reason(case: Case, details: Mapping[str, Any]) -> list[str]:
    return (
        []
        if _text(details, "closure_reason") in ClosureReason.values
        else [str(_("Choose why the case closes."))]
    )


def _check_withdrawal_reason(case: Case, details: Mapping[str, Any]) -> list[str]:
    if _text(details, "withdrawal_reason") in WithdrawalReason.values:
        return []
    return [str(_("Choose why the case is withdrawn."))]


def _check_transfer_destination(case: Case, details: Mapping[str, Any]) -> list[str]:
    has_org = details.get("to_organisation") not in (None, "")
    has_abroad = bool(_text(details, "country")) and bool(_text(details, "organisation_name"))
    if has_org != has_abroad:
        return []
    return [
        str(
            _("Name the organisation the case goes to: one in Azad, or a country and an organisation abroad.")
        )
    ]


CHECKS: dict[Requirement, Callable[[Case, Mapping[str, Any]], list[str]]] = {
    Requirement.ATD_ACCEPTED: _check_atd_accepted,
    Requirement.CHILD_NOTIFICATIONS: _check_child_notifications,
    Requirement.DECISION_BASIS: _check_decision_basis,
    Requirement.ASSISTANCE_CONSENT: _check_assistance_consent,
    Requirement.CLOSURE_REASON: _check_closure_reason,
    Requirement.WITHDRAWAL_REASON: _check_withdrawal_reason,
    Requirement.TRANSFER_DESTINATION: _check_transfer_destination,
}


def unmet(
    case: Case,
    transition: Transition,
    details: Mapping[str, Any] | None = None,
    *,
    include_details: bool = True,
) -> list[str]:
    """Messages for each requirement of ``transition`` not met yet (empty: it may go ahead).

    With ``include_details=False`` only the requirements recorded on the case
    are checked (the case page uses it to say why a button is not offered yet).
    """
    messages: list[str] = []
    for requirement in transition.requires:
        if not include_details and requirement in DETAIL_REQUIREMENTS:
            continue
        messages.extend(CHECKS[requirement](case, details or {}))
    return messages


@dataclass
class Offer:
    """A transition a person could make on the case page, and what still blocks it."""

    transition: Transition
    blocked_by: list[str] = field(default_factory=list)

    @property
    def needs_details(self) -> bool:
        return any(r in DETAIL_REQUIREMENTS for r in self.transition.requires)


def offers(case: Case, relations: frozenset[Relation]) -> list[Offer]:
    """The transitions from the case's stage that ``relations`` allow, with their blockers."""
    result = []
    for transition in TRANSITIONS.get(Stage(case.stage), {}).values():
        if transition.who & relations:
            result.append(Offer(transition, unmet(case, transition, include_details=False)))
    return result
