from django.urls import path

from azad.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download.<str:fmt>", views.download, name="download_all"),
    path("<str:key>/download.<str:fmt>", views.download, name="download"),
]
