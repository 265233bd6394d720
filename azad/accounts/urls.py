from django.urls import path, re_path

from azad.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.my_account, name="my_account"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/deactivate/", views.organisation_deactivate, name="organisation_deactivate"),
    path("organisations/<int:pk>/reactivate/", views.organisation_reactivate, name="organisation_reactivate"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/second-factor/", views.user_reset_second_factor, name="user_reset_second_factor"),
    # allauth pages Azad does not use: administrators reset passwords, and
    # accounts have no e-mail management or sign-in by e-mailed code. These
    # patterns come before allauth's (see azad/urls.py) and answer 404.
    re_path(r"^password/reset/", views.gone),
    re_path(r"^email/", views.gone),
    re_path(r"^confirm-email/", views.gone),
    re_path(r"^login/code/", views.gone),
    re_path(r"^3rdparty/", views.gone),
]
