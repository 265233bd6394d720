from django.urls import path

from azad.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("runs/<uuid:pk>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:pk>/report/", views.run_report, name="run_report"),
    path("runs/<uuid:pk>/report.pdf", views.run_pdf, name="run_pdf"),
    path("narrative/<int:year>/<str:language>/", views.narrative_edit, name="narrative_edit"),
]
