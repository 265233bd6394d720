from django.urls import path

from azad.persons import views

app_name = "persons"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("search/", views.person_search, name="person_search"),
    path("new/", views.person_create, name="person_create"),
    path("<uuid:pk>/", views.person_detail, name="person_detail"),
    path("<uuid:pk>/edit/", views.person_edit, name="person_edit"),
    path("same-person/", views.same_person, name="same_person"),
    path("same-person/<uuid:pk>/undo/", views.same_person_undo, name="same_person_undo"),
]
