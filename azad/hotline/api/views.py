"""API endpoints of the hotline, with the same access and services as the pages.

``/api/v1/hotline/calls/``: list (no identity), retrieve (recorded as a view),
create (a telephony system or web chat posts a call; ``idempotency_key``
honoured: 201 when recorded, 200 with the call already recorded), ``PATCH``
(send ``version``), ``hand-over`` (open a case and refer it to ATD; a retry
returns the case already opened, 200), ``link-case`` and ``callbacks`` actions.
``/api/v1/hotline/alerts/`` (``acknowledge``), ``/api/v1/hotline/callbacks/``
(``complete``), ``/api/v1/hotline/articles/``, ``/api/v1/hotline/dashboard/``.
Not visible -> 404, not allowed -> 403, bad input -> 400, stale -> 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from azad.audit.services import record_view
from azad.hotline import access, dashboard, services
from azad.hotline.api.serializers import (
    AlertSerializer,
    ArticleSerializer,
    CallbackAgreeSerializer,
    CallbackCompleteSerializer,
    CallbackSerializer,
    CallListSerializer,
    CallSerializer,
    CallUpdateSerializer,
    CallWriteSerializer,
    HandOverSerializer,
    LinkCaseSerializer,
)
from azad.hotline.choices import CallbackStatus
from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle
from azad.persons.api.views import service_call


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Hotline calls."""

    queryset = Call.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Call]:
        return access.visible_calls(self.request.user).order_by("-started_at", "pk")

    def get_serializer_class(self) -> Any:
        return CallListSerializer if self.action == "list" else CallSerializer

    def get_object(self) -> Call:
        return access.get_call_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not (access.is_hotline_member(request.user) or access.is_atd_member(request.user)):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        call = self.get_object()
        record_view(request.user, call, request=request)
        return Response(self._call_data(call))

    @extend_schema(request=CallWriteSerializer, responses={201: CallSerializer, 200: CallSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(CallWriteSerializer, request)
        call, created = service_call(lambda: services.record_call(actor=request.user, **data))
        return Response(
            self._call_data(call), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=CallUpdateSerializer, responses={200: CallSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        call = access.get_call_for_user(request.user, kwargs["pk"], write=True)
        data = _valid(CallUpdateSerializer, request)
        version = data.pop("version")
        call = service_call(
            lambda: services.update_call(call, actor=request.user, expected_version=version, **data)
        )
        return Response(self._call_data(call))

    @extend_schema(
        request=HandOverSerializer,
        responses={201: CallSerializer, 200: CallSerializer},
        summary="Open a presumed-victim case from the call and refer it to ATD (one action)",
        description=(
            "201 when the case was opened and referred; 200 with the case already opened when the call "
            "was handed over before (a retry writes nothing). The call's ``opened_case`` is the case."
        ),
    )
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: str | None = None) -> Response:
        call = self.get_object()
        data = _valid(HandOverSerializer, request)
        _case, created = service_call(lambda: services.hand_over_to_atd(call, actor=request.user, **data))
        call.refresh_from_db()
        return Response(
            self._call_data(call), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        request=LinkCaseSerializer,
        responses={200: CallSerializer},
        summary="Link the call to an existing case you see (404 for any other case)",
    )
    @action(detail=True, methods=["post"], url_path="link-case")
    def link_case(self, request: Request, pk: str | None = None) -> Response:
        call = self.get_object()
        data = _valid(LinkCaseSerializer, request)
        service_call(lambda: services.link_call_to_case(call, actor=request.user, case_id=data["case"]))
        return Response(self._call_data(call))

    def _call_data(self, call: Call) -> Any:
        return CallSerializer(call, context={"request": self.request}).data

    @extend_schema(request=CallbackAgreeSerializer, responses={201: CallbackSerializer})
    @action(detail=True, methods=["post"])
    def callbacks(self, request: Request, pk: str | None = None) -> Response:
        call = access.get_call_for_user(request.user, pk, write=True)
        data = _valid(CallbackAgreeSerializer, request)
        callback = service_call(lambda: services.agree_callback(call, actor=request.user, **data))
        return Response(CallbackSerializer(callback).data, status=status.HTTP_201_CREATED)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Immediate-danger alerts (ATD's duty list)."""

    queryset = Alert.objects.none()
    serializer_class = AlertSerializer

    def get_queryset(self) -> QuerySet[Alert]:
        if not (access.is_atd_member(self.request.user) or access.is_hotline_member(self.request.user)):
            raise PermissionDenied
        return access.visible_alerts(self.request.user).order_by("-created_at", "pk")

    def get_object(self) -> Alert:
        return access.get_alert_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        alert = access.get_alert_for_user(request.user, pk, write=True)
        alert = service_call(lambda: services.acknowledge_alert(alert, actor=request.user))
        return Response(AlertSerializer(alert).data)


class CallbackViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Agreed call-backs, due first (``?status=`` to see closed ones)."""

    queryset = Callback.objects.none()
    serializer_class = CallbackSerializer

    def get_queryset(self) -> QuerySet[Callback]:
        if not access.is_hotline_member(self.request.user):
            raise PermissionDenied
        wanted = self.request.query_params.get("status", CallbackStatus.AGREED)
        return access.visible_callbacks(self.request.user).filter(status=wanted).order_by("due_at", "pk")

    @extend_schema(request=CallbackCompleteSerializer, responses={200: CallbackSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        callback = access.get_callback_for_user(request.user, pk)
        data = _valid(CallbackCompleteSerializer, request)
        callback = service_call(
            lambda: services.complete_callback(
                callback, actor=request.user, expected_version=data["version"], missed=data["missed"]
            )
        )
        return Response(CallbackSerializer(callback).data)


class ArticleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The knowledge base; the hotline supervisor creates and changes articles."""

    queryset = KnowledgeArticle.objects.none()
    serializer_class = ArticleSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[KnowledgeArticle]:
        if not access.is_hotline_member(self.request.user):
            raise PermissionDenied
        return access.visible_articles(self.request.user)

    def get_object(self) -> KnowledgeArticle:
        return access.get_article_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(ArticleSerializer, request)
        data.pop("version", None)
        article = service_call(lambda: services.save_article(actor=request.user, **data))
        return Response(ArticleSerializer(article).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = access.get_article_for_user(request.user, kwargs["pk"], write=True)
        serializer = ArticleSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        article = service_call(
            lambda: services.save_article(
                actor=request.user, article=article, expected_version=version, **data
            )
        )
        return Response(ArticleSerializer(article).data)


class DashboardView(APIView):
    """The dashboard's aggregates (``?start=&end=`` ISO dates, ``grain=day|week|month``)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        if not access.may_see_dashboard(request.user):
            raise PermissionDenied
        today = timezone.localdate(timezone=dashboard.BAKU)
        try:
            start = (
                dt.date.fromisoformat(request.query_params.get("start") or "")
                if request.query_params.get("start")
                else today - dt.timedelta(days=89)
            )
            end = (
                dt.date.fromisoformat(request.query_params["end"])
                if request.query_params.get("end")
                else today
            )
        except ValueError:
            return Response({"detail": "start and end are ISO dates (YYYY-MM-DD)."}, status=400)
        grain = request.query_params.get("grain", "day")
        figures = dashboard.compute(
            access.dashboard_calls(request.user),
            start=start,
            end=end,
            grain=grain if grain in dashboard.GRAINS else "day",
            suppress=access.suppresses_small_counts(request.user),
        )
        return Response(
            {
                "start": start,
                "end": end,
                "suppressed_below": dashboard.SUPPRESS_BELOW if figures.suppressed else None,
                "total": figures.total,
                "referred": figures.referred,
                "referral_share": figures.referral_share,
                "tables": {
                    t.key: [{"label": label, "count": count} for label, count in t.rows]
                    for t in figures.tables
                },
            }
        )
