"""The only code that writes screenings and the catalogue: checks, writes and audits in one transaction.

Audit payloads name fields and count answers; they never hold an answer, a
note, an age or a result, since next to the screening's id each would say
something about one person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from azad.audit.services import record_event
from azad.core.locking import ConflictError, save_versioned
from azad.persons.access import get_person_for_user
from azad.persons.models import ADULT_AGE, Person
from azad.screening import access, loader, rules
from azad.screening.choices import AgeBasis, Answer, Exploitation, Outcome, Population, Status
from azad.screening.models import NOTE_MAX_LENGTH, Indicator, IndicatorList, Screening, ScreeningAnswer

MAX_AGE = 130

START = "screening.screening.start"
SAVE_ANSWERS = "screening.screening.save_answers"
COMPLETE = "screening.screening.complete"
DISCARD = "screening.screening.discard"
REFER = "screening.screening.refer"
LOAD_LIST = "screening.catalogue.load"


# --- Age and list ------------------------------------------------------------------


@dataclass(frozen=True)
class AgeDecision:
    """The age that chooses the list, where it came from, and the population it gives."""

    age: int | None
    basis: str
    population: str


def _age_from_date(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _as_date(value: Any, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Enter the date as YYYY-MM-DD."))
        return None


def _as_int(value: Any, field: str, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return None
    if isinstance(value, float) and value != number:
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return None
    return number


def decide_age(
    *,
    age: Any = None,
    birth_date: Any = None,
    birth_year: Any = None,
    person: Person | None = None,
    today: dt.date | None = None,
) -> AgeDecision:
    """Choose the population (adult or child) from whatever age data there is.

    Sources: a stated age, a date of birth, a year of birth, and the linked
    person's record. They must agree, and no date may lie in the future;
    otherwise ``ValidationError`` names the contradiction. The most precise
    source wins (date, then stated age, then year; with only a year, the lower
    of the two possible ages, so doubt falls on the side of childhood). No age
    at all, or under 18: a child.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    stated = _as_int(age, "age", errors)
    born = _as_date(birth_date, "birth_date", errors)
    year = _as_int(birth_year, "birth_year", errors)
    if person is not None:
        recorded_date = person.birth_date_value
        if recorded_date is not None:
            if born is not None and born != recorded_date:
                errors.setdefault("birth_date", []).append(
                    _("The date of birth differs from the one in the person's record.")
                )
            born = born or recorded_date
        if person.birth_year is not None:
            if year is not None and year != person.birth_year:
                errors.setdefault("birth_year", []).append(
                    _("The year of birth differs from the one in the person's record.")
                )
            year = year if year is not None else person.birth_year
    if errors:
        raise ValidationError(errors, code="invalid")

    if stated is not None and not 0 <= stated <= MAX_AGE:
        errors.setdefault("age", []).append(
            _("The age must be between 0 and %(max)s years.") % {"max": MAX_AGE}
        )
    if born is not None and born > today:
        errors.setdefault("birth_date", []).append(_("The date of birth is in the future."))
    if year is not None and year > today.year:
        errors.setdefault("birth_year", []).append(_("The year of birth is in the future."))
    if errors:
        raise ValidationError(errors, code="contradictory_age")

    if born is not None and year is not None and born.year != year:
        errors.setdefault("birth_year", []).append(_("The year of birth differs from the date of birth."))
    if stated is not None and born is not None and _age_from_date(born, today) != stated:
        errors.setdefault("age", []).append(
            _("The stated age (%(stated)s) differs from the age by the date of birth (%(computed)s).")
            % {"stated": stated, "computed": _age_from_date(born, today)}
        )
    if stated is not None and year is not None and not today.year - year - 1 <= stated <= today.year - year:
        errors.setdefault("age", []).append(
            _("The stated age (%(stated)s) does not fit the year of birth (%(year)s).")
            % {"stated": stated, "year": year}
        )
    if errors:
        raise ValidationError(errors, code="contradictory_age")

    if born is not None:
        decided, basis = _age_from_date(born, today), AgeBasis.BIRTH_DATE
    elif stated is not None:
        decided, basis = stated, AgeBasis.STATED
    elif year is not None:
        decided, basis = max(0, today.year - year - 1), AgeBasis.BIRTH_YEAR
    else:
        decided, basis = None, AgeBasis.UNKNOWN
    population = Population.ADULT if decided is not None and decided >= ADULT_AGE else Population.CHILD
    return AgeDecision(age=decided, basis=basis.value, population=population.value)


