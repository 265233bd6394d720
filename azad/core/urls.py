from django.urls import path

from azad.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
    path("language/", views.set_language, name="set_language"),
]
