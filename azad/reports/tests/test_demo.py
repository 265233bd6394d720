"""The demo narratives: written once through the service, in the three languages."""

from __future__ import annotations

import pytest

from azad.reports.demo import build_demo_narratives
from azad.reports.models import Narrative
from azad.reports.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_it_writes_last_years_narratives_once(coordinator):
    assert build_demo_narratives(coordinator) == 3
    assert build_demo_narratives(coordinator) == 0
    assert sorted(Narrative.objects.filter(year=YEAR).values_list("language", flat=True)) == [
        "az",
        "en",
        "ru",
    ]
    assert "Национальный координатор" in Narrative.objects.get(language="ru").text
