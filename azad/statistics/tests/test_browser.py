"""The statistics dashboard in a real browser: an analyst reads suppressed figures beside their charts."""

from __future__ import annotations

import pytest

from azad.core.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_an_analyst_charts_and_suppressed_tables_for_a_period(
    live_server, page, csp_violations, stats
):
    analyst = stats.world.analyst
    sign_in(page, live_server.url, analyst)
    page.click("nav >> text=Statistics")
    page.fill("input[name=start]", "2025-01-01")
    page.fill("input[name=end]", "2025-12-31")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#figure-victims_by_sex")

    block = page.inner_text("#figure-victims_by_sex")
    assert "<11" in block  # a handful of hand-counted victims: every count is below the threshold
    widths = page.eval_on_selector_all("img.chart", "images => images.map(i => i.naturalWidth)")
    assert widths and all(width > 0 for width in widths)
    assert page.query_selector("a[href^='/cases/']") is None  # counts only, never a case
    assert csp_violations == []
