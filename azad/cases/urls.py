from django.urls import path

from azad.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/<uuid:person_pk>/", views.case_create, name="case_create"),
    path("referrals/incoming/", views.incoming_referrals, name="incoming_referrals"),
    path("referrals/<uuid:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<uuid:pk>/complete/", views.referral_complete, name="referral_complete"),
    path("referrals/<uuid:pk>/revoke/", views.referral_revoke, name="referral_revoke"),
    path("<uuid:pk>/", views.case_detail, name="case_detail"),
    path("<uuid:pk>/first-contact/", views.first_contact, name="first_contact"),
    path("<uuid:pk>/context/", views.case_context, name="case_context"),
    path("<uuid:pk>/refer-to-atd/", views.refer_to_atd, name="refer_to_atd"),
    path("<uuid:pk>/move/<slug:stage>/", views.transition, name="transition"),
    path("<uuid:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("<uuid:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("<uuid:pk>/consents/<uuid:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:pk>/notifications/new/", views.notification_create, name="notification_create"),
    path("<uuid:pk>/child/", views.child_details, name="child_details"),
    path("<uuid:pk>/residence-permit/", views.residence_permit, name="residence_permit"),
    path("<uuid:pk>/allowance/", views.allowance, name="allowance"),
]
