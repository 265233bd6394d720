"""The only code that writes hotline data. Every function is atomic and audited.

Audit payloads hold codes, ids and field names only: never a summary, a
caller's name or number, or a code word.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation
from azad.audit.services import record_event, redacted_changes
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError, save_versioned
from azad.hotline import access
from azad.hotline.choices import (
    REFERRAL_ACTIONS,
    REGION_CHOICES,
    Action,
    ArticleKind,
    CallbackStatus,
    CallerType,
    Language,
    Reason,
    Topic,
    Urgency,
)
from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle

MAX_TEXT = 10_000
MAX_SHORT = 200
# A call may be logged a little after the clocks disagree; never days in the future.
CLOCK_SKEW = dt.timedelta(minutes=5)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
CALL_FIELDS = (
    "ended_at",
    "caller_type",
    "language",
    "reason",
    "region",
    "country",
    "urgency",
    "summary",
    "actions",
    "caller_consented",
    "caller_name",
    "caller_phone",
)
PERSONAL_FIELDS = ("summary", "caller_name", "caller_phone")


def _choice(value: Any, allowed: Iterable[str], *, field: str, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text and not required:
        return ""
    if text not in set(allowed):
        raise ValidationError({field: _("Choose one of the offered values.")}, code="invalid_choice")
    return text


def _text(value: Any, *, field: str, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise ValidationError({field: _("This text is too long.")}, code="too_long")
    return text


def _aware(value: Any, *, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("Enter a date and time.")}, code="required")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _call_values(values: Mapping[str, Any], *, started_at: dt.datetime) -> dict[str, Any]:
    """Check and normalise a call's fields (raises ``ValidationError`` with every field's problem)."""
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}

    def check(field: str, fn: Any) -> None:
        try:
            clean[field] = fn()
        except ValidationError as error:
            errors.update(error.message_dict)

    check("ended_at", lambda: _aware(values.get("ended_at"), field="ended_at"))
    check("caller_type", lambda: _choice(values.get("caller_type"), CallerType.values, field="caller_type"))
    check("language", lambda: _choice(values.get("language"), Language.values, field="language"))
    check("reason", lambda: _choice(values.get("reason"), Reason.values, field="reason"))
    check("urgency", lambda: _choice(values.get("urgency"), Urgency.values, field="urgency"))
    check(
        "region",
        lambda: _choice(
            values.get("region"), [r for r, _label in REGION_CHOICES], field="region", required=False
        ),
    )
    country = str(values.get("country") or "").strip().upper()
    if country and not _COUNTRY.match(country):
        errors["country"] = [_("Enter a two-letter ISO 3166 country code, such as TR.")]
    clean["country"] = country
    if clean.get("region") and country and country != "AZ":
        errors["region"] = [_("Give a region of Azerbaijan or another country, not both.")]
    check("summary", lambda: _text(values.get("summary"), field="summary"))
    raw_actions = values.get("actions") or []
    if isinstance(raw_actions, str):
        raw_actions = [raw_actions]
    actions: list[str] = []
    for item in raw_actions:
        if item not in Action.values:
            errors["actions"] = [_("Choose one of the offered values.")]
        elif item not in actions:
            actions.append(str(item))
    clean["actions"] = [a for a in Action.values if a in actions]
    consented = bool(values.get("caller_consented"))
    clean["caller_consented"] = consented
    check("caller_name", lambda: _text(values.get("caller_name"), field="caller_name", limit=MAX_SHORT))
    check("caller_phone", lambda: _text(values.get("caller_phone"), field="caller_phone", limit=40))
    if not consented and (clean.get("caller_name") or clean.get("caller_phone")):
        errors["caller_consented"] = [
            _("The caller's name and number are recorded only when the caller consents.")
        ]
    ended = clean.get("ended_at")
    if ended is not None:
        if ended < started_at:
            errors["ended_at"] = [_("The call cannot end before it started.")]
        elif ended > timezone.now() + CLOCK_SKEW:
            errors["ended_at"] = [_("The call cannot end in the future.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _atd_departments() -> list[Organisation]:
    return list(Organisation.objects.filter(org_type=OrgType.POLICE_ATD, is_active=True).order_by("pk"))


def create_alert(call: Call, *, actor: Any) -> list[Alert]:
    """Put an immediate-danger call on the duty list of every active ATD department (same transaction).

    Called by :func:`record_call` and :func:`update_call`; the alert carries
    an encrypted copy of the summary. Records ``hotline.alert.create``.
    """
    if call.urgency != Urgency.IMMEDIATE_DANGER:
        raise ValidationError(_("Only an immediate-danger call raises an alert."))
    now = timezone.now()
    alerts = []
    with transaction.atomic():
        for department in _atd_departments():
            alert = Alert(organisation=department, call=call, summary=call.summary, created_at=now)
            alert.save(force_insert=True)
            alerts.append(alert)
            record_event(
                "hotline.alert.create",
                actor=actor,
                target=alert,
                payload={"call": str(call.pk), "organisation": department.pk},
            )
    return alerts


def record_call(
    *,
    actor: Any,
    idempotency_key: Any,
    started_at: Any,
    callback_due_at: dt.datetime | None = None,
    callback_code_word: str = "",
    **values: Any,
) -> tuple[Call, bool]:
    """Record a call taken by ``actor`` for their line; returns ``(call, created)``.

    Idempotent on ``idempotency_key``: the same key again returns the call
    already recorded (nothing new is written). Raises ``PermissionDenied``
    (not a hotline account) or ``ValidationError`` (ends before it starts,
    unknown reason, identity without consent...; nothing is written).
    Immediate danger raises an alert to ATD in the same transaction; a
    call-back time agrees a call-back. Records ``hotline.call.create``.
    """
    if not access.is_hotline_member(actor):
        raise PermissionDenied
    try:
        key = uuid.UUID(str(idempotency_key))
    except ValueError:
        raise ValidationError({"idempotency_key": _("The form is out of date; open it again.")}) from None
    existing = _existing(actor, key)
    if existing is not None:
        return existing, False
    started = _aware(started_at, field="started_at")
    if started > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"started_at": _("The call cannot start in the future.")})
    clean = _call_values(values, started_at=started)
    if callback_due_at is not None and Action.CALLBACK_AGREED not in clean["actions"]:
        clean["actions"] = [a for a in Action.values if a in [*clean["actions"], Action.CALLBACK_AGREED]]
    if Action.CALLBACK_AGREED in clean["actions"] and callback_due_at is None:
        raise ValidationError({"callback_due_at": _("Give the safe time to call back.")})
    call = Call(
        idempotency_key=key,
        organisation_id=actor.organisation_id,
        operator=actor,
        started_at=started,
        referred=any(a in REFERRAL_ACTIONS for a in clean["actions"]),
        handed_to_atd=Action.REFERRED_TO_ATD in clean["actions"],
        **clean,
    )
    try:
        with transaction.atomic():
            call.save(force_insert=True)
            record_event(
                "hotline.call.create",
                actor=actor,
                target=call,
                payload={
                    "reason": call.reason,
                    "urgency": call.urgency,
                    "caller_type": call.caller_type,
                    "actions": call.actions,
                    "caller_identity": call.caller_consented and bool(call.caller_name or call.caller_phone),
                },
            )
            if call.urgency == Urgency.IMMEDIATE_DANGER:
                create_alert(call, actor=actor)
            if callback_due_at is not None:
                _agree(call, actor=actor, due_at=callback_due_at, code_word=callback_code_word)
    except IntegrityError:
        # The same form sent twice at the same moment: the other request recorded it.
        existing = _existing(actor, key)
        if existing is None:
            raise
        return existing, False
    return call, True


def _existing(actor: Any, key: uuid.UUID) -> Call | None:
    call = Call.objects.filter(idempotency_key=key).first()
    if call is None:
        return None
    if call.organisation_id != actor.organisation_id:
        raise ValidationError({"idempotency_key": _("This key was already used for another call.")})
    return call


def update_call(call: Call, *, actor: Any, expected_version: int, **changes: Any) -> Call:
    """Change a call the actor's line took, if nobody saved it since ``expected_version``.

    Raises ``NotVisible``/``PermissionDenied``, ``ConflictError`` or
    ``ValidationError``. Becoming immediate danger raises the alert.
    Records ``hotline.call.update`` (personal fields redacted).
    """
    call = access.get_call_for_user(actor, call.pk, write=True)
    unknown = set(changes) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Not editable call fields: {sorted(unknown)}")
    before = {name: getattr(call, name) for name in CALL_FIELDS}
    merged = {**before, **changes}
    clean = _call_values(merged, started_at=call.started_at)
    if int(expected_version) != call.version:
        raise ConflictError
    for name, value in clean.items():
        setattr(call, name, value)
    call.referred = any(a in REFERRAL_ACTIONS for a in call.actions)
    call.handed_to_atd = call.handed_to_atd or Action.REFERRED_TO_ATD in call.actions
    with transaction.atomic():
        save_versioned(call, expected_version=expected_version)
        record_event(
            "hotline.call.update",
            actor=actor,
            target=call,
            payload=redacted_changes(before, clean, personal=PERSONAL_FIELDS),
        )
        if call.urgency == Urgency.IMMEDIATE_DANGER and not call.alerts.exists():
            create_alert(call, actor=actor)
    return call


def acknowledge_alert(alert: Alert, *, actor: Any) -> Alert:
    """An ATD duty officer takes the alert (once). Records ``hotline.alert.acknowledge``."""
    alert = access.get_alert_for_user(actor, alert.pk, write=True)
    with transaction.atomic():
        fresh = Alert.objects.select_for_update().get(pk=alert.pk)
        if fresh.acknowledged_at is not None:
            raise ValidationError(_("This alert was already acknowledged."), code="acknowledged")
        fresh.acknowledged_at, fresh.acknowledged_by = timezone.now(), actor
        fresh.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_event(
            "hotline.alert.acknowledge", actor=actor, target=fresh, payload={"call": str(fresh.call_id)}
        )
    return fresh


def _agree(call: Call, *, actor: Any, due_at: Any, code_word: str) -> Callback:
    due = _aware(due_at, field="callback_due_at")
    if due < call.started_at:
        raise ValidationError({"callback_due_at": _("The call-back cannot be before the call.")})
    callback = Callback(
        call=call,
        due_at=due,
        code_word=_text(code_word, field="code_word", limit=MAX_SHORT),
        created_by=actor,
    )
    callback.save(force_insert=True)
    record_event(
        "hotline.callback.agree",
        actor=actor,
        target=callback,
        payload={"call": str(call.pk), "code_word": bool(callback.code_word)},
    )
    return callback


def agree_callback(call: Call, *, actor: Any, due_at: dt.datetime, code_word: str = "") -> Callback:
    """Agree a call-back at a safe time, with an optional code word. Records ``hotline.callback.agree``."""
    call = access.get_call_for_user(actor, call.pk, write=True)
    with transaction.atomic():
        callback = _agree(call, actor=actor, due_at=due_at, code_word=code_word)
        if Action.CALLBACK_AGREED not in call.actions:
            call.actions = [a for a in Action.values if a in [*call.actions, Action.CALLBACK_AGREED]]
            Call.objects.filter(pk=call.pk).update(actions=call.actions)
    return callback


def complete_callback(
    callback: Callback, *, actor: Any, expected_version: int, missed: bool = False
) -> Callback:
    """Mark an agreed call-back done (or missed). Records ``hotline.callback.complete``."""
    callback = access.get_callback_for_user(actor, callback.pk)
    if callback.status != CallbackStatus.AGREED:
        raise ValidationError(_("This call-back is no longer open."), code="closed")
    callback.status = CallbackStatus.MISSED if missed else CallbackStatus.DONE
    callback.done_at, callback.done_by = timezone.now(), actor
    with transaction.atomic():
        save_versioned(callback, expected_version=expected_version, fields=["status", "done_at", "done_by"])
        record_event(
            "hotline.callback.complete",
            actor=actor,
            target=callback,
            payload={"call": str(callback.call_id), "status": callback.status},
        )
    return callback


# --- Hand-over to the referral mechanism ---------------------------------------------------------

HAND_OVER = "hotline.call.hand_over"
LINK_CASE = "hotline.call.link_case"
# Callers who are the person concerned: their consented name goes on the case, and an adult's
# consent to the referral is theirs to give. Anybody else reports someone who is not on the line.
CALLER_IS_THE_PERSON = (CallerType.VICTIM, CallerType.POTENTIAL_VICTIM)


class _HandedOverMeanwhile(Exception):
    """Another request opened a case from the same call first (rolls this one back)."""


def _birth_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"birth_year": _("Enter a year, such as 1998.")}) from None
    if not 1900 <= year <= timezone.localdate().year:
        raise ValidationError({"birth_year": _("Enter a year between 1900 and this year.")})
    return year


def _opened_case(actor: Any, call: Call) -> Any:
    """The case ``call`` already opened, if ``actor`` sees it (a clear error otherwise, nothing written)."""
    from azad.cases.access import get_case_for_user

    try:
        return get_case_for_user(actor, call.opened_case_id)
    except NotVisible:
        raise ValidationError(_("This call was already handed over to a case."), code="handed_over") from None


def _mark_handed_over(call: Call, case: Any) -> Call:
    """Record on the call (row locked) that it opened ``case``, was referred to ATD and is linked to it."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.opened_case_id is not None:
        raise _HandedOverMeanwhile
    locked.opened_case = case
    locked.actions = [a for a in Action.values if a in [*locked.actions, Action.REFERRED_TO_ATD]]
    locked.referred = locked.handed_to_atd = True
    try:
        save_versioned(
            locked,
            expected_version=locked.version,
            fields=["opened_case", "actions", "referred", "handed_to_atd"],
        )
    except ConflictError:
        raise _HandedOverMeanwhile from None
    locked.cases.add(case)
    return locked


