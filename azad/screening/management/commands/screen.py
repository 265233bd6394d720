"""``azad screen FILE.json``: evaluate a file of answers and print the advisory result.

The file names the list and its version and holds the answers::

    {"list": "ilo2009.adult.labour", "version": 1,
     "answers": {"ilo2009.al.d1.deceived-nature-of-job": "yes", ...}}

Nothing is saved. Bad input (unknown list or version, an indicator of another
list, an answer other than yes/no/unknown, no answer at all) stops the command
with an error naming every problem. ``--json`` prints the result as the
evaluate endpoint returns it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from azad.accounts.services import error_messages
from azad.screening import explain, services

_KEYS = {"list", "version", "answers"}


class Command(BaseCommand):
    help = "Evaluate a JSON file of answers against an indicator list and print the advisory result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='JSON: {"list": ..., "version": N, "answers": {id: yes|no|unknown}}')
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="Language of the result (default English).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            data = self._read(Path(options["file"]))
            key = data["list"] if data.get("version") is None else f"{data['list']}@{data['version']}"
            try:
                indicator_list, evaluation = services.evaluate_answers(answers=data["answers"], list_key=key)
            except ValidationError as error:
                problems = [m for ms in error_messages(error).values() for m in ms]
                raise CommandError("\n".join(problems)) from None
            view = explain.explain(evaluation.to_dict(), indicator_list)
            if options["json"]:
                self.stdout.write(json.dumps(view.as_dict(), ensure_ascii=False, indent=2))
            else:
                self.stdout.write(explain.plain_text(view))

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                _("%(file)s is not valid JSON (line %(line)s, column %(column)s).")
                % {"file": path, "line": error.lineno, "column": error.colno}
            ) from None
        problems = []
        if not isinstance(data, dict):
            raise CommandError(_("The file must hold one JSON object with list, version and answers."))
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            problems.append(_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
        if not isinstance(data.get("list"), str) or not data["list"].strip():
            problems.append(_("list must name the indicator list, such as ilo2009.adult.labour."))
        version = data.get("version")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
            problems.append(_("version must be a whole number from 1."))
        if not isinstance(data.get("answers"), dict):
            problems.append(_("answers must be an object: indicator id -> yes, no or unknown."))
        if problems:
            raise CommandError("\n".join(problems))
        return data
