from rest_framework.routers import SimpleRouter

from azad.publication.api import views

router = SimpleRouter()
router.register("publication/exports", views.ExportRequestViewSet, basename="publication-export")
router.register("publication/dataset/runs", views.DatasetRunViewSet, basename="publication-dataset-run")

urlpatterns = router.urls
