from rest_framework.routers import SimpleRouter

from azad.cases.api import support, views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("placements", support.PlacementViewSet, basename="placement")
router.register("shelters", support.ShelterViewSet, basename="shelter")

urlpatterns = router.urls
