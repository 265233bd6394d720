"""Checking the audit chain: every link, every sequence number, and the head.

:func:`verify_chain` walks the whole chain in seq order, a batch at a time
(constant memory), and stops at the first broken link. :func:`check_link`
checks one event against its predecessor, for the detail page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from azad.audit.models import AuditEvent, ChainHead
from azad.audit.services import GENESIS_HASH, compute_hash

BATCH_SIZE = 2000


class Problem(models.TextChoices):
    """What can be wrong with a link (the codes are stored in ``audit.verify`` payloads)."""

    CHANGED = (
        "changed",
        gettext_lazy("its content does not match its hash: the row was changed, or the audit key is wrong"),
    )
    BROKEN_LINK = "broken_link", gettext_lazy("it does not point at the hash of the event before it")
    MISSING = "missing", gettext_lazy("it is missing: the event was deleted")
    HEAD_MISMATCH = (
        "head_mismatch",
        gettext_lazy("the chain head does not point at the last event: events were removed"),
    )
    BEYOND_HEAD = "beyond_head", gettext_lazy("it lies beyond the chain head: the head was moved back")


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a check: intact, or the first broken link and what is wrong with it."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def problem_label(self) -> str:
        """What is wrong, in the active language."""
        return str(Problem(self.problem).label) if self.problem else ""

    def message(self) -> str:
        """One sentence for people, in the active language."""
        if self.ok:
            return ngettext(
                "The audit trail is intact: %(count)d event checked.",
                "The audit trail is intact: %(count)d events checked.",
                self.checked,
            ) % {"count": self.checked}
        return _("The audit trail is broken at event %(seq)s: %(problem)s.") % {
            "seq": self.broken_seq,
            "problem": self.problem_label,
        }


def _events_after(seq: int, *, up_to: int, batch_size: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq, seq__lte=up_to).order_by("seq")[:batch_size])


def verify_chain(
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> VerifyResult:
    """Walk the chain from the first event to the head; report the first broken link.

    The head is read first and the walk stops at it, so events appended while
    the check runs are left for the next check rather than mistaken for damage.
    ``progress`` is called with the number of events checked every
    ``progress_every`` events.
    """
    head = ChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    head_seq, head_hash = head if head is not None else (0, GENESIS_HASH)
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    while True:
        batch = _events_after(expected_seq - 1, up_to=head_seq, batch_size=batch_size)
        if not batch:
            break
        for event in batch:
            if event.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, Problem.MISSING)
            if event.prev_hash != prev_hash:
                return VerifyResult(False, checked, event.seq, Problem.BROKEN_LINK)
            if compute_hash(event) != event.hash:
                return VerifyResult(False, checked, event.seq, Problem.CHANGED)
            checked += 1
            expected_seq, prev_hash = event.seq + 1, event.hash
            if progress is not None and checked % progress_every == 0:
                progress(checked)
    if checked != head_seq:
        return VerifyResult(False, checked, checked + 1, Problem.MISSING)
    if prev_hash != head_hash:
        return VerifyResult(False, checked, head_seq, Problem.HEAD_MISMATCH)
    # Read the highest seq before the head again: an event and the head's move
    # commit together, so a later head read covers every event seen here.
    highest = AuditEvent.objects.aggregate(top=Max("seq"))["top"] or 0
    current_head = ChainHead.objects.filter(id=1).values_list("seq", flat=True).first() or 0
    if highest > current_head:
        return VerifyResult(False, checked, current_head + 1, Problem.BEYOND_HEAD)
    return VerifyResult(True, checked)


@dataclass(frozen=True)
class LinkCheck:
    """Whether one event's own hash and its link to the event before it hold."""

    hash_ok: bool
    link_ok: bool
    previous_missing: bool = False

    @property
    def ok(self) -> bool:
        return self.hash_ok and self.link_ok


def check_link(event: AuditEvent) -> LinkCheck:
    """Check ``event``'s hash and its ``prev_hash`` against its predecessor (one query)."""
    hash_ok = compute_hash(event) == event.hash
    if event.seq == 1:
        return LinkCheck(hash_ok, event.prev_hash == GENESIS_HASH)
    previous = AuditEvent.objects.filter(seq=event.seq - 1).values_list("hash", flat=True).first()
    if previous is None:
        return LinkCheck(hash_ok, False, previous_missing=True)
    return LinkCheck(hash_ok, event.prev_hash == previous)
