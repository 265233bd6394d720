"""Case-level rows in HTCDS 2.0 column names, for an approved export. Never names or contacts.

One row per case the requester sees. Person fields are limited to what the
statistics also use (gender, citizenship, age when first in contact); names,
birth date, documents and contact details are never exported — a need for them
goes through the case pages, where every view is audited. Every cell passes
through :func:`azad.core.spreadsheets.safe_cell` when written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from azad.accounts.choices import OrgType
from azad.cases.choices import HistoricEventType, case_status_for
from azad.cases.models import Case, HistoricEvent
from azad.core.spreadsheets import safe_row
from azad.publication.dataset import BAKU

COLUMNS: tuple[str, ...] = (
    "cas_CaseId",
    "cas_Status",
    "cas_Stage",
    "cas_OwnerOrganisation",
    "cas_FirstContactDate",
    "cas_FirstContactChannel",
    "cas_IncomingReferralDate",
    "cas_ReasonForCaseClosure",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TraffickingStatusDecisionDate",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
    "vic_AgeWhenTrafficked",
    "prs_Gender",
    "prs_Citizenship",
    "hte_RecruitmentCountry",
    "hte_TransitCountry",
    "hte_ExploitationCountry",
    "hte_ExploitationPlace",
)

DECISION_ORG: dict[str, str] = {
    OrgType.POLICE_ATD: "Police",
    OrgType.LAW_ENFORCEMENT: "Police",
    OrgType.NGO: "NGO",
    OrgType.COURT: "CourtOrProsecution",
    OrgType.PROSECUTOR: "CourtOrProsecution",
}


def _date(value: dt.datetime | None) -> str:
    return value.astimezone(BAKU).date().isoformat() if value else ""


def _events(case_ids: list[Any]) -> dict[Any, dict[str, list[str]]]:
    found: dict[Any, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        HistoricEvent.objects.filter(case_id__in=case_ids)
        .order_by("date_from", "recorded_at", "id")
        .values_list("case_id", "event_type", "country", "place")
    )
    for case_id, kind, country, place in rows:
        if country not in found[case_id][kind]:
            found[case_id][kind].append(country)
        if kind == HistoricEventType.EXPLOITATION and place and place not in found[case_id]["place"]:
            found[case_id]["place"].append(place)
    return found


def rows(cases: QuerySet[Case]) -> list[list[Any]]:
    """The export's rows (header first) for ``cases``: three queries whatever their number."""
    selected = list(
        cases.select_related(None)
        .select_related("owner_organisation", "status_decision_organisation", "person")
        .only(
            "id",
            "stage",
            "owner_organisation__name",
            "first_contact_at",
            "first_contact_channel",
            "referred_to_atd_at",
            "closure_reason",
            "trafficking_status",
            "status_decision_organisation__org_type",
            "status_decided_at",
            "exploitation_types",
            "control_methods",
            "person__gender",
            "person__citizenship",
            "person__birth_year",
        )
        .order_by("first_contact_at", "id")
    )
    events = _events([case.pk for case in selected])
    out: list[list[Any]] = [list(COLUMNS)]
    for case in selected:
        person = case.person
        age = None
        if person.birth_year is not None:
            age = case.first_contact_at.astimezone(BAKU).year - person.birth_year
        decision_org = case.status_decision_organisation
        found = events.get(case.pk, {})
        out.append(
            [
                str(case.pk),
                str(case_status_for(case.stage).value),
                case.stage,
                case.owner_organisation.name,
                _date(case.first_contact_at),
                case.first_contact_channel,
                _date(case.referred_to_atd_at),
                case.closure_reason,
                case.trafficking_status,
                DECISION_ORG.get(str(decision_org.org_type), "Other") if decision_org else "",
                _date(case.status_decided_at),
                ";".join(case.exploitation_types or ()),
                ";".join(case.control_methods or ()),
                age if age is not None else "",
                person.gender,
                person.citizenship,
                ";".join(found.get(HistoricEventType.RECRUITMENT, ())),
                ";".join(found.get(HistoricEventType.TRANSIT, ())),
                ";".join(found.get(HistoricEventType.EXPLOITATION, ())),
                ";".join(found.get("place", ())),
            ]
        )
    return out


def to_csv(table: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table:
        writer.writerow(safe_row(row))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("HTCDS")
    for row in table:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
