"""API of increment 2: placements and shelters, assistance, payments, sealing, history, comments.

Case actions (mixed into :class:`~azad.cases.api.views.CaseViewSet`):
``placements``, ``plans``, ``plan-items``, ``services``, ``service-outcome``,
``risks``, ``payments``, ``seal``, ``unseal``, ``history``, ``comments``
(GET lists, POST records). ``/api/v1/placements/`` (those you may see; ``end``)
and ``/api/v1/shelters/`` (occupancy counts, ``occupancy`` over 90 days).
Same access and services as the pages: 404 not visible, 403 not allowed,
400 bad input (nothing written), 409 stale version.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from azad.accounts.models import Organisation, User
from azad.cases import access, services
from azad.cases.api.serializers import version_field
from azad.cases.choices import HistoricEventType, PaymentKind, RiskLevel, ServiceOutcome, SupportType
from azad.cases.models import (
    AssistancePlan,
    Case,
    CaseComment,
    HistoricEvent,
    Payment,
    Placement,
    PlanItem,
    RiskAssessment,
    Sealing,
    ServiceDelivery,
    ShelterProfile,
)
from azad.cases.occupancy import WINDOW_DAYS, daily_occupancy, occupied_today
from azad.core.exceptions import NotVisible
from azad.core.permissions import Role
from azad.persons.api.views import service_call

# --- Serializers -------------------------------------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    shelter_name = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = ("id", "case", "shelter", "shelter_name", "start_on", "end_on", "reason", "version")
        read_only_fields = fields

    def get_shelter_name(self, obj: Placement) -> str:
        return str(obj.shelter.organisation.display_name())


class PlacementCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    shelter = serializers.UUIDField()
    start_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class PlacementEndSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    end_on = serializers.DateField()


class ShelterSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.SerializerMethodField()
    taken_today = serializers.SerializerMethodField()

    class Meta:
        model = ShelterProfile
        fields = ("id", "organisation", "name", "beds", "children_only", "women_only", "taken_today")
        read_only_fields = fields

    def get_name(self, obj: ShelterProfile) -> str:
        return str(obj.organisation.display_name())

    def get_taken_today(self, obj: ShelterProfile) -> int:
        return int(self.context.get("taken", {}).get(obj.pk, 0))


class PlanItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PlanItem
        fields = ("id", "support_type", "objective", "responsible_organisation", "start_on", "due_on")
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = AssistancePlan
        fields = (
            "id",
            "objectives",
            "responsible_organisation",
            "opened_on",
            "planned_end_on",
            "ended_on",
            "items",
            "version",
        )
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    objectives = serializers.CharField(max_length=4000)
    responsible_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    opened_on = serializers.DateField(required=False, allow_null=True)
    planned_end_on = serializers.DateField(required=False, allow_null=True)


class PlanItemCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    plan = serializers.UUIDField()
    support_type = serializers.ChoiceField(choices=SupportType.choices)
    objective = serializers.CharField(max_length=4000)
    responsible_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    start_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class ServiceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ServiceDelivery
        fields = (
            "id",
            "plan_item",
            "support_type",
            "delivered_on",
            "provider",
            "outcome",
            "outcome_note",
            "version",
        )
        read_only_fields = fields


class ServiceCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    support_type = serializers.ChoiceField(choices=SupportType.choices)
    delivered_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=ServiceOutcome.choices, required=False)
    outcome_note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    plan_item = serializers.UUIDField(required=False, allow_null=True)


class ServiceOutcomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    service = serializers.UUIDField()
    version = version_field()
    outcome = serializers.ChoiceField(choices=ServiceOutcome.choices)
    outcome_note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class RiskSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = RiskAssessment
        fields = ("id", "assessed_on", "level", "note")
        read_only_fields = fields


class RiskCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    assessed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class PaymentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Payment
        fields = ("id", "kind", "amount", "currency", "paid_at", "approved_by", "recorded_by")
        read_only_fields = fields


class PaymentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    kind = serializers.ChoiceField(choices=PaymentKind.choices)
    approved_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    paid_at = serializers.DateTimeField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)


class SealingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    roles = serializers.ListField(source="role_list", read_only=True)

    class Meta:
        model = Sealing
        fields = ("id", "decided_by_organisation", "decision_reference", "decided_on", "roles", "lifted_at")
        read_only_fields = fields


class SealCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decided_by_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    decision_reference = serializers.CharField(max_length=80)
    decided_on = serializers.DateField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False)


class UnsealSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sealing = serializers.IntegerField()


class HistoricEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = HistoricEvent
        fields = ("id", "event_type", "country", "place", "date_from", "date_to", "description")
        read_only_fields = fields


class HistoricEventCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    event_type = serializers.ChoiceField(choices=HistoricEventType.choices)
    country = serializers.CharField(max_length=2)
    place = serializers.CharField(required=False, allow_blank=True, max_length=120)
    date_from = serializers.DateField(required=False, allow_null=True)
    date_to = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class CommentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CaseComment
        fields = ("id", "text", "author", "organisation", "created_at")
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(max_length=4000)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Case actions ----------------------------------------------------------------------------------


class SupportActions:
    """Increment-2 actions of a case (mixed into the case viewset; ``_case`` and ``_content`` come from it)."""

    if TYPE_CHECKING:  # provided by CaseViewSet, which mixes this class in

        def _case(self) -> Case: ...

        def _content(self, case: Case) -> Any: ...

    def _may_write(self, case: Case, request: Request) -> None:
        """Read-only readers get 403 before their input is looked at."""
        if not access.case_rights(request.user, case).write:
            raise PermissionDenied

    def _listing(self, case: Case, rows: Any, serializer: Any) -> Response:
        self._content(case)
        return Response(serializer(rows, many=True).data)

    @extend_schema(
        summary="Shelter placements of the case you may see / place in your shelter",
        request=PlacementCreateSerializer,
        responses={200: PlacementSerializer(many=True), 201: PlacementSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def placements(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            rows = access.visible_placements(request.user).filter(case=case)
            return Response(PlacementSerializer(rows, many=True).data)
        data = _valid(PlacementCreateSerializer, request)
        placement = service_call(lambda: services.place_in_shelter(case, actor=request.user, **data))
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Assistance plans / open the plan",
        request=PlanCreateSerializer,
        responses={200: PlanSerializer(many=True), 201: PlanSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def plans(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            return self._listing(case, case.assistance_plans.prefetch_related("items"), PlanSerializer)
        self._may_write(case, request)
        data = _valid(PlanCreateSerializer, request)
        plan = service_call(lambda: services.open_plan(case, actor=request.user, **data))
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Add an item to the open plan", request=PlanItemCreateSerializer)
    @action(detail=True, methods=["post"], url_path="plan-items")
    def plan_items(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        self._may_write(case, request)
        data = _valid(PlanItemCreateSerializer, request)
        plan = case.assistance_plans.filter(pk=data.pop("plan")).first()
        if plan is None:
            raise NotVisible
        item = service_call(lambda: services.add_plan_item(plan, actor=request.user, **data))
        return Response(PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Services delivered / record one",
        request=ServiceCreateSerializer,
        responses={200: ServiceSerializer(many=True), 201: ServiceSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def services(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            return self._listing(case, case.services.all(), ServiceSerializer)
        self._may_write(case, request)
        data = _valid(ServiceCreateSerializer, request)
        service = service_call(lambda: services.record_service(case, actor=request.user, **data))
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a service's outcome (send version)", request=ServiceOutcomeSerializer)
    @action(detail=True, methods=["post"], url_path="service-outcome")
    def service_outcome(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        self._may_write(case, request)
        data = _valid(ServiceOutcomeSerializer, request)
        service = case.services.filter(pk=data["service"]).first()
        if service is None:
            raise NotVisible
        changed = service_call(
            lambda: services.update_service_outcome(
                service,
                actor=request.user,
                expected_version=data["version"],
                outcome=data["outcome"],
                outcome_note=data.get("outcome_note", ""),
            )
        )
        return Response(ServiceSerializer(changed).data)

    @extend_schema(
        summary="Risk assessments / record one",
        request=RiskCreateSerializer,
        responses={200: RiskSerializer(many=True), 201: RiskSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def risks(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            return self._listing(case, case.risk_assessments.all(), RiskSerializer)
        self._may_write(case, request)
        data = _valid(RiskCreateSerializer, request)
        risk = service_call(lambda: services.record_risk_assessment(case, actor=request.user, **data))
        return Response(RiskSerializer(risk).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Payments / record one (approved by someone else; send the case version)",
        request=PaymentCreateSerializer,
        responses={200: PaymentSerializer(many=True), 201: PaymentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            return self._listing(case, case.payments.all(), PaymentSerializer)
        self._may_write(case, request)
        data = _valid(PaymentCreateSerializer, request)
        payment = service_call(
            lambda: services.record_payment(
                case,
                actor=request.user,
                expected_version=data["version"],
                kind=data["kind"],
                approved_by=data["approved_by"],
                paid_at=data.get("paid_at"),
                amount=data.get("amount"),
            )
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Seal the case (prosecutors)",
        request=SealCreateSerializer,
        responses={201: SealingSerializer},
    )
    @action(detail=True, methods=["post"])
    def seal(self, request: Request, pk: str | None = None) -> Response:
        if not access.may_seal(request.user):
            self._case()
            raise PermissionDenied
        case = self._case()
        data = _valid(SealCreateSerializer, request)
        data.setdefault("roles", [])
        sealing = service_call(lambda: services.seal_case(case, actor=request.user, **data))
        return Response(SealingSerializer(sealing).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Lift the sealing (prosecutors)", request=UnsealSerializer, responses={200: SealingSerializer}
    )
    @action(detail=True, methods=["post"])
    def unseal(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if not access.may_seal(request.user):
            raise PermissionDenied
        data = _valid(UnsealSerializer, request)
        sealing = case.sealings.filter(pk=data["sealing"]).first()
        if sealing is None:
            raise NotVisible
        lifted = service_call(lambda: services.unseal_case(sealing, actor=request.user))
        return Response(SealingSerializer(lifted).data)

    @extend_schema(
        summary="Trafficking events (HTCDS hte_) / record one",
        request=HistoricEventCreateSerializer,
        responses={200: HistoricEventSerializer(many=True), 201: HistoricEventSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            return self._listing(case, case.historic_events.all(), HistoricEventSerializer)
        self._may_write(case, request)
        data = _valid(HistoricEventCreateSerializer, request)
        event = service_call(lambda: services.record_historic_event(case, actor=request.user, **data))
        return Response(HistoricEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Comments / add one",
        request=CommentCreateSerializer,
        responses={200: CommentSerializer(many=True), 201: CommentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            return self._listing(case, case.comments.all(), CommentSerializer)
        self._may_write(case, request)
        data = _valid(CommentCreateSerializer, request)
        comment = service_call(lambda: services.add_comment(case, actor=request.user, text=data["text"]))
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- Placements and shelters ---------------------------------------------------------------------------


class PlacementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Shelter placements you may see (your shelter's, ATD's, your cases')."""

    serializer_class = PlacementSerializer
    queryset = Placement.objects.none()

    def get_queryset(self) -> QuerySet[Placement]:
        return access.visible_placements(self.request.user).order_by("-start_on", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.may_see_shelters(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        placement = access.get_placement_for_user(request.user, kwargs["pk"])
        return Response(PlacementSerializer(placement).data)

    @extend_schema(summary="End the placement (send version)", request=PlacementEndSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        placement = access.get_placement_for_user(request.user, pk, write=True)
        data = _valid(PlacementEndSerializer, request)
        ended = service_call(
            lambda: services.end_placement(
                placement, actor=request.user, expected_version=data["version"], end_on=data["end_on"]
            )
        )
        return Response(PlacementSerializer(ended).data)


class ShelterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Shelters with beds taken today (counts only, never names)."""

    serializer_class = ShelterSerializer
    queryset = ShelterProfile.objects.none()

    def get_queryset(self) -> QuerySet[ShelterProfile]:
        return access.visible_shelters(self.request.user).order_by("organisation__name", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if access.may_see_shelters(self.request.user):
            context["taken"] = occupied_today(self.get_queryset())
        return context

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.may_see_shelters(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        shelter = access.get_shelter_for_user(request.user, kwargs["pk"])
        return Response(ShelterSerializer(shelter, context=self.get_serializer_context()).data)

    @extend_schema(summary="Beds taken each day over the last 90 days")
    @action(detail=True, methods=["get"])
    def occupancy(self, request: Request, pk: str | None = None) -> Response:
        shelter = access.get_shelter_for_user(request.user, pk)
        end = timezone.localdate()
        series = daily_occupancy(shelter, end - dt.timedelta(days=WINDOW_DAYS - 1), end)
        return Response(
            {"beds": shelter.beds, "days": [{"day": d.isoformat(), "taken": n} for d, n in series]}
        )