def hand_over_to_atd(
    call: Call,
    *,
    actor: Any,
    consent: bool = False,
    representative_name: str = "",
    legal_ground: str = "",
    birth_year: Any = None,
) -> tuple[Any, bool]:
    """From a call, in one action: open the presumed victim's case, refer it to ATD, link the call.

    Returns ``(case, created)``. One transaction, all or nothing, as the
    screening's :func:`~azad.screening.services.refer_screening_to_atd`: a
    person (the caller's consented name if the caller is the person concerned,
    otherwise unnamed; ``birth_year`` if known — without it the person is
    treated as a child) and a case owned by the actor's organisation, first
    contact at the call's start, channel hotline; the consent to the referral
    to ATD as given on the call (an adult's own, only if they are the caller;
    for a child their legal representative's, named); the referral to ATD,
    whose 24-hour clock runs from the call's start; the call marked referred
    to ATD and linked to the case. Without consent only police and
    child-protection officers may refer, on a ``legal_ground`` (the referral
    mechanism's rule). ATD opening a case itself needs neither (its own case
    starts at "referred to ATD").

    A call opens at most one case: handing the same call over again (a double
    submit, a retry) returns the case it opened with ``created`` false and
    writes nothing. Raises ``NotVisible``/``PermissionDenied`` or
    ``ValidationError`` (nothing written). Records ``person.create``,
    ``cases.case.create``, ``cases.consent.record``, ``cases.referral.create``
    and ``hotline.call.hand_over``.
    """
    from azad.cases import services as case_services
    from azad.cases.access import is_atd_member, may_record_legal_ground
    from azad.cases.choices import ConsentGiver, ConsentPurpose, ConsentStatus, ContactChannel, Stage
    from azad.persons.services import create_person

    call = access.get_call_for_user(actor, call.pk)
    if not access.may_hand_over(actor, call):
        raise PermissionDenied
    if call.opened_case_id is not None:
        return _opened_case(actor, call), False
    by_atd = is_atd_member(actor)
    representative = _text(representative_name, field="representative_name", limit=MAX_SHORT)
    ground = "" if consent else _text(legal_ground, field="legal_ground")
    year = _birth_year(birth_year)
    if not by_atd and not consent:
        if not ground:
            raise ValidationError(
                {
                    "consent": _(
                        "A case is referred to ATD with the consent of the person (for a child, of their "
                        "legal representative). Without it, record “Referred to ATD” on the call: ATD then "
                        "takes it up."
                    )
                },
                code="no_consent",
            )
        if not may_record_legal_ground(actor):
            raise ValidationError(
                {
                    "legal_ground": _(
                        "Only police and child-protection officers may refer without consent on a legal ground."
                    )
                },
                code="no_legal_ground_right",
            )
    the_person = call.caller_type in CALLER_IS_THE_PERSON
    names = call.caller_name.split() if the_person and call.caller_consented else []
    try:
        with transaction.atomic():
            person = create_person(
                actor=actor,
                first_name=names[0] if names else "",
                last_name=" ".join(names[1:]),
                birth_year=year,
            )
            case = case_services.create_case(
                actor=actor, person=person, first_contact_at=call.started_at, channel=ContactChannel.HOTLINE
            )
            basis = "atd_own_case"
            if case.stage != Stage.REFERRED_TO_ATD:
                atd = case_services.atd_organisation()
                if consent:
                    if case.is_child:
                        given_by = ConsentGiver.LEGAL_REPRESENTATIVE
                    elif the_person:
                        given_by = ConsentGiver.PERSON
                    else:
                        raise ValidationError(
                            {
                                "consent": _(
                                    "An adult consents for themselves, and this caller is not the person "
                                    "concerned. Record “Referred to ATD” on the call instead: ATD then takes "
                                    "it up."
                                )
                            },
                            code="not_the_person",
                        )
                    case_services.record_consent(
                        case,
                        actor=actor,
                        expected_version=case.version,
                        purpose=ConsentPurpose.REFERRAL,
                        status=ConsentStatus.GIVEN,
                        given_by=given_by,
                        representative_name=representative,
                        to_organisation=atd,
                        answered_at=min(call.ended_at, timezone.now()),
                    )
                    case.refresh_from_db()
                case_services.refer_to_atd(
                    case, actor=actor, expected_version=case.version, legal_ground=ground, to_organisation=atd
                )
                case.refresh_from_db()
                basis = "consent" if consent else "legal_ground"
            marked = _mark_handed_over(call, case)
            record_event(
                HAND_OVER,
                actor=actor,
                target=marked,
                payload={"case": str(case.pk), "basis": basis, "is_child": case.is_child},
            )
    except _HandedOverMeanwhile:
        # The same form sent twice at the same moment: the other request opened the case.
        return _opened_case(actor, Call.objects.get(pk=call.pk)), False
    return case, True


