"""The demo set gives the National Coordinator a statistics page with something to read."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from azad.accounts.models import User
from azad.statistics import output
from azad.statistics.forms import default_filters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_shows_the_demo_coordinator_suppressed_figures_with_some_numbers(capsys):
    call_command("load_demo", persons=0)
    coordinator = User.objects.get(username="koordinator")
    shown, limit = output.figures_for_user(coordinator, default_filters())
    assert limit == 11
    visible = {f.key for f in shown if any(v not in (None, 0) for row in f.rows for v in row.values)}
    # The demo's few cases are mostly suppressed; the hotline's calls and the person count are not.
    assert {"hotline_calls_by_month", "persons_counted_once"} <= visible
    assert any(f.suppressed for f in shown)
