from rest_framework.routers import SimpleRouter

from azad.persons.api import views

router = SimpleRouter()
router.register("persons", views.PersonViewSet, basename="person")

urlpatterns = router.urls
