"""API endpoints: evaluate answers, screenings, counts and the indicator catalogue.

Rows come from :mod:`azad.screening.access`, writes go through
:mod:`azad.screening.services`, exactly as for the pages: not visible -> 404,
read-only -> 403, bad input -> 400 naming every problem (nothing written),
concurrent edit -> 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from azad.accounts.services import error_messages
from azad.api.pagination import CursorPagination
from azad.audit.services import record_view
from azad.core.permissions import Data, Level, can
from azad.screening import access, explain, loader, services
from azad.screening.api.serializers import (
    AnswersUpdateSerializer,
    CatalogueLoadedSerializer,
    CountSerializer,
    EvaluateRequestSerializer,
    ExplanationSerializer,
    IndicatorListDetailSerializer,
    IndicatorListSerializer,
    ProblemsSerializer,
    ReferredSerializer,
    ScreeningCreateSerializer,
    ScreeningDetailSerializer,
    ScreeningReferralSerializer,
    ScreeningSerializer,
    VersionSerializer,
)
from azad.screening.filters import ScreeningFilterSet
from azad.screening.models import IndicatorList, Screening

_BAD = OpenApiResponse(description="Invalid input, every problem named; nothing was written.")
_FORBIDDEN = OpenApiResponse(description="Not allowed for this role.")
_NOT_FOUND = OpenApiResponse(description="Not found or not visible.")
_CONFLICT = OpenApiResponse(description="Somebody else saved the screening since it was read.")


def _service[T](call: Callable[[], T]) -> T:
    """Run a service; its rule errors become a 400 with field messages ("list" and "answers" included)."""
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(error_messages(error)) from None


def _result(indicator_list: IndicatorList, snapshot: dict[str, Any]) -> dict[str, Any]:
    return explain.explain(snapshot, indicator_list).as_dict()


class ScreeningPagination(CursorPagination):
    """Keyset pages of screenings, newest first."""

    ordering = "-started_at"


class EvaluateView(APIView):
    """Evaluate answers against a list version without saving anything."""

    @extend_schema(
        summary="Evaluate answers without saving",
        description=(
            "Name the list (`list`: code@version, or code for its latest version), or give the suspected "
            "exploitation and the age data so that the list is chosen as for a screening. The result is "
            "advisory: indicative / not_indicative / insufficient_information, with the reasons."
        ),
        request=EvaluateRequestSerializer,
        responses={200: ExplanationSerializer, 400: _BAD, 403: _FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        if not can(request.user, Data.SCREENINGS, Level.WRITE):
            raise PermissionDenied
        body = EvaluateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        indicator_list, evaluation = _service(
            lambda: services.evaluate_answers(
                answers=data["answers"],
                list_key=data.get("list") or "",
                suspected_exploitation=data.get("suspected_exploitation") or "",
                age=data.get("age"),
                birth_date=data.get("birth_date"),
                birth_year=data.get("birth_year"),
            )
        )
        return Response(_result(indicator_list, evaluation.to_dict()))


class StatisticsView(APIView):
    """Completed screenings by list version, result and month."""

    @extend_schema(
        summary="Screening counts (aggregate)",
        description="Counts from 1 to 10 are null (suppressed) for roles that see aggregates only.",
        responses={200: CountSerializer(many=True), 403: _FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        rows = access.screening_counts(request.user)
        return Response(
            [
                {
                    "list": row.list_code,
                    "version": row.list_version,
                    "outcome": row.outcome,
                    "month": row.month.isoformat() if row.month else None,
                    "count": row.count,
                }
                for row in rows
            ]
        )


@extend_schema_view(
    list=extend_schema(
        summary="List screenings you may see", responses={200: ScreeningSerializer, 403: _FORBIDDEN}
    ),
    retrieve=extend_schema(
        summary="One screening with its answers and result",
        responses={200: ScreeningDetailSerializer, 404: _NOT_FOUND},
    ),
    create=extend_schema(
        summary="Start a screening",
        request=ScreeningCreateSerializer,
        responses={201: ScreeningDetailSerializer, 400: _BAD, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class ScreeningViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Screenings: the screener's organisation's, and, once referred, the police ATD's."""

    serializer_class = ScreeningSerializer
    filterset_class = ScreeningFilterSet
    queryset = Screening.objects.none()  # for the schema; rows come from access

    pagination_class = ScreeningPagination

    def get_queryset(self) -> QuerySet[Screening]:
        return access.visible_screenings(self.request.user)

    def get_object(self) -> Screening:
        return access.get_screening_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, screening: Screening, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = access.get_screening_for_user(self.request.user, screening.pk)
        return Response(
            ScreeningDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Data.SCREENINGS, Level.READ):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        screening = self.get_object()
        record_view(request.user, screening, request=request._request)
        return Response(ScreeningDetailSerializer(screening, context=self.get_serializer_context()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.can_screen(request.user):
            raise PermissionDenied
        body = ScreeningCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        screening = _service(
            lambda: services.start_screening(
                actor=request.user,
                suspected_exploitation=data["suspected_exploitation"],
                age=data.get("age"),
                birth_year=data.get("birth_year"),
                birth_date=data.get("birth_date"),
                person=data.get("person"),
                list_key=data.get("list") or "",
                answers=data.get("answers") or {},
                notes=data.get("notes") or {},
            )
        )
        return self._detail(screening, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save answers and notes on a draft (send version)",
        request=AnswersUpdateSerializer,
        responses={
            200: ScreeningDetailSerializer,
            400: _BAD,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, pk: str | None = None) -> Response:
        screening = access.get_screening_for_user(request.user, pk, write=True)
        body = AnswersUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        screening = _service(
            lambda: services.save_answers(
                screening,
                actor=request.user,
                expected_version=data["version"],
                answers=data.get("answers") or {},
                notes=data.get("notes") or {},
            )
        )
        return self._detail(screening)

    @extend_schema(
        summary="Complete a draft: evaluate and store the result (send version)",
        request=AnswersUpdateSerializer,
        responses={
            200: ScreeningDetailSerializer,
            400: _BAD,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        screening = access.get_screening_for_user(request.user, pk, write=True)
        body = AnswersUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        screening = _service(
            lambda: services.complete_screening(
                screening,
                actor=request.user,
                expected_version=data["version"],
                answers=data.get("answers") or {},
                notes=data.get("notes") or {},
            )
        )
        return self._detail(screening)

    @extend_schema(
        summary="Discard a draft (send version)",
        request=VersionSerializer,
        responses={
            200: ScreeningDetailSerializer,
            400: _BAD,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str | None = None) -> Response:
        screening = access.get_screening_for_user(request.user, pk, write=True)
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        screening = _service(
            lambda: services.discard_screening(
                screening, actor=request.user, expected_version=body.validated_data["version"]
            )
        )
        return self._detail(screening)

    @extend_schema(
        summary="Refer an indicative screening's person to the police ATD (opens the case)",
        request=ScreeningReferralSerializer,
        responses={
            201: ReferredSerializer,
            400: _BAD,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str | None = None) -> Response:
        screening = access.get_screening_for_user(request.user, pk, write=True)
        body = ScreeningReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = _service(
            lambda: services.refer_screening_to_atd(
                screening,
                actor=request.user,
                expected_version=data["version"],
                consent=data["consent"],
                representative_name=data["representative_name"],
                legal_ground=data["legal_ground"],
                first_contact_at=data["first_contact_at"],
                channel=data["channel"],
            )
        )
        return Response(ReferredSerializer({"case": case.pk, "stage": case.stage}).data, status=201)


@extend_schema_view(
    list=extend_schema(
        summary="Indicator list versions", responses={200: IndicatorListSerializer, 403: _FORBIDDEN}
    ),
    retrieve=extend_schema(
        summary="One list version with its indicators",
        responses={200: IndicatorListDetailSerializer, 404: _NOT_FOUND},
    ),
)
class IndicatorListViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The catalogue: list versions and their indicators; system administrators load new files."""

    serializer_class = IndicatorListSerializer
    queryset = IndicatorList.objects.none()  # for the schema; rows come from access
    pagination_class = None
    filterset_class = None

    def get_queryset(self) -> QuerySet[IndicatorList]:
        return (
            access.visible_indicator_lists(self.request.user)
            .annotate(indicator_count=Count("indicators"))
            .order_by("code", "-version")
        )

    def get_object(self) -> IndicatorList:
        access.get_indicator_list_for_user(self.request.user, self.kwargs["pk"])
        return self.get_queryset().prefetch_related("indicators").get(pk=self.kwargs["pk"])

    def get_serializer_class(self) -> type[IndicatorListSerializer]:
        return IndicatorListDetailSerializer if self.action == "retrieve" else IndicatorListSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.can_read_catalogue(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Load a list file (system administrators)",
        description="The body is the list file itself (JSON). All or nothing: a refused file lists every problem.",
        request={"application/json": dict},
        responses={
            201: CatalogueLoadedSerializer,
            200: CatalogueLoadedSerializer,
            400: ProblemsSerializer,
            403: _FORBIDDEN,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.can_manage_catalogue(request.user):
            raise PermissionDenied
        try:
            indicator_list, created = services.load_indicator_list(request.data, actor=request.user)
        except loader.CatalogueError as error:
            return Response(
                {"detail": services.problems_text(error), "problems": error.problems},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fresh = self.get_queryset().get(pk=indicator_list.pk)
        return Response(
            {
                "list": IndicatorListSerializer(fresh, context=self.get_serializer_context()).data,
                "created": created,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
