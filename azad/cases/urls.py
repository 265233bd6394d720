from django.urls import path

from azad.cases import return_views, setup_views, support_views, views

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
    path("<uuid:pk>/payments/new/", support_views.payment_create, name="payment_create"),
    path("<uuid:pk>/placements/new/", support_views.placement_create, name="placement_create"),
    path("placements/<uuid:pk>/end/", support_views.placement_end, name="placement_end"),
    path("shelters/", support_views.shelter_list, name="shelter_list"),
    path("shelters/profiles/", setup_views.shelter_profiles, name="shelter_profiles"),
    path("shelters/profiles/new/", setup_views.shelter_profile_create, name="shelter_profile_create"),
    path("shelters/profiles/<uuid:pk>/", setup_views.shelter_profile_edit, name="shelter_profile_edit"),
    path("allowance-rates/", setup_views.allowance_rates, name="allowance_rates"),
    path("shelters/<uuid:pk>/", support_views.shelter_occupancy, name="shelter_occupancy"),
    path("<uuid:pk>/plans/new/", support_views.plan_create, name="plan_create"),
    path(
        "<uuid:pk>/plans/<uuid:plan_pk>/items/new/", support_views.plan_item_create, name="plan_item_create"
    ),
    path("<uuid:pk>/services/new/", support_views.service_create, name="service_create"),
    path(
        "<uuid:pk>/services/<uuid:service_pk>/outcome/", support_views.service_outcome, name="service_outcome"
    ),
    path("<uuid:pk>/risks/new/", support_views.risk_create, name="risk_create"),
    path("<uuid:pk>/seal/", support_views.seal, name="seal"),
    path("<uuid:pk>/sealings/<int:sealing_pk>/lift/", support_views.unseal, name="unseal"),
    path("<uuid:pk>/history/new/", support_views.historic_event_create, name="historic_event_create"),
    path("<uuid:pk>/comments/new/", support_views.comment_create, name="comment_create"),
    path("<uuid:pk>/returns/new/", return_views.return_create, name="return_create"),
    path("<uuid:pk>/returns/<uuid:return_pk>/", return_views.return_edit, name="return_edit"),
    path("<uuid:pk>/returns/<uuid:return_pk>/status/", return_views.return_status, name="return_status"),
]
