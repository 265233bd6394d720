from django.urls import path

from azad.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.screening_start, name="start"),
    path("counts/", views.statistics, name="statistics"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/upload/", views.catalogue_upload, name="catalogue_upload"),
    path("catalogue/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("<uuid:pk>/", views.screening_detail, name="detail"),
    path("<uuid:pk>/preview/", views.screening_preview, name="preview"),
    path("<uuid:pk>/discard/", views.screening_discard, name="discard"),
    path("<uuid:pk>/re-evaluate/", views.screening_rescreen, name="rescreen"),
    path("<uuid:pk>/refer/", views.screening_refer, name="refer"),
]
