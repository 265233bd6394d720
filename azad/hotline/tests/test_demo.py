"""The hotline's part of the demo set: calls, alerts, call-backs and articles, made once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_loads_demo_calls_alerts_callbacks_and_articles_once(capsys):
    call_command("load_demo", persons=0)
    calls = Call.objects.count()
    assert 140 <= calls <= 152
    assert Call.objects.filter(operator__username="operator").count() == calls
    handed_over = Call.objects.get(operator__username="operator", opened_case__isnull=False)
    case = handed_over.opened_case
    assert case.stage == "referred_to_atd" and case.owner.username == "operator"
    assert case.referrals.get().to_organisation.org_type == "PoliceATD"
    assert case.hotline_calls.count() == 2  # a follow-up call linked to the same case
    assert Alert.objects.exists() and Callback.objects.exists()
    assert KnowledgeArticle.objects.count() == 8
    assert all(a.body_en and a.body_ru for a in KnowledgeArticle.objects.all())
    call_command("load_demo", persons=0)
    assert Call.objects.count() == calls and KnowledgeArticle.objects.count() == 8
    assert Call.objects.filter(opened_case__isnull=False).count() == 1
