from django.urls import path
from rest_framework.routers import SimpleRouter

from azad.accounts.api import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenView.as_view(), name="auth_token"),
    *router.urls,
]
