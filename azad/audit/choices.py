"""The actions the audit trail knows, with the labels people read.

Apps add their own actions when they load (in ``AppConfig.ready``)::

    from azad.audit.choices import register_actions
    register_actions({"cases.case.create": _("Case opened")})

An action missing here is still recorded and shown (as its code); it just
has no label and no entry in the filter's choice list.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from azad.core.text import az_sort_key

LOGIN = "auth.login"
LOGOUT = "auth.logout"
LOGIN_FAILED = "auth.login_failed"
LOCKED_OUT = "auth.locked_out"
ACCESS_DENIED = "access.denied"
RECORD_VIEW = "record.view"
EXPORT = "export"
AUDIT_VERIFY = "audit.verify"

ACTION_LABELS: dict[str, str | Promise] = {
    LOGIN: _("Signed in"),
    LOGOUT: _("Signed out"),
    LOGIN_FAILED: _("Sign-in failed"),
    LOCKED_OUT: _("Locked out after repeated failed sign-ins"),
    ACCESS_DENIED: _("Access denied"),
    RECORD_VIEW: _("Viewed a victim record"),
    EXPORT: _("Exported data"),
    AUDIT_VERIFY: _("Checked the audit trail"),
    "accounts.user.create": _("Account created"),
    "backup.create": _("Backup written"),
    "backup.restore": _("Backup restored"),
    "keys.rotate": _("Encryption keys rotated"),
}

# Groups the list page offers as "only ..." switches.
SIGN_IN_AND_DENIAL_ACTIONS = frozenset({LOGIN, LOGOUT, LOGIN_FAILED, LOCKED_OUT, ACCESS_DENIED})


def register_actions(labels: Mapping[str, str | Promise]) -> None:
    """Add or relabel actions (call from an app's ``ready``)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The label of ``action`` in the active language, or the code itself if it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices() -> list[tuple[str, str]]:
    """Known actions as form choices, sorted by label in the active language."""
    return sorted(
        ((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: az_sort_key(c[1])
    )
