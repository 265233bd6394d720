"""The Azerbaijani and Russian catalogues are complete and compile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[3] / "locale"


@pytest.mark.parametrize("language", ["az", "ru"])
def test_it_translates_every_message(language):
    if shutil.which("msgfmt") is None:
        pytest.fail("gettext's msgfmt is needed (apt-get install gettext)")
    result = subprocess.run(  # noqa: S603 - msgfmt from gettext, on PATH
        [  # noqa: S607
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(LOCALE / language / "LC_MESSAGES" / "django.po"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_it_speaks_azerbaijani_by_default_with_correct_letters():
    with translation.override("az"):
        assert translation.gettext("Sign out") == "Çıxış"
        assert translation.gettext("Organisations") != "Organisations"
    with translation.override("ru"):
        assert translation.gettext("Sign out") == "Выйти"
