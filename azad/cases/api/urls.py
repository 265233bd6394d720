from rest_framework.routers import SimpleRouter

from azad.cases.api import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("referrals", views.ReferralViewSet, basename="referral")

urlpatterns = router.urls
