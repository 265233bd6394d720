from django.urls import path

from azad.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verify/", views.verify, name="verify"),
    path("<int:seq>/", views.event_detail, name="event_detail"),
]
