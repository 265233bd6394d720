"""Turning an evaluation snapshot into sentences people read, in their language.

A completed screening stores the language-free snapshot of
:meth:`azad.screening.rules.Evaluation.to_dict`; the pages, the API and the
``azad screen`` command render it here with the texts of the list version it
was made with (list versions never change, so the explanation never drifts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from azad.screening.choices import DIMENSION_LABELS, REQUIREMENT_LABELS, Grade, Outcome
from azad.screening.models import IndicatorList


@dataclass(frozen=True)
class TickedView:
    """One indicator answered "yes"."""

    id: str
    grade: str
    grade_label: str
    text: str


@dataclass(frozen=True)
class DimensionView:
    """One dimension: positive or not, and the sentence that says why."""

    number: int
    label: str
    positive: bool
    attainable: bool
    required: bool
    strong: int
    medium: int
    weak: int
    unknown: int
    ticked: list[TickedView]
    summary: str


@dataclass(frozen=True)
class RequirementView:
    """One element of the definition: met, still attainable, or not."""

    code: str
    label: str
    met: bool
    attainable: bool
    summary: str


@dataclass(frozen=True)
class ExplanationView:
    """Everything a result page, the API and the command show."""

    outcome: str
    outcome_label: str
    headline: str
    advisory: str
    list_key: str
    list_title: str
    list_verified: bool
    population: str
    answered: int
    dimensions: list[DimensionView] = field(default_factory=list)
    requirements: list[RequirementView] = field(default_factory=list)
    not_required_note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the API."""
        return {
            "list": self.list_key,
            "list_title": self.list_title,
            "list_verified": self.list_verified,
            "population": self.population,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "headline": self.headline,
            "advisory": self.advisory,
            "answered": self.answered,
            "requirements": [
                {
                    "code": r.code,
                    "label": r.label,
                    "met": r.met,
                    "attainable": r.attainable,
                    "summary": r.summary,
                }
                for r in self.requirements
            ],
            "not_required_note": self.not_required_note,
            "dimensions": [
                {
                    "dimension": d.number,
                    "label": d.label,
                    "positive": d.positive,
                    "attainable": d.attainable,
                    "required": d.required,
                    "strong": d.strong,
                    "medium": d.medium,
                    "weak": d.weak,
                    "unknown": d.unknown,
                    "ticked": [{"id": t.id, "grade": t.grade, "text": t.text} for t in d.ticked],
                    "summary": d.summary,
                }
                for d in self.dimensions
            ],
        }


def advisory_text() -> str:
    return _(
        "This result is advisory. It supports, and never replaces, the formal identification "
        "decision of the police anti-trafficking department (ATD)."
    )


def _headline(outcome: str) -> str:
    if outcome == Outcome.INDICATIVE:
        return _(
            "The answers are indicative of trafficking. Refer the person to the police anti-trafficking "
            "department (ATD) within 24 hours, with the person's informed consent or a recorded legal ground."
        )
    if outcome == Outcome.NOT_INDICATIVE:
        return _(
            "The answers are not indicative of trafficking under this list: even if every indicator left "
            "unknown were present, the rule would not be met. This does not establish that the person was "
            "not trafficked; if new facts come to light, screen again."
        )
    return _(
        "There is not enough information to conclude: the rule is not met by the answers so far, but it "
        "could be met by indicators still unknown. Find out more before concluding."
    )


def _counts(strong: int, medium: int, weak: int) -> str:
    parts = []
    if strong:
        parts.append(ngettext("%(count)s strong", "%(count)s strong", strong) % {"count": strong})
    if medium:
        parts.append(ngettext("%(count)s medium", "%(count)s medium", medium) % {"count": medium})
    if weak:
        parts.append(ngettext("%(count)s weak", "%(count)s weak", weak) % {"count": weak})
    return ", ".join(parts)


def _dimension_summary(
    number: int, positive: bool, attainable: bool, counts: str, texts: str, unknown: int
) -> str:
    values = {"number": number, "counts": counts, "texts": texts, "unknown": unknown}
    if positive:
        return _("D%(number)s positive: %(counts)s — %(texts)s.") % values
    if counts:
        if attainable:
            return (
                ngettext(
                    "D%(number)s not positive: %(counts)s — %(texts)s. The %(unknown)s indicator still unknown "
                    "could make it positive.",
                    "D%(number)s not positive: %(counts)s — %(texts)s. The %(unknown)s indicators still unknown "
                    "could make it positive.",
                    unknown,
                )
                % values
            )
        return (
            _(
                "D%(number)s not positive: %(counts)s — %(texts)s. It cannot become positive with the indicators left unknown."
            )
            % values
        )
    if attainable:
        return (
            ngettext(
                "D%(number)s not positive: nothing answered yes; %(unknown)s indicator is still unknown.",
                "D%(number)s not positive: nothing answered yes; %(unknown)s indicators are still unknown.",
                unknown,
            )
            % values
        )
    return _("D%(number)s not positive: nothing answered yes, and it cannot become positive.") % values


