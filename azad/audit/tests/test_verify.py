from __future__ import annotations

import io
import secrets
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from azad.audit.models import ChainHead
from azad.audit.services import record_event
from azad.audit.tests.factories import tamper
from azad.audit.verify import Problem, check_link, verify_chain
from azad.core import crypto


def _five():
    return [record_event("test.event", actor="pytest", payload={"n": n}) for n in range(1, 6)]


@pytest.mark.django_db
def test_it_finds_an_intact_chain_intact():
    _five()

    result = verify_chain(batch_size=2)

    assert result.ok and result.checked == 5 and result.broken_seq is None


@pytest.mark.django_db
def test_it_finds_an_empty_trail_intact():
    result = verify_chain()

    assert result.ok and result.checked == 0


@pytest.mark.django_db
def test_it_names_the_seq_of_a_changed_row():
    _five()
    tamper("UPDATE audit_auditevent SET payload = %s WHERE seq = %s", ['{"n": 99}', 3])

    result = verify_chain(batch_size=2)

    assert not result.ok
    assert (result.broken_seq, result.problem, result.checked) == (3, Problem.CHANGED, 2)


@pytest.mark.django_db
def test_it_names_the_seq_of_a_deleted_row():
    _five()
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [4])

    result = verify_chain(batch_size=2)

    assert (result.ok, result.broken_seq, result.problem) == (False, 4, Problem.MISSING)


@pytest.mark.django_db
def test_it_finds_deleted_last_events_through_the_chain_head():
    _five()
    tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [4])

    result = verify_chain()

    assert (result.ok, result.broken_seq, result.problem) == (False, 4, Problem.MISSING)


@pytest.mark.django_db
def test_it_finds_a_chain_head_moved_back():
    events = _five()
    ChainHead.objects.filter(id=1).update(seq=3, hash=events[2].hash)

    result = verify_chain()

    assert (result.ok, result.broken_seq, result.problem) == (False, 4, Problem.BEYOND_HEAD)


@pytest.mark.django_db
def test_it_finds_a_chain_head_pointing_at_a_wrong_hash():
    _five()
    ChainHead.objects.filter(id=1).update(hash="f" * 64)

    result = verify_chain()

    assert (result.ok, result.broken_seq, result.problem) == (False, 5, Problem.HEAD_MISMATCH)


@pytest.mark.django_db
def test_it_names_a_relinked_row():
    events = _five()
    tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = %s", [events[0].hash, 3])

    result = verify_chain()

    assert (result.broken_seq, result.problem) == (3, Problem.BROKEN_LINK)


@pytest.mark.django_db
def test_it_fails_at_the_first_event_under_a_wrong_audit_key():
    _five()
    ring = crypto.get_keyring()
    crypto.set_keyring(replace(ring, audit_key=secrets.token_bytes(32), _ciphers={}))
    try:
        result = verify_chain()
    finally:
        crypto.set_keyring(ring)

    assert (result.ok, result.broken_seq, result.problem) == (False, 1, Problem.CHANGED)


@pytest.mark.django_db
def test_it_reports_progress_every_n_events():
    _five()
    seen = []

    verify_chain(batch_size=2, progress=seen.append, progress_every=2)

    assert seen == [2, 4]


@pytest.mark.django_db
def test_it_checks_one_link_for_the_detail_page():
    _five()
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    tamper("UPDATE audit_auditevent SET payload = %s WHERE seq = %s", ['{"n": 0}', 4])
    from azad.audit.models import AuditEvent

    first, third, fourth = (AuditEvent.objects.get(seq=s) for s in (1, 3, 4))

    assert check_link(first).ok
    assert check_link(third).previous_missing and not check_link(third).ok
    assert not check_link(fourth).hash_ok and check_link(fourth).link_ok


@pytest.mark.django_db
def test_it_prints_intact_and_exits_zero_from_the_command():
    _five()
    out, err = io.StringIO(), io.StringIO()

    call_command("verify_audit", "--language", "en", stdout=out, stderr=err, every=2)

    assert "intact: 5 events" in out.getvalue()
    assert "2 events checked" in err.getvalue() and "4 events checked" in err.getvalue()


@pytest.mark.django_db
def test_it_prints_no_progress_with_quiet():
    _five()
    out, err = io.StringIO(), io.StringIO()

    call_command("verify_audit", "--quiet", "--language", "en", stdout=out, stderr=err, every=1)

    assert err.getvalue() == ""


@pytest.mark.django_db
def test_it_names_the_broken_link_and_exits_non_zero_from_the_command():
    _five()
    tamper("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["test.forged", 2])
    from azad.audit.management.commands.verify_audit import Command

    with pytest.raises(CommandError, match="event 2"):
        call_command("verify_audit", "--language", "en", "--quiet")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        Command(stderr=err).run_from_argv(["azad", "verify_audit", "--quiet", "--language", "en"])
    assert exit_info.value.code == 1
    assert "broken at event 2" in err.getvalue()
