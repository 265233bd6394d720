from django.urls import path
from rest_framework.routers import SimpleRouter

from azad.publication.api import views

router = SimpleRouter()
router.register("publication/exports", views.ExportRequestViewSet, basename="publication-export")

urlpatterns = [
    *router.urls,
    path("publication/dataset/", views.PublicDatasetView.as_view(), name="publication-dataset"),
]
