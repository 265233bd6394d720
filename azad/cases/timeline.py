"""Timeline entries in words: what a :class:`~azad.cases.models.CaseEvent` says, in the reader's language.

Events store codes and organisation names only (organisations are not
personal data); this module turns them into sentences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from azad.cases.choices import (
    ChildNotificationBody,
    ClosureReason,
    ConsentPurpose,
    ConsentStatus,
    ContactChannel,
    EventKind,
    HistoricEventType,
    NotificationChannel,
    PaymentKind,
    ReferralPurpose,
    ReturnDirection,
    ReturnStatus,
    RevocationReason,
    RiskLevel,
    ServiceOutcome,
    Stage,
    SupportType,
    WithdrawalReason,
)
from azad.core.places import country_label

if TYPE_CHECKING:
    from azad.cases.models import CaseEvent


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def describe(event: CaseEvent) -> str:
    """One sentence about ``event``."""
    d = event.details or {}
    kind = event.kind
    if kind == EventKind.OPENED:
        return _("Case opened at stage “%(stage)s”.") % {"stage": _label(Stage, event.to_stage)}
    if kind == EventKind.FIRST_CONTACT:
        return _("First contact recorded (channel: %(channel)s).") % {
            "channel": _label(ContactChannel, d.get("channel"))
        }
    if kind == EventKind.TRANSITION:
        text = _("Stage changed from “%(from)s” to “%(to)s”.") % {
            "from": _label(Stage, event.from_stage),
            "to": _label(Stage, event.to_stage),
        }
        if d.get("closure_reason"):
            text += " " + _("Reason: %(reason)s.") % {"reason": _label(ClosureReason, d["closure_reason"])}
        if d.get("withdrawal_reason"):
            text += " " + _("Reason: %(reason)s.") % {
                "reason": _label(WithdrawalReason, d["withdrawal_reason"])
            }
        if d.get("transferred_to"):
            text += " " + _("Transferred to %(receiver)s.") % {"receiver": d["transferred_to"]}
        if d.get("cause") == "referral_declined":
            text += " " + _("ATD declined the referral.")
        if d.get("cause") == "referral_revoked":
            text += " " + _("The referral to ATD was revoked.")
        return text
    if kind == EventKind.CONTEXT:
        return _("Types of exploitation or methods of control changed.")
    if kind == EventKind.CONSENT:
        text = _("Consent to %(purpose)s: %(status)s.") % {
            "purpose": _label(ConsentPurpose, d.get("purpose")),
            "status": _label(ConsentStatus, d.get("status")),
        }
        if d.get("to"):
            text += " " + _("Organisation: %(organisation)s.") % {"organisation": d["to"]}
        if d.get("revoked"):
            text += " " + _("Referrals revoked: %(count)s.") % {"count": d["revoked"]}
        return text
    if kind == EventKind.REFERRAL_SENT:
        text = _("Referred to %(receiver)s for %(purpose)s.") % {
            "receiver": d.get("to", ""),
            "purpose": _label(ReferralPurpose, d.get("purpose")),
        }
        if d.get("basis") == "legal_ground":
            text += " " + _("Without consent, on a recorded legal ground.")
        return text
    if kind == EventKind.REFERRAL_ACCEPTED:
        return _("%(receiver)s accepted the referral.") % {"receiver": d.get("to", "")}
    if kind == EventKind.REFERRAL_DECLINED:
        return _("%(receiver)s declined the referral.") % {"receiver": d.get("to", "")}
    if kind == EventKind.REFERRAL_COMPLETED:
        return _("%(receiver)s completed the referral.") % {"receiver": d.get("to", "")}
    if kind == EventKind.REFERRAL_REVOKED:
        return _("Referral to %(receiver)s revoked (%(reason)s).") % {
            "receiver": d.get("to", ""),
            "reason": _label(RevocationReason, d.get("reason")),
        }
    if kind == EventKind.CHILD_NOTIFICATION:
        return _("%(body)s notified by %(channel)s.") % {
            "body": _label(ChildNotificationBody, d.get("body")),
            "channel": _label(NotificationChannel, d.get("channel")),
        }
    if kind == EventKind.CHILD_DETAILS:
        return _("Child procedure details changed: %(fields)s.") % {"fields": ", ".join(d.get("fields", []))}
    if kind == EventKind.RESIDENCE_PERMIT:
        return _("Temporary residence permit recorded, valid until %(date)s.") % {
            "date": d.get("expires_on", "")
        }
    if kind == EventKind.ALLOWANCE:
        return _("Reintegration allowance paid.")
    if kind == EventKind.PLAN_OPENED:
        return _("Assistance plan opened, led by %(organisation)s.") % {
            "organisation": d.get("organisation_name", "")
        }
    if kind == EventKind.PLAN_ITEM:
        return _("Plan item added: %(type)s.") % {"type": _label(SupportType, d.get("support_type"))}
    if kind in (EventKind.SERVICE, EventKind.SERVICE_OUTCOME):
        return _("Service (%(type)s): %(outcome)s.") % {
            "type": _label(SupportType, d.get("support_type")),
            "outcome": _label(ServiceOutcome, d.get("outcome")),
        }
    if kind == EventKind.RISK:
        return _("Risk assessed: %(level)s.") % {"level": _label(RiskLevel, d.get("level"))}
    if kind == EventKind.PAYMENT:
        return _("Payment recorded: %(kind)s, %(amount)s %(currency)s.") % {
            "kind": _label(PaymentKind, d.get("payment")),
            "amount": d.get("amount", ""),
            "currency": d.get("currency", ""),
        }
    if kind == EventKind.SEALED:
        return _("Access sealed by a decision of %(organisation)s.") % {
            "organisation": d.get("organisation_name", "")
        }
    if kind == EventKind.HISTORIC_EVENT:
        return _("Trafficking event recorded: %(type)s (%(country)s).") % {
            "type": _label(HistoricEventType, d.get("event_type")),
            "country": d.get("country", ""),
        }
    if kind == EventKind.RETURN_RECORDED:
        return _("Return planned: %(direction)s (%(country)s).") % {
            "direction": _label(ReturnDirection, d.get("direction")),
            "country": country_label(d.get("country", "")),
        }
    if kind == EventKind.RETURN_CHANGED:
        return _("Return details changed: %(fields)s.") % {"fields": ", ".join(d.get("fields", []))}
    if kind == EventKind.RETURN_STATUS:
        return _("Return: %(status)s.") % {"status": _label(ReturnStatus, d.get("status"))}
    return _label(EventKind, kind)
