from django.urls import path

from azad.publication import views

app_name = "publication"

urlpatterns = [
    path("dataset/", views.public_dataset, name="public_dataset"),
    path("dataset/build/", views.dataset_build, name="dataset_build"),
    path("dataset/runs/<uuid:pk>/", views.dataset_run, name="dataset_run"),
    path("dataset/runs/<uuid:pk>/ctdc.csv", views.dataset_run_csv, name="dataset_run_csv"),
    path("dataset/runs/<uuid:pk>/ctdc.xlsx", views.dataset_run_xlsx, name="dataset_run_xlsx"),
    path("exports/", views.request_list, name="request_list"),
    path("exports/new/", views.request_create, name="request_create"),
    path("exports/<uuid:pk>/", views.request_detail, name="request_detail"),
    path("exports/<uuid:pk>/approve/", views.request_approve, name="request_approve"),
    path("exports/<uuid:pk>/refuse/", views.request_refuse, name="request_refuse"),
    path("exports/<uuid:pk>/download/", views.request_download, name="request_download"),
]