def find_list_version(key: str) -> IndicatorList:
    """The list version ``key`` names ("code@version", or "code" for its latest version)."""
    code, _sep, version = str(key).strip().partition("@")
    lists = IndicatorList.objects.filter(code=code)
    try:
        if version:
            return lists.get(version=int(version))
        latest = lists.order_by("-version").first()
    except (IndicatorList.DoesNotExist, ValueError):
        latest = None
    if latest is None:
        raise ValidationError(
            {"list": [_("The indicator list %(key)s does not exist.") % {"key": key}]}, code="unknown_list"
        )
    return latest


def usable(indicator_list: IndicatorList) -> bool:
    """Whether a list version can be used for screening (it has indicators)."""
    return len(indicator_list.indicator_set()) > 0


def choose_list(population: str, exploitation: str, *, list_key: str = "") -> IndicatorList:
    """The list version a screening uses.

    With ``list_key`` ("code@version" or "code"), that version, if it exists,
    has indicators and is for the same population (a child is never screened
    against an adult list, nor an adult against a child list). Without it, the
    latest verified version with indicators for the population and the
    exploitation (the most recently loaded such list, if several). Otherwise
    ``ValidationError`` says what is missing.
    """
    if exploitation not in Exploitation.values:
        raise ValidationError(
            {"suspected_exploitation": [_("Choose the suspected exploitation: labour or sexual.")]},
            code="invalid",
        )
    if list_key:
        chosen = find_list_version(list_key)
        if chosen.population != population:
            raise ValidationError(
                {
                    "list": [
                        _(
                            "The list %(key)s is for %(list_population)s; this person is screened as %(population)s."
                        )
                        % {
                            "key": chosen.key,
                            "list_population": Population(chosen.population).label,
                            "population": Population(population).label,
                        }
                    ]
                },
                code="wrong_population",
            )
        if not usable(chosen):
            raise ValidationError(
                {"list": [_("The list %(key)s has no indicators and cannot be used.") % {"key": chosen.key}]},
                code="empty_list",
            )
        return chosen
    candidates = (
        IndicatorList.objects.filter(population=population, exploitation=exploitation, verified=True)
        .filter(indicators__isnull=False)
        .distinct()
    )
    latest_versions = candidates.values("code").annotate(latest=Max("version"))
    chosen_list = None
    for row in latest_versions:
        version = candidates.get(code=row["code"], version=row["latest"])
        if chosen_list is None or version.loaded_at > chosen_list.loaded_at:
            chosen_list = version
    if chosen_list is None:
        raise ValidationError(
            {
                "list": [
                    _(
                        "No verified indicator list for %(population)s and %(exploitation)s is loaded. "
                        "Choose a list yourself, or ask an administrator to load one."
                    )
                    % {
                        "population": Population(population).label,
                        "exploitation": Exploitation(exploitation).label,
                    }
                ]
            },
            code="no_list",
        )
    return chosen_list


# --- Answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedAnswers:
    """Answers and notes that passed :func:`check_answers`, with the indicators they name."""

    answers: dict[str, str]
    notes: dict[str, str]
    indicators: dict[str, Indicator]


