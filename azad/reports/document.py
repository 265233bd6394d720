"""The report as HTML and as PDF (WeasyPrint), from the content stored on a run.

The web page and the PDF share ``reports/_report_body.html``. The PDF's
stylesheet is a static file read from disk; its font is DejaVu Sans, which has
every Azerbaijani letter (ə ı İ ş ğ ç ö ü) and Cyrillic. WeasyPrint may fetch
nothing but ``data:`` URIs (the charts), so a report can never make the
server read a file or call out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "report-pdf.css"


def context(content: dict[str, Any]) -> dict[str, Any]:
    """The template context for ``content`` (dates parsed back from their JSON form)."""
    return {
        "report": content,
        "generated_at": dt.datetime.fromisoformat(str(content["generated_at"])),
        "period_start": dt.date.fromisoformat(str(content["period_start"])),
        "period_end": dt.date.fromisoformat(str(content["period_end"])),
    }


def render_html(content: dict[str, Any]) -> str:
    """The standalone HTML document WeasyPrint turns into the PDF, in the report's language."""
    with translation.override(str(content["language"])):
        return render_to_string("reports/document.html", context(content))


def render_pdf(content: dict[str, Any]) -> bytes:
    """The report as PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    html = HTML(string=render_html(content), base_url=None, url_fetcher=fetcher)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return bytes(html.write_pdf(stylesheets=[stylesheet]))