def _requirement_summary(code: str, met: bool, attainable: bool, positive: list[int]) -> str:
    label = str(REQUIREMENT_LABELS.get(code, code))
    if met:
        return _("%(label)s: met (%(dimensions)s positive).") % {
            "label": label,
            "dimensions": ", ".join(f"D{d}" for d in positive),
        }
    if attainable:
        return _("%(label)s: not met yet; indicators still unknown could meet it.") % {"label": label}
    return _("%(label)s: not met, and the indicators left unknown cannot meet it.") % {"label": label}


def child_note() -> str:
    return _(
        "For a child, coercion or abuse of vulnerability at destination (D5, D6) is not required: a child is a "
        "victim of trafficking whatever means were used, and a child's consent is irrelevant (Palermo Protocol, "
        "Art. 3(c); Law of the Republic of Azerbaijan on combating trafficking in human beings). These "
        "dimensions are shown for information only."
    )


_TEXTS: dict[tuple[str, str], dict[str, str]] = {}


def indicator_texts(indicator_list: IndicatorList, language: str | None = None) -> dict[str, str]:
    """Indicator id -> text in ``language`` (the active one), cached per process: list versions never change."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    cache_key = (indicator_list.content_hash, language)
    texts = _TEXTS.get(cache_key)
    if texts is None:
        texts = {
            indicator.code: indicator.text(language)
            for indicator in indicator_list.indicators.only("code", "text_az", "text_en", "text_ru")
        }
        _TEXTS[cache_key] = texts
    return texts


def explain(
    snapshot: dict[str, Any], indicator_list: IndicatorList, language: str | None = None
) -> ExplanationView:
    """Render ``snapshot`` (an evaluation's ``to_dict()``) with the texts of ``indicator_list``."""
    texts = indicator_texts(indicator_list, language)
    required = {d for r in snapshot.get("requirements", []) for d in r["dimensions"]}
    dimensions = []
    for row in snapshot.get("dimensions", []):
        ticked = [
            TickedView(
                id=item["id"],
                grade=item["grade"],
                grade_label=str(Grade(item["grade"]).label),
                text=texts.get(item["id"], item["id"]),
            )
            for item in row["ticked"]
        ]
        summary = _dimension_summary(
            row["dimension"],
            row["positive"],
            row["attainable"],
            _counts(row["strong"], row["medium"], row["weak"]),
            ", ".join(t.text for t in ticked),
            row["unknown"],
        )
        dimensions.append(
            DimensionView(
                number=row["dimension"],
                label=str(DIMENSION_LABELS.get(row["dimension"], "")),
                positive=row["positive"],
                attainable=row["attainable"],
                required=row["dimension"] in required,
                strong=row["strong"],
                medium=row["medium"],
                weak=row["weak"],
                unknown=row["unknown"],
                ticked=ticked,
                summary=summary,
            )
        )
    positive = {d.number for d in dimensions if d.positive}
    requirements = [
        RequirementView(
            code=r["code"],
            label=str(REQUIREMENT_LABELS.get(r["code"], r["code"])),
            met=r["met"],
            attainable=r["attainable"],
            summary=_requirement_summary(
                r["code"], r["met"], r["attainable"], [d for d in r["dimensions"] if d in positive]
            ),
        )
        for r in snapshot.get("requirements", [])
    ]
    outcome = snapshot.get("outcome", Outcome.INSUFFICIENT)
    return ExplanationView(
        outcome=outcome,
        outcome_label=str(Outcome(outcome).label),
        headline=_headline(outcome),
        advisory=advisory_text(),
        list_key=indicator_list.key,
        list_title=indicator_list.title(language),
        list_verified=indicator_list.verified,
        population=snapshot.get("population", indicator_list.population),
        answered=snapshot.get("answered", 0),
        dimensions=dimensions,
        requirements=requirements,
        not_required_note=child_note() if snapshot.get("not_required") else "",
    )


def plain_text(view: ExplanationView) -> str:
    """The explanation as plain text (for ``azad screen``)."""
    lines = [
        f"{view.outcome_label}",
        view.headline,
        "",
        _("List: %(title)s (%(key)s)") % {"title": view.list_title, "key": view.list_key},
    ]
    if not view.list_verified:
        lines.append(_("Warning: the grades of this list are not verified against its source."))
    lines.append("")
    lines += [r.summary for r in view.requirements]
    if view.not_required_note:
        lines.append(view.not_required_note)
    lines.append("")
    for dimension in view.dimensions:
        lines.append(f"{dimension.label}: {dimension.summary}")
    lines += ["", view.advisory]
    return "\n".join(lines)