def check_answers(
    indicator_list: IndicatorList,
    answers: Mapping[str, Any],
    notes: Mapping[str, Any] | None = None,
    *,
    rows: bool = True,
) -> CheckedAnswers:
    """Check answers (id -> yes/no/unknown) and notes (id -> text) against one list version.

    Every unknown id, id from another list or version, answer other than
    yes/no/unknown and note too long is named in one ``ValidationError``.
    With ``rows=False`` (evaluating without saving) the ids are checked
    against the cached indicator set and no indicator rows are fetched.
    """
    notes = dict(notes or {})
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": [_("Send the answers as an object: indicator id -> answer.")]})
    codes = {str(code) for code in [*answers, *notes]}
    indicators: dict[str, Indicator] = {}
    if rows:
        indicators = {i.code: i for i in indicator_list.indicators.filter(code__in=codes)}
        known: Any = indicators
    else:
        known = indicator_list.indicator_set().by_id
    problems: list[str] = []
    missing = sorted(code for code in codes if code not in known)
    if missing:
        elsewhere = dict(
            Indicator.objects.filter(code__in=missing)
            .exclude(indicator_list=indicator_list)
            .order_by("indicator_list__code", "-indicator_list__version")
            .values_list("code", "indicator_list__code")
        )
        for code in missing:
            if code in elsewhere:
                problems.append(
                    _("The indicator %(id)s belongs to the list %(other)s, not to %(list)s.")
                    % {"id": code, "other": elsewhere[code], "list": indicator_list.key}
                )
            else:
                problems.append(_("Unknown indicator id: %(id)s.") % {"id": code})
    checked_answers: dict[str, str] = {}
    for code, answer in answers.items():
        value = str(answer).strip().lower() if isinstance(answer, str) else answer
        if value not in Answer.values:
            problems.append(_("The answer to %(id)s must be yes, no or unknown.") % {"id": code})
        else:
            checked_answers[str(code)] = value
    checked_notes: dict[str, str] = {}
    for code, note in notes.items():
        if not isinstance(note, str):
            problems.append(_("The note on %(id)s must be text.") % {"id": code})
            continue
        text = note.strip()
        if len(text) > NOTE_MAX_LENGTH:
            problems.append(
                _("The note on %(id)s is longer than %(max)s characters.")
                % {"id": code, "max": NOTE_MAX_LENGTH}
            )
        checked_notes[str(code)] = text
    if problems:
        raise ValidationError({"answers": problems}, code="invalid_answers")
    return CheckedAnswers(answers=checked_answers, notes=checked_notes, indicators=indicators)


def _require_something_answered(answers: Mapping[str, str]) -> None:
    if not any(answer in (Answer.YES, Answer.NO) for answer in answers.values()):
        raise ValidationError(
            {"answers": [_("The screening is empty: answer at least one indicator with yes or no.")]},
            code="empty",
        )


def _write_answers(screening: Screening, checked: CheckedAnswers) -> tuple[int, int]:
    """Insert or update answer rows; returns (answers changed, notes changed)."""
    existing = {a.indicator.code: a for a in screening.answers.select_related("indicator")}
    changed_answers = changed_notes = 0
    for code in sorted(set(checked.answers) | set(checked.notes)):
        row = existing.get(code)
        answer = checked.answers.get(code, row.answer if row is not None else Answer.UNKNOWN)
        note = checked.notes.get(code, row.note if row is not None else "")
        if row is None:
            if answer == Answer.UNKNOWN and not note:
                continue
            ScreeningAnswer(
                screening=screening, indicator=checked.indicators[code], answer=answer, note=note
            ).save(force_insert=True)
            changed_answers += 1
            changed_notes += bool(note)
            continue
        fields = []
        if row.answer != answer:
            row.answer = answer
            fields.append("answer")
            changed_answers += 1
        if row.note != note:
            row.note = note
            fields.append("note")
            changed_notes += 1
        if fields:
            row.save(update_fields=fields)
    return changed_answers, changed_notes


def _draft_for(actor: Any, screening: Screening) -> Screening:
    """The screening re-read for writing: visible, the actor's organisation, still a draft."""
    fresh = access.get_screening_for_user(actor, screening.pk, write=True)
    if fresh.status != Status.DRAFT:
        raise ValidationError(
            _("This screening is %(status)s and can no longer change. Start a new screening instead.")
            % {"status": Status(fresh.status).label},
            code="not_draft",
        )
    return fresh


# --- Screenings ---------------------------------------------------------------------


def start_screening(
    *,
    actor: Any,
    suspected_exploitation: str,
    age: Any = None,
    birth_date: Any = None,
    birth_year: Any = None,
    person: Person | Any = None,
    list_key: str = "",
    answers: Mapping[str, Any] | None = None,
    notes: Mapping[str, Any] | None = None,
    replaces: Screening | None = None,
) -> Screening:
    """Start a draft screening for the actor's organisation, optionally of a recorded person.

    The list version is chosen from the age data and the suspected
    exploitation (see :func:`decide_age` and :func:`choose_list`); answers
    given here are saved with it. Raises ``PermissionDenied`` (no write access
    to screenings or no organisation), ``NotVisible`` (a person the actor may
    not see) or ``ValidationError`` (bad input; nothing is written). Records
    ``screening.screening.start``.
    """
    if not access.can_screen(actor):
        raise PermissionDenied
    if person is not None:
        person = get_person_for_user(actor, person.pk if isinstance(person, Person) else person)
    decision = decide_age(age=age, birth_date=birth_date, birth_year=birth_year, person=person)
    indicator_list = choose_list(decision.population, suspected_exploitation, list_key=list_key)
    return _create(
        actor=actor,
        decision=decision,
        indicator_list=indicator_list,
        suspected_exploitation=suspected_exploitation,
        person=person,
        checked=check_answers(indicator_list, answers or {}, notes),
        replaces=replaces,
    )


