from django.urls import path
from rest_framework.routers import SimpleRouter

from azad.hotline.api import views

router = SimpleRouter()
router.register("hotline/calls", views.CallViewSet, basename="hotline-call")
router.register("hotline/alerts", views.AlertViewSet, basename="hotline-alert")
router.register("hotline/callbacks", views.CallbackViewSet, basename="hotline-callback")
router.register("hotline/articles", views.ArticleViewSet, basename="hotline-article")

urlpatterns = [
    *router.urls,
    path("hotline/dashboard/", views.DashboardView.as_view(), name="hotline-dashboard"),
]
