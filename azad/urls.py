"""Top-level URLs. Every app owns its prefix; nothing is served without sign-in
except the sign-in pages, health and static files."""

from django.urls import include, path

urlpatterns = [
    path("", include("azad.core.urls")),
    path("accounts/", include("azad.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("audit/", include("azad.audit.urls")),
    path("persons/", include("azad.persons.urls")),
    path("cases/", include("azad.cases.urls")),
    path("screening/", include("azad.screening.urls")),
    path("hotline/", include("azad.hotline.urls")),
    path("publication/", include("azad.publication.urls")),
    path("statistics/", include("azad.statistics.urls")),
    path("reports/", include("azad.reports.urls")),
    path("api/v1/", include("azad.api.urls")),
]

handler400 = "azad.core.views.error_400"
handler403 = "azad.core.views.error_403"
handler404 = "azad.core.views.error_404"
handler500 = "azad.core.views.error_500"
