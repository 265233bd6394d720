"""The ``azad`` command: Django's management commands with hyphenated names.

``azad verify-audit`` runs ``manage.py verify_audit``; every other Django
command works as well (``azad migrate``, ``azad runserver``).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command, accepting hyphens in its name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "azad.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "azad"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