def _create(
    *,
    actor: Any,
    decision: AgeDecision,
    indicator_list: IndicatorList,
    suspected_exploitation: str,
    person: Person | None,
    checked: CheckedAnswers,
    replaces: Screening | None,
) -> Screening:
    screening = Screening(
        indicator_list=indicator_list,
        person=person,
        organisation_id=actor.organisation_id,
        screener=actor,
        suspected_exploitation=suspected_exploitation,
        population=decision.population,
        age=decision.age,
        age_basis=decision.basis,
        replaces=replaces,
    )
    with transaction.atomic():
        screening.save(force_insert=True)
        answered, noted = _write_answers(screening, checked)
        payload: dict[str, Any] = {"with_person": person is not None, "answers": answered, "notes": noted}
        if replaces is not None:
            payload["replaces"] = str(replaces.pk)
        record_event(START, actor=actor, target=screening, payload=payload)
    return screening


def save_answers(
    screening: Screening,
    *,
    actor: Any,
    expected_version: int,
    answers: Mapping[str, Any],
    notes: Mapping[str, Any] | None = None,
) -> Screening:
    """Save a draft's answers and notes (only the ids given change).

    Raises ``NotVisible`` / ``PermissionDenied``, ``ConflictError`` if the
    screening was saved since ``expected_version``, or ``ValidationError``
    (unknown ids, ids of another list, bad answers, a completed screening);
    nothing is written then. Saving no change writes nothing.
    """
    fresh = _draft_for(actor, screening)
    if int(expected_version) != fresh.version:
        raise ConflictError
    checked = check_answers(fresh.indicator_list, answers, notes)
    with transaction.atomic():
        answered, noted = _write_answers(fresh, checked)
        if answered or noted:
            save_versioned(fresh, expected_version=expected_version, fields=["updated_at"])
            record_event(
                SAVE_ANSWERS, actor=actor, target=fresh, payload={"answers": answered, "notes": noted}
            )
    return fresh


def complete_screening(
    screening: Screening,
    *,
    actor: Any,
    expected_version: int,
    answers: Mapping[str, Any] | None = None,
    notes: Mapping[str, Any] | None = None,
) -> Screening:
    """Evaluate a draft with its list version and store the result and its explanation.

    Answers given here are saved first, in the same transaction. An empty
    screening (nothing answered yes or no) is refused. The stored result is
    never recomputed afterwards. Records ``screening.screening.complete``.
    """
    fresh = _draft_for(actor, screening)
    if int(expected_version) != fresh.version:
        raise ConflictError
    checked = check_answers(fresh.indicator_list, answers or {}, notes)
    with transaction.atomic():
        answered, noted = _write_answers(fresh, checked)
        stored = fresh.answer_map()
        _require_something_answered(stored)  # raising here rolls back the answers just written
        evaluation = rules.evaluate(fresh.indicator_list.indicator_set(), stored)
        fresh.status = Status.COMPLETED
        fresh.outcome = evaluation.outcome.value
        fresh.explanation = evaluation.to_dict()
        fresh.completed_at = timezone.now()
        save_versioned(
            fresh,
            expected_version=expected_version,
            fields=["status", "outcome", "explanation", "completed_at", "updated_at"],
        )
        record_event(
            COMPLETE,
            actor=actor,
            target=fresh,
            payload={"answers_changed": answered, "notes_changed": noted, "answered": evaluation.answered},
        )
    return fresh


def discard_screening(screening: Screening, *, actor: Any, expected_version: int) -> Screening:
    """Set a draft aside (started by mistake); it is kept, hidden from the usual lists, and cannot change."""
    fresh = _draft_for(actor, screening)
    with transaction.atomic():
        fresh.status = Status.DISCARDED
        save_versioned(fresh, expected_version=expected_version, fields=["status", "updated_at"])
        record_event(DISCARD, actor=actor, target=fresh)
    return fresh


