"""Places the response speaks of: Azerbaijan's regions and the countries met in its cases.

Regions and cities are proper names and are not translated. Countries are
stored as ISO 3166 alpha-2 codes everywhere; :func:`country_label` gives the
name people read, translated, and falls back to the code for a country not
listed here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Regions and cities of Azerbaijan.
AZ_REGIONS: tuple[str, ...] = (
    "Bakı", "Sumqayıt", "Gəncə", "Mingəçevir", "Şirvan", "Lənkəran", "Şəki", "Naxçıvan", "Quba",
    "Xaçmaz", "Şamaxı", "Qəbələ", "Masallı", "Astara", "Zaqatala", "Balakən", "Bərdə", "Salyan",
    "Sabirabad", "İmişli", "Göyçay", "Yevlax", "Tovuz", "Qazax", "Şəmkir", "Lerik", "Cəlilabad",
    "Biləsuvar", "Ağcabədi", "Xırdalan",
)  # fmt: skip

REGION_CHOICES: list[tuple[str, str]] = [(name, name) for name in AZ_REGIONS]

# Countries met in Azerbaijani trafficking data (origin, transit, destination).
COUNTRY_NAMES = {
    "AZ": _("Azerbaijan"),
    "TR": _("Türkiye"),
    "AE": _("United Arab Emirates"),
    "RU": _("Russia"),
    "IR": _("Iran"),
    "GE": _("Georgia"),
    "UZ": _("Uzbekistan"),
    "TM": _("Turkmenistan"),
    "UA": _("Ukraine"),
    "QA": _("Qatar"),
    "MY": _("Malaysia"),
    "KZ": _("Kazakhstan"),
    "KG": _("Kyrgyzstan"),
    "TJ": _("Tajikistan"),
    "PK": _("Pakistan"),
    "IN": _("India"),
    "CN": _("China"),
    "DE": _("Germany"),
    "SA": _("Saudi Arabia"),
    "IQ": _("Iraq"),
}


def country_label(code: str) -> str:
    """The translated name of the country with ISO code ``code``, or the code itself."""
    name = COUNTRY_NAMES.get((code or "").upper())
    return str(name) if name is not None else (code or "").upper()