def link_call_to_case(call: Call, *, actor: Any, case_id: Any) -> Any:
    """Link a call to an existing case the actor sees (several calls may share one case).

    ``case_id`` is the case's identifier or its eight-character reference. A
    case the actor cannot see -> ``NotVisible`` (404, with a message saying
    nothing was linked); a case already linked -> ``ValidationError``.
    Records ``hotline.call.link_case``.
    """
    call = access.get_call_for_user(actor, call.pk)
    if not access.may_hand_over(actor, call):
        raise PermissionDenied
    if str(case_id or "").strip() == "":
        raise ValidationError({"case_id": _("Give the reference of the case.")}, code="required")
    case = access.find_case_for_user(actor, case_id)
    with transaction.atomic():
        if call.cases.filter(pk=case.pk).exists():
            raise ValidationError(_("This call is already linked to that case."), code="linked")
        call.cases.add(case)
        record_event(LINK_CASE, actor=actor, target=call, payload={"case": str(case.pk), "created": False})
    return case


ARTICLE_FIELDS = (
    "slug",
    "kind",
    "topic",
    "title_az",
    "title_en",
    "title_ru",
    "body_az",
    "body_en",
    "body_ru",
)


def save_article(
    *, actor: Any, article: KnowledgeArticle | None = None, expected_version: int | None = None, **values: Any
) -> KnowledgeArticle:
    """Create or change a knowledge-base article (the hotline supervisor). Records ``hotline.article.save``."""
    if article is not None:
        article = access.get_article_for_user(actor, article.pk, write=True)
    elif not access.is_hotline_supervisor(actor):
        raise PermissionDenied
    unknown = set(values) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable article fields: {sorted(unknown)}")
    target = article or KnowledgeArticle()
    before = {name: getattr(target, name) for name in ARTICLE_FIELDS}
    for name, value in values.items():
        setattr(target, name, str(value or "").strip())
    errors: dict[str, Any] = {}
    if target.kind not in ArticleKind.values:
        errors["kind"] = [_("Choose one of the offered values.")]
    if target.topic not in Topic.values:
        errors["topic"] = [_("Choose one of the offered values.")]
    if errors:
        raise ValidationError(errors)
    target.updated_by = actor
    target.full_clean(exclude=["updated_by"], validate_unique=False)
    dup = KnowledgeArticle.objects.filter(slug=target.slug)
    if target.pk is not None:
        dup = dup.exclude(pk=target.pk)
    if dup.exists():
        raise ValidationError({"slug": _("Another article has this short name.")})
    with transaction.atomic():
        if article is None:
            target.save(force_insert=True)
        else:
            if expected_version is None:
                raise ValidationError({"version": _("This field is required.")})
            save_versioned(target, expected_version=expected_version)
        after = {name: getattr(target, name) for name in ARTICLE_FIELDS}
        record_event(
            "hotline.article.save",
            actor=actor,
            target=target,
            payload={"created": article is None, "changes": sorted(redacted_changes(before, after))},
        )
    return target


__all__ = [
    "ConflictError",
    "NotVisible",
    "acknowledge_alert",
    "agree_callback",
    "complete_callback",
    "create_alert",
    "hand_over_to_atd",
    "link_call_to_case",
    "record_call",
    "save_article",
    "update_call",
]