def rescreen(screening: Screening, *, actor: Any, list_key: str = "") -> Screening:
    """A new draft re-evaluating a completed screening with the current (or a chosen) list version.

    The old screening keeps its result; answers to indicators the new version
    still has are copied (with their notes). This is the only way a screening
    meets a newer list: nothing is ever re-scored silently.
    """
    old = access.get_screening_for_user(actor, screening.pk, write=True)
    if not access.can_screen(actor):
        raise PermissionDenied
    if old.status != Status.COMPLETED:
        raise ValidationError(_("Only a completed screening can be re-evaluated."), code="not_completed")
    # The same person, age and population as the screening re-evaluated: only the list version moves.
    new_list = choose_list(
        old.population, old.suspected_exploitation, list_key=list_key or old.indicator_list.code
    )
    rows = list(old.answers.select_related("indicator"))
    kept = set(
        new_list.indicators.filter(code__in=[r.indicator.code for r in rows]).values_list("code", flat=True)
    )
    checked = check_answers(
        new_list,
        {r.indicator.code: r.answer for r in rows if r.indicator.code in kept},
        {r.indicator.code: r.note for r in rows if r.indicator.code in kept and r.note},
    )
    return _create(
        actor=actor,
        decision=AgeDecision(age=old.age, basis=old.age_basis, population=old.population),
        indicator_list=new_list,
        suspected_exploitation=old.suspected_exploitation,
        person=old.person,
        checked=checked,
        replaces=old,
    )


def mark_referred(
    screening: Screening, *, actor: Any, referral_id: Any, to_organisation: Any = None
) -> Screening:
    """Hook for the referral mechanism: the screening's person was referred to the police ATD.

    Sets ``referred_to_atd_at`` (once; a second call with the same referral
    changes nothing) and ``referral_id``, and shares the screening with
    ``to_organisation`` if given. From then on the police ATD sees the
    screening (see :mod:`azad.screening.access`). Only a completed screening
    can be referred. Records ``screening.screening.refer``.
    """
    fresh = access.get_screening_for_user(actor, screening.pk, write=True)
    if fresh.status != Status.COMPLETED:
        raise ValidationError(_("Only a completed screening can be referred."), code="not_completed")
    referral = str(referral_id)[:64]
    with transaction.atomic():
        changed = fresh.referred_to_atd_at is None or fresh.referral_id != referral
        if changed:
            fresh.referred_to_atd_at = fresh.referred_to_atd_at or timezone.now()
            fresh.referral_id = referral
            save_versioned(
                fresh,
                expected_version=fresh.version,
                fields=["referred_to_atd_at", "referral_id", "updated_at"],
            )
        if to_organisation is not None:
            fresh.shared_with.add(to_organisation)
        if changed or to_organisation is not None:
            record_event(
                REFER,
                actor=actor,
                target=fresh,
                payload={
                    "referral_id": referral,
                    "shared_with": getattr(to_organisation, "pk", to_organisation),
                },
            )
    return fresh


def evaluate_answers(
    *,
    answers: Mapping[str, Any],
    list_key: str = "",
    suspected_exploitation: str = "",
    age: Any = None,
    birth_date: Any = None,
    birth_year: Any = None,
) -> tuple[IndicatorList, rules.Evaluation]:
    """Evaluate answers without saving anything (the evaluate endpoint and ``azad screen``).

    The list is ``list_key`` ("code@version", or "code" for the latest), or
    chosen from the age data and the suspected exploitation as for a
    screening. An empty set of answers is refused.
    """
    if list_key and not suspected_exploitation:
        indicator_list = find_list_version(list_key)
        if not usable(indicator_list):
            raise ValidationError(
                {
                    "list": [
                        _("The list %(key)s has no indicators and cannot be used.")
                        % {"key": indicator_list.key}
                    ]
                },
                code="empty_list",
            )
    else:
        if not suspected_exploitation:
            raise ValidationError(
                {"list": [_("Name the list, or give the suspected exploitation so that one can be chosen.")]},
                code="no_list",
            )
        decision = decide_age(age=age, birth_date=birth_date, birth_year=birth_year)
        indicator_list = choose_list(decision.population, suspected_exploitation, list_key=list_key)
    checked = check_answers(indicator_list, answers, rows=False)
    _require_something_answered(checked.answers)
    return indicator_list, rules.evaluate(indicator_list.indicator_set(), checked.answers)


# --- Catalogue ---------------------------------------------------------------------


