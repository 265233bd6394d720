"""The API root: /api/v1/. Each app's own ``api/urls.py`` is included here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("azad.accounts.api.urls")),
    path("", include("azad.audit.api.urls")),
    path("", include("azad.screening.api.urls")),
    path("", include("azad.persons.api.urls")),
    path("", include("azad.cases.api.urls")),
    path("", include("azad.hotline.api.urls")),
    path("", include("azad.publication.api.urls")),
    path("", include("azad.statistics.api.urls")),
    path("", include("azad.reports.api.urls")),
]
