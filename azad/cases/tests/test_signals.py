"""The shipped allowance rate survives a flush of the database."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from azad.cases.models import AllowanceRate
from azad.cases.signals import SHIPPED_RATE, SHIPPED_RATE_FROM

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_records_the_shipped_allowance_rate_again_after_a_flush() -> None:
    call_command("flush", interactive=False, verbosity=0)

    rate = AllowanceRate.objects.get(valid_from=SHIPPED_RATE_FROM)
    assert rate.amount == SHIPPED_RATE


def test_it_leaves_an_existing_rate_from_that_date_alone() -> None:
    AllowanceRate.objects.filter(valid_from=SHIPPED_RATE_FROM).update(amount=SHIPPED_RATE + 1)

    call_command("migrate", verbosity=0)

    assert AllowanceRate.objects.get(valid_from=SHIPPED_RATE_FROM).amount == SHIPPED_RATE + 1
