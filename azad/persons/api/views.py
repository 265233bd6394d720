"""API endpoints for persons, with the same access and services as the pages.

List: visible persons without identity. Retrieve: one person's data, recorded
as a view. Create, update (send ``version``; 409 if stale). ``POST search/``:
exact search by name or document number (the terms stay out of URLs and logs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from azad.accounts.services import error_messages
from azad.audit.services import record_view
from azad.core.permissions import Data, Level, can
from azad.persons import access, services
from azad.persons.api.serializers import PersonListSerializer, PersonSearchSerializer, PersonSerializer
from azad.persons.filters import PersonFilterSet
from azad.persons.models import Person
from azad.persons.views import search_persons


def service_call[T](call: Callable[[], T]) -> T:
    """Run a service; its rule errors become a 400 with field messages (nothing was written)."""
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(error_messages(error)) from None


def expected_version(serializer: serializers.BaseSerializer) -> int:  # type: ignore[type-arg]
    version = serializer.validated_data.get("version")
    if version is None:
        raise serializers.ValidationError({"version": ["This field is required."]})
    return int(version)


@extend_schema_view(
    list=extend_schema(summary="Persons you may see (no identity in the list)"),
    retrieve=extend_schema(summary="One person's data (recorded as a view)"),
    create=extend_schema(
        summary="Record a person", request=PersonSerializer, responses={201: PersonSerializer}
    ),
    update=extend_schema(summary="Change a person (send version; 409 if stale)", request=PersonSerializer),
    partial_update=extend_schema(
        summary="Change some of a person's data (send version)", request=PersonSerializer
    ),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Persons: roles that read victim identity, narrowed by scope."""

    filterset_class = PersonFilterSet
    queryset = Person.objects.none()  # for the schema; rows come from access

    def get_serializer_class(self) -> Any:
        return PersonListSerializer if self.action == "list" else PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return access.visible_persons(self.request.user)

    def get_object(self) -> Person:
        write = self.request.method not in {"GET", "HEAD", "OPTIONS"}
        return access.get_person_for_user(self.request.user, self.kwargs["pk"], write=write)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Data.VICTIM_IDENTITY, Level.READ):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        record_view(request.user, person, request=request._request)
        return Response(PersonSerializer(person).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Data.VICTIM_IDENTITY, Level.WRITE):
            raise PermissionDenied
        serializer = PersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = service_call(lambda: services.create_person(actor=request.user, **serializer.service_data()))
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        serializer = PersonSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = expected_version(serializer)
        person = service_call(
            lambda: services.update_person(
                person, actor=request.user, expected_version=version, **serializer.service_data()
            )
        )
        return Response(PersonSerializer(person).data)

    @extend_schema(
        summary="Exact search by name or document number (terms in the body)",
        request=PersonSearchSerializer,
        responses={200: PersonSerializer(many=True)},
    )
    @action(detail=False, methods=["post"])
    def search(self, request: Request) -> Response:
        if not can(request.user, Data.VICTIM_IDENTITY, Level.READ):
            raise PermissionDenied
        serializer = PersonSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = search_persons(
            request._request,
            name=serializer.validated_data.get("name", ""),
            document=serializer.validated_data.get("document", ""),
        )
        return Response({"results": PersonSerializer(results, many=True).data})
