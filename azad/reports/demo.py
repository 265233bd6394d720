"""Demo data for the annual report: the Coordinator's narrative of last year, in the three languages."""

from __future__ import annotations

from typing import Any

from azad.reports import services

NARRATIVES = {
    "az": (
        "İl ərzində Milli Koordinator insan alverinə qarşı mübarizə üzrə Milli Fəaliyyət Planının icrasını "
        "əlaqələndirmişdir. Qurbanların müəyyənləşdirilməsi və istiqamətləndirilməsi mexanizmi bütün "
        "regionlarda tətbiq olunmuş, 152 qaynar xətti fasiləsiz işləmişdir.\n\n"
        "Cədvəllərdə hər şəxs bir dəfə sayılır; kiçik rəqəmlər şəxsi məlumatların qorunması üçün göstərilmir."
    ),
    "en": (
        "During the year the National Coordinator coordinated the National Action Plan against trafficking "
        "in human beings. The National Referral Mechanism was applied in every region and the 152 hotline "
        "worked around the clock.\n\n"
        "Each person is counted once in the tables; small numbers are not shown, to protect personal data."
    ),
    "ru": (
        "В течение года Национальный координатор координировал выполнение Национального плана действий по "
        "борьбе с торговлей людьми. Национальный механизм перенаправления применялся во всех регионах, "
        "горячая линия 152 работала круглосуточно.\n\n"
        "В таблицах каждый человек учитывается один раз; малые числа не показываются для защиты данных."
    ),
}


def build_demo_narratives(coordinator: Any) -> int:
    """Write last year's narratives the coordinator has not written yet (through the service); how many."""
    year = services.current_year() - 1
    written = 0
    for language, text in NARRATIVES.items():
        if services.narrative_for(year, language).pk is None:
            services.save_narrative(year, language, text, actor=coordinator, expected_version=0)
            written += 1
    return written
