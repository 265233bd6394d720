"""API for a person's return home (mixed into :class:`~azad.cases.api.views.CaseViewSet`).

``GET/POST /api/v1/cases/{id}/returns/`` lists and plans returns;
``PATCH /api/v1/cases/{id}/returns/{return_id}/`` changes one (send ``version``);
``POST /api/v1/cases/{id}/returns/{return_id}/status/`` moves it along. Same
access and services as the pages: 404 not visible, 403 not the owner or ATD,
400 bad input (nothing written), 409 stale version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from azad.cases import access, services
from azad.cases.api.serializers import version_field
from azad.cases.choices import ReturnDirection, ReturnStatus, RiskLevel, TravelDocumentStatus
from azad.cases.models import Case, Return
from azad.persons.api.views import service_call


class ReturnSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A return as those who see the case's content read it."""

    class Meta:
        model = Return
        fields = (
            "id",
            "case",
            "direction",
            "country",
            "receiver_name",
            "receiver_contact",
            "documents",
            "documents_requested_on",
            "documents_issued_on",
            "cost_amount",
            "cost_currency",
            "costs_paid_by",
            "risk_assessment",
            "risk_level",
            "risk_note",
            "voluntary_request_on",
            "planned_on",
            "status",
            "started_on",
            "completed_on",
            "cancelled_on",
            "note",
            "recorded_by",
            "recorded_at",
            "version",
        )
        read_only_fields = fields


class ReturnWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a return is planned with (all fields but direction and country optional)."""

    direction = serializers.ChoiceField(choices=ReturnDirection.choices)
    country = serializers.CharField(max_length=2)
    receiver_name = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    receiver_contact = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    documents = serializers.ChoiceField(choices=TravelDocumentStatus.choices, required=False)
    documents_requested_on = serializers.DateField(required=False, allow_null=True)
    documents_issued_on = serializers.DateField(required=False, allow_null=True)
    cost_amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    cost_currency = serializers.CharField(required=False, max_length=3)
    costs_paid_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    risk_assessment = serializers.UUIDField(required=False, allow_null=True)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True)
    risk_note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    voluntary_request_on = serializers.DateField(required=False, allow_null=True)
    planned_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReturnUpdateSerializer(ReturnWriteSerializer):
    """A change: send the version read and only the fields that change."""

    version = version_field()
    direction = serializers.ChoiceField(choices=ReturnDirection.choices, required=False)
    country = serializers.CharField(max_length=2, required=False)


class ReturnStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    on = serializers.DateField(required=False, allow_null=True)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReturnActions:
    """The return actions of a case (``_case`` and ``_content`` come from the case viewset)."""

    if TYPE_CHECKING:  # provided by CaseViewSet, which mixes this class in

        def _case(self) -> Case: ...

        def _content(self, case: Case) -> Any: ...

    def _may_write_returns(self, case: Case, request: Request) -> None:
        """Read-only readers get 403 before their input is looked at."""
        if not access.may_write_returns(access.case_rights(request.user, case)):
            raise PermissionDenied

    @extend_schema(
        summary="Returns home of the case / plan one (owner or ATD)",
        request=ReturnWriteSerializer,
        responses={200: ReturnSerializer(many=True), 201: ReturnSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def returns(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            self._content(case)
            return Response(ReturnSerializer(access.visible_returns(request.user, case), many=True).data)
        self._may_write_returns(case, request)
        data = _valid(ReturnWriteSerializer, request)
        record = service_call(lambda: services.record_return(case, actor=request.user, **data))
        return Response(ReturnSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a return (send version)", request=ReturnUpdateSerializer)
    @action(detail=True, methods=["patch"], url_path=r"returns/(?P<return_pk>[0-9a-fA-F-]{36})")
    def return_update(
        self, request: Request, pk: str | None = None, return_pk: str | None = None
    ) -> Response:
        record = access.get_return_for_user(request.user, pk, return_pk, write=True)
        data = _valid(ReturnUpdateSerializer, request)
        version = data.pop("version")
        changed = service_call(
            lambda: services.update_return(record, actor=request.user, expected_version=version, **data)
        )
        return Response(ReturnSerializer(changed).data)

    @extend_schema(summary="Move a return along (send version)", request=ReturnStatusSerializer)
    @action(detail=True, methods=["post"], url_path=r"returns/(?P<return_pk>[0-9a-fA-F-]{36})/status")
    def return_status(
        self, request: Request, pk: str | None = None, return_pk: str | None = None
    ) -> Response:
        record = access.get_return_for_user(request.user, pk, return_pk, write=True)
        data = _valid(ReturnStatusSerializer, request)
        changed = service_call(
            lambda: services.set_return_status(
                record,
                actor=request.user,
                expected_version=data["version"],
                status=data["status"],
                on=data.get("on"),
            )
        )
        return Response(ReturnSerializer(changed).data)
