from django.urls import path

from azad.hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.intake, name="intake"),
    path("calls/<uuid:pk>/", views.call_detail, name="call_detail"),
    path("calls/<uuid:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<uuid:pk>/callback/", views.callback_agree, name="callback_agree"),
    path("calls/<uuid:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("calls/<uuid:pk>/link-case/", views.link_case, name="link_case"),
    path("callbacks/", views.callback_list, name="callback_list"),
    path("callbacks/<uuid:pk>/close/", views.callback_complete, name="callback_complete"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<uuid:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("knowledge/", views.article_list, name="article_list"),
    path("knowledge/new/", views.article_edit, name="article_create"),
    path("knowledge/<int:pk>/", views.article_edit, name="article_edit"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
]
