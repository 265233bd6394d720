"""API endpoints of the referral mechanism, with the same access and services as the pages.

``/api/v1/cases/``: list (filters as on the page), retrieve (recorded as a
view), create, ``PATCH`` (victim context; send ``version``), and actions:
``transition``, ``refer-to-atd``, ``first-contact``, ``consents``,
``child-notifications``, ``child-details``, ``referrals``,
``residence-permit``, ``timeline``, and those of :mod:`azad.cases.api.support`
(``payments`` replaces the former ``allowance``). ``/api/v1/referrals/``:
the referrals you may see (``?box=incoming`` or ``outgoing``), and
``accept``, ``decline``, ``complete``, ``revoke``. Not visible -> 404,
not allowed -> 403, bad input -> 400 (nothing written), stale version -> 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from azad.audit.services import record_view
from azad.cases import access, services
from azad.cases.access import CaseRights
from azad.cases.api.returns import ReturnActions
from azad.cases.api.serializers import (
    CaseCreateSerializer,
    CaseEventSerializer,
    CaseListSerializer,
    CaseSerializer,
    ChildDetailsSerializer,
    ChildNotificationCreateSerializer,
    ChildNotificationSerializer,
    ConsentCreateSerializer,
    ConsentSerializer,
    ContextSerializer,
    FirstContactSerializer,
    ReferralAnswerSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    ReferToAtdSerializer,
    ResidencePermitSerializer,
    TransitionSerializer,
)
from azad.cases.api.support import SupportActions
from azad.cases.filters import CaseFilterSet
from azad.cases.models import Case, Referral
from azad.core.permissions import Data, Level, can
from azad.persons.access import get_person_for_user
from azad.persons.api.views import service_call


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="Cases you may see (no identity)"),
    retrieve=extend_schema(summary="One case (recorded as a view)"),
    create=extend_schema(
        summary="Open a case for a person", request=CaseCreateSerializer, responses={201: CaseSerializer}
    ),
    partial_update=extend_schema(summary="Set the victim context (send version)", request=ContextSerializer),
)
class CaseViewSet(
    SupportActions,
    ReturnActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Cases of the national referral mechanism."""

    filterset_class = CaseFilterSet
    queryset = Case.objects.none()  # for the schema; rows come from access
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        return access.visible_cases(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _case(self) -> Case:
        return access.get_case_for_user(self.request.user, self.kwargs["pk"])

    def _answer(self, case: Case, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = access.get_case_for_user(self.request.user, case.pk)
        rights = access.case_rights(self.request.user, fresh)
        data = CaseSerializer(fresh, context={**self.get_serializer_context(), "rights": rights}).data
        return Response(data, status=code)

    def _content(self, case: Case) -> CaseRights:
        rights = access.case_rights(self.request.user, case)
        if not rights.content:
            raise PermissionDenied
        return rights

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Data.CASE_CONTENT, Level.READ):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self._case()
        rights = access.case_rights(request.user, case)
        record_view(request.user, case, request=request._request)
        if rights.identity:
            record_view(request.user, case.person, request=request._request)
        return Response(
            CaseSerializer(case, context={**self.get_serializer_context(), "rights": rights}).data
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Data.CASE_CONTENT, Level.WRITE):
            raise PermissionDenied
        data = _valid(CaseCreateSerializer, request)
        person = get_person_for_user(request.user, data.pop("person"))
        case = service_call(lambda: services.create_case(actor=request.user, person=person, **data))
        return self._answer(case, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self._case()
        data = _valid(ContextSerializer, request)
        case = service_call(
            lambda: services.update_case_context(
                case,
                actor=request.user,
                expected_version=data["version"],
                exploitation_types=data["exploitation_types"],
                control_methods=data["control_methods"],
                region=data.get("region"),
            )
        )
        return self._answer(case)

    @extend_schema(
        summary="Move the case to another stage",
        request=TransitionSerializer,
        responses={200: CaseSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        data = _valid(TransitionSerializer, request)
        version, to_stage, occurred_at = (
            data.pop("version"),
            data.pop("to_stage"),
            data.pop("occurred_at", None),
        )
        case = service_call(
            lambda: services.transition_case(
                case, to_stage, actor=request.user, expected_version=version, occurred_at=occurred_at, **data
            )
        )
        return self._answer(case)

    @extend_schema(
        summary="Refer a presumed victim's case to ATD",
        request=ReferToAtdSerializer,
        responses={201: ReferralSerializer},
    )
    @action(detail=True, methods=["post"], url_path="refer-to-atd")
    def refer_to_atd(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        data = _valid(ReferToAtdSerializer, request)
        referral = service_call(
            lambda: services.refer_to_atd(
                case,
                actor=request.user,
                expected_version=data["version"],
                legal_ground=data.get("legal_ground", ""),
                note=data.get("note", ""),
            )
        )
        return Response(
            ReferralSerializer(referral, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Record the first contact", request=FirstContactSerializer, responses={200: CaseSerializer}
    )
    @action(detail=True, methods=["post"], url_path="first-contact")
    def first_contact(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        data = _valid(FirstContactSerializer, request)
        case = service_call(
            lambda: services.record_first_contact(
                case,
                actor=request.user,
                expected_version=data["version"],
                first_contact_at=data["first_contact_at"],
                channel=data["channel"],
            )
        )
        return self._answer(case)

    @extend_schema(
        summary="The consent ledger (GET) or a new answer (POST)",
        request=ConsentCreateSerializer,
        responses={200: ConsentSerializer(many=True), 201: ConsentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def consents(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        rights = self._content(case)
        if request.method == "GET":
            entries = case.consents.select_related("to_organisation").order_by("-recorded_at", "-id")
            return Response(
                ConsentSerializer(entries, many=True, context={"rights": rights, "request": request}).data
            )
        data = _valid(ConsentCreateSerializer, request)
        version = data.pop("version")
        consent = service_call(
            lambda: services.record_consent(case, actor=request.user, expected_version=version, **data)
        )
        return Response(
            ConsentSerializer(consent, context={"rights": rights, "request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Child notifications (GET) or a new one (POST)",
        request=ChildNotificationCreateSerializer,
        responses={200: ChildNotificationSerializer(many=True), 201: ChildNotificationSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="child-notifications")
    def child_notifications(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        self._content(case)
        if request.method == "GET":
            return Response(ChildNotificationSerializer(case.child_notifications.all(), many=True).data)
        data = _valid(ChildNotificationCreateSerializer, request)
        version = data.pop("version")
        notification = service_call(
            lambda: services.record_child_notification(
                case, actor=request.user, expected_version=version, **data
            )
        )
        return Response(ChildNotificationSerializer(notification).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Set the legal representative and best-interests note",
        request=ChildDetailsSerializer,
        responses={200: CaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="child-details")
    def child_details(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        data = _valid(ChildDetailsSerializer, request)
        version = data.pop("version")
        case = service_call(
            lambda: services.update_child_details(case, actor=request.user, expected_version=version, **data)
        )
        return self._answer(case)

    @extend_schema(
        summary="The case's referrals (GET) or an onward referral (POST)",
        request=ReferralCreateSerializer,
        responses={200: ReferralSerializer(many=True), 201: ReferralSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def referrals(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        if request.method == "GET":
            self._content(case)
            return Response(
                ReferralSerializer(
                    case.referrals.select_related("from_organisation", "to_organisation"),
                    many=True,
                    context={"request": request},
                ).data
            )
        data = _valid(ReferralCreateSerializer, request)
        version = data.pop("version")
        referral = service_call(
            lambda: services.create_referral(case, actor=request.user, expected_version=version, **data)
        )
        return Response(
            ReferralSerializer(referral, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Record the temporary residence permit",
        request=ResidencePermitSerializer,
        responses={200: CaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="residence-permit")
    def residence_permit(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        data = _valid(ResidencePermitSerializer, request)
        case = service_call(
            lambda: services.record_residence_permit(
                case,
                actor=request.user,
                expected_version=data["version"],
                issued_on=data["issued_on"],
                expires_on=data.get("expires_on"),
                number=data.get("number", ""),
                issuing_body=data.get("issuing_body", ""),
            )
        )
        return self._answer(case)

    @extend_schema(summary="The case's timeline", responses={200: CaseEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        case = self._case()
        self._content(case)
        return Response(CaseEventSerializer(case.events.all(), many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Referrals you may see (?box=incoming|outgoing, ?status=)"),
    retrieve=extend_schema(summary="One referral"),
)
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Referrals between organisations."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()  # for the schema; rows come from access
    filterset_fields = ("status", "purpose")

    def get_queryset(self) -> QuerySet[Referral]:
        user = self.request.user
        box = self.request.query_params.get("box", "")
        if box == "incoming":
            return access.incoming_referrals(user)
        referrals = access.visible_referrals(user)
        if box == "outgoing":
            return referrals.filter(from_organisation_id=getattr(user, "organisation_id", None))
        return referrals

    def get_object(self) -> Referral:
        return access.get_referral_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Data.REFERRALS, Level.READ):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def _answer(self, request: Request, call: Any) -> Response:
        referral = self.get_object()
        data = _valid(ReferralAnswerSerializer, request)
        result = service_call(lambda: call(referral, data))
        return Response(ReferralSerializer(result, context={"request": request}).data)

    @extend_schema(summary="Accept (the receiving organisation)", request=ReferralAnswerSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(
            request,
            lambda r, d: services.accept_referral(r, actor=request.user, expected_version=d["version"]),
        )

    @extend_schema(
        summary="Decline with a reason (the receiving organisation)", request=ReferralAnswerSerializer
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(
            request,
            lambda r, d: services.decline_referral(
                r, actor=request.user, expected_version=d["version"], reason=d.get("reason", "")
            ),
        )

    @extend_schema(summary="Mark completed (the receiving organisation)", request=ReferralAnswerSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(
            request,
            lambda r, d: services.complete_referral(r, actor=request.user, expected_version=d["version"]),
        )

    @extend_schema(summary="Revoke (the referring organisation)", request=ReferralAnswerSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(
            request,
            lambda r, d: services.revoke_referral(r, actor=request.user, expected_version=d["version"]),
        )
