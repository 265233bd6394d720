"""``azad load-indicators FILE [FILE ...]``: load indicator-list files into the catalogue.

Each file is loaded all or nothing; a refused file names every problem in it
and the command stops with an error (files before it stay loaded). Loading a
version already loaded with the same content changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from azad.screening import loader, services

ACTOR = "azad load-indicators"


class Command(BaseCommand):
    help = "Load indicator-list files (JSON) into the catalogue; all or nothing per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="List files; default: the lists shipped with Azad.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            paths = [Path(name) for name in options["files"]] or loader.shipped_files()
            for path in paths:
                try:
                    raw = path.read_bytes()
                except OSError as error:
                    raise CommandError(
                        _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
                    ) from None
                try:
                    indicator_list, created = services.load_indicator_list(raw, actor=ACTOR)
                except loader.CatalogueError as error:
                    raise CommandError(f"{path}: {services.problems_text(error)}") from None
                if created:
                    message = _("%(file)s: loaded %(key)s (%(count)s indicators).")
                else:
                    message = _("%(file)s: %(key)s is already loaded with this content; nothing changed.")
                self.stdout.write(
                    message
                    % {"file": path, "key": indicator_list.key, "count": indicator_list.indicators.count()}
                )
