from django.urls import path
from rest_framework.routers import SimpleRouter

from azad.reports.api import views

router = SimpleRouter()
router.register("reports/runs", views.RunViewSet, basename="reports-run")

urlpatterns = [
    *router.urls,
    path(
        "reports/narratives/<str:year>/<str:language>/",
        views.NarrativeView.as_view(),
        name="reports-narrative",
    ),
]
