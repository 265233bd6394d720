"""The report in a real browser: produce, follow the progress (htmx), read; no CSP violations."""

from __future__ import annotations

import pytest

from azad.accounts.tests.factories import make_user
from azad.core.permissions import Role
from azad.core.tests.test_browser import sign_in
from azad.reports import generation, services
from azad.reports.models import ReportRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_produces_the_report_and_shows_its_charts(live_server, page, csp_violations, monkeypatch):
    from azad.statistics import figures
    from azad.statistics.figures import Figure, FigureRow

    real = figures.compute

    def compute(key, filters):
        if key == "victims_by_sex":
            rows = (FigureRow("Female", (40, 30)), FigureRow("Male", (25, 12)))
            return Figure(key, "Victims by sex", "Sex", ("Presumed", "Identified"), rows)
        return real(key, filters)

    monkeypatch.setattr(figures, "compute", compute)
    analyst = make_user(Role.ANALYST)
    sign_in(page, live_server.url, analyst)
    page.click("nav >> text=Annual report")
    page.fill("#generate input[name=year]", "2001")
    page.select_option("#generate select[name=language]", "en")
    page.click("#generate button[type=submit]")
    page.wait_for_selector("#run-links")
    page.click("text=Read the report")
    page.wait_for_selector("#table-victims_by_sex")
    assert "No data was recorded" not in page.inner_text("#summary")
    widths = page.eval_on_selector_all("img.report-chart", "images => images.map(i => i.naturalWidth)")
    assert widths and all(width > 0 for width in widths)
    assert csp_violations == []


def test_it_follows_the_progress_and_shows_the_links_when_done(
    live_server, page, csp_violations, monkeypatch
):
    analyst = make_user(Role.ANALYST)
    run, _created = services.start_report(2001, "en", actor=analyst)
    sign_in(page, live_server.url, analyst)
    page.goto(f"{live_server.url}/reports/runs/{run.pk}/")
    assert page.get_attribute("#run-progress progress", "value") == "0"
    assert page.query_selector("#run-links") is None
    generation.generate(run.pk)
    page.wait_for_selector("#run-links", timeout=10_000)
    assert page.get_attribute("#run-progress progress", "value") == "100"
    assert ReportRun.objects.get().status == "done"
    assert csp_violations == []
