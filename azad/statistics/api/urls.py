from django.urls import path

from azad.statistics.api import views

urlpatterns = [
    path("statistics/figures/", views.FigureListView.as_view(), name="statistics-figures"),
    path("statistics/figures/<str:key>/", views.FigureView.as_view(), name="statistics-figure"),
]