def load_indicator_list(raw: bytes | str | Any, *, actor: Any) -> tuple[IndicatorList, bool]:
    """Load one list file (all or nothing): returns (list version, created).

    ``actor`` is a system administrator, or a string naming a command
    ("azad load-indicators"). Raises ``PermissionDenied`` or
    :class:`~azad.screening.loader.CatalogueError` listing every problem;
    loading the same version with the same content again changes nothing.
    Records ``screening.catalogue.load`` when a version is added.
    """
    is_command = isinstance(actor, str) and bool(actor)
    if not is_command and not access.can_manage_catalogue(actor):
        raise PermissionDenied
    parsed = loader.parse_list_file(raw)
    loaded_by = actor if is_command else actor.get_username()
    with transaction.atomic():
        indicator_list, created = loader.save_list(
            parsed, list_model=IndicatorList, indicator_model=Indicator, loaded_by=loaded_by
        )
        if created:
            record_event(
                LOAD_LIST,
                actor=actor,
                target=indicator_list,
                payload={
                    "list": indicator_list.key,
                    "indicators": len(parsed.indicators),
                    "verified": parsed.verified,
                    "content_hash": parsed.content_hash,
                },
            )
    return indicator_list, created


def problems_text(error: loader.CatalogueError) -> str:
    """The problems of a refused file as one message."""
    count = len(error.problems)
    head = ngettext(
        "The file was refused (%(count)s problem); nothing was loaded:",
        "The file was refused (%(count)s problems); nothing was loaded:",
        count,
    ) % {"count": count}
    return "\n".join([head, *(f"- {problem}" for problem in error.problems)])


# --- Referral to ATD -------------------------------------------------------------------


def refer_screening_to_atd(
    screening: Screening,
    *,
    actor: Any,
    expected_version: int,
    consent: bool = False,
    representative_name: str = "",
    legal_ground: str = "",
    first_contact_at: dt.datetime | None = None,
    channel: str = "",
) -> Any:
    """From an indicative screening, open the presumed victim's case and refer it to ATD.

    One action, one transaction: the case is opened (its victim context
    pre-filled from the screening's HTCDS values), the person's consent to the
    referral is recorded if given (for a child, their legal representative's),
    the case is referred to ATD — which starts and, being sent, meets the
    24-hour referral clock — and the screening is marked referred so ATD sees
    it. Without consent, only roles that may refer on a legal ground can do it
    (the referral mechanism checks). A screening by ATD itself opens the case
    at "referred to ATD". Returns the case.
    """
    from azad.cases import services as case_services
    from azad.cases.choices import (
        ConsentGiver,
        ConsentPurpose,
        ConsentStatus,
        ControlMethod,
        ExploitationType,
        Stage,
    )

    fresh = access.get_screening_for_user(actor, screening.pk, write=True)
    if fresh.version != int(expected_version):
        raise ConflictError
    if fresh.status != Status.COMPLETED or fresh.outcome != Outcome.INDICATIVE:
        raise ValidationError(
            _("Only a completed screening indicative of trafficking is referred from here.")
        )
    if fresh.referred_to_atd_at is not None:
        raise ValidationError(_("This screening has already been referred."))
    person = fresh.person
    if person is None:
        raise ValidationError(
            {"person": _("Link the screened person to the screening first: a referral is about a person.")}
        )
    context = fresh.htcds_victim_context()
    with transaction.atomic():
        case = case_services.create_case(
            actor=actor,
            person=person,
            first_contact_at=first_contact_at or fresh.started_at,
            channel=channel,
            exploitation_types=[t for t in context["vic_TypeOfExploitation"] if t in ExploitationType.values],
            control_methods=[m for m in context["vic_MethodsOfControl"] if m in ControlMethod.values],
            screening_id=str(fresh.pk),
        )
        referral_id: Any = f"case:{case.pk}"  # ATD's own case: no referral needed
        receiver = None
        if case.stage != Stage.REFERRED_TO_ATD:
            if consent:
                case_services.record_consent(
                    case,
                    actor=actor,
                    expected_version=case.version,
                    purpose=ConsentPurpose.REFERRAL,
                    status=ConsentStatus.GIVEN,
                    given_by=ConsentGiver.LEGAL_REPRESENTATIVE if case.is_child else ConsentGiver.PERSON,
                    representative_name=representative_name,
                )
                case.refresh_from_db()
            referral = case_services.refer_to_atd(
                case, actor=actor, expected_version=case.version, legal_ground=legal_ground
            )
            referral_id, receiver = referral.pk, referral.to_organisation
        mark_referred(fresh, actor=actor, referral_id=referral_id, to_organisation=receiver)
        case.refresh_from_db()
    return case
