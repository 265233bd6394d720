"""Cases with a known victim context, for publication tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from azad.cases import services
from azad.cases.tests.factories import World, fresh, make_case

BAKU = dt.timezone(dt.timedelta(hours=4))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["azad_language"] = "en"
    return client


def case_with(
    world: World,
    *,
    year: int = 2024,
    exploitation: tuple[str, ...] = (),
    control: tuple[str, ...] = (),
    exploited_in: str = "",
    place: str = "",
    **person: Any,
):
    """A case first in contact on 1 June of ``year``, with its victim context and country of exploitation."""
    case = make_case(world, first_contact_at=dt.datetime(year, 6, 1, 12, tzinfo=BAKU), **person)
    if exploitation or control:
        case = fresh(case)
        services.update_case_context(
            case,
            actor=world.ngo_worker,
            expected_version=case.version,
            exploitation_types=list(exploitation),
            control_methods=list(control),
        )
    if exploited_in:
        services.record_historic_event(
            fresh(case), actor=world.ngo_worker, event_type="Exploitation", country=exploited_in, place=place
        )
    return fresh(case)
