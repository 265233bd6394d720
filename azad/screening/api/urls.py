from django.urls import path
from rest_framework.routers import SimpleRouter

from azad.screening.api import views

router = SimpleRouter()
router.register("screening/screenings", views.ScreeningViewSet, basename="screening")
router.register("screening/lists", views.IndicatorListViewSet, basename="screening-list")

urlpatterns = [
    path("screening/evaluate/", views.EvaluateView.as_view(), name="screening-evaluate"),
    path("screening/counts/", views.StatisticsView.as_view(), name="screening-counts"),
    *router.urls,
]
