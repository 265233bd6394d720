"""API of publication, with the same rules as the pages.

``POST /api/v1/publication/dataset/runs/`` queues a build of the public
k-anonymous dataset and answers 202 with the build (the same build, if one with
the same parameters is under way); ``GET /api/v1/publication/dataset/runs/``
and ``/runs/{id}/`` give builds, their progress and, once done, their report;
``/runs/{id}/csv/`` the CSV (recorded as an export; 409 while not done).
``/api/v1/publication/exports/``: list, create, retrieve, and ``approve``,
``refuse``, ``download`` (the password in the body; the answer is the
encrypted ZIP). Not allowed -> 403, not visible -> 404, bad input -> 400.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from azad.persons.api.views import service_call
from azad.publication import access, generation, services
from azad.publication.api.serializers import (
    DatasetRunSerializer,
    DownloadSerializer,
    ExportRequestCreateSerializer,
    ExportRequestSerializer,
    PublicDatasetQuerySerializer,
    RefuseSerializer,
)
from azad.publication.choices import RunStatus
from azad.publication.models import DatasetRun, ExportRequest


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="Builds of the public k-anonymous dataset (everyone's)"),
    retrieve=extend_schema(summary="One build: its progress, then its report"),
)
class DatasetRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Builds of the public k-anonymous dataset in the CTDC layout."""

    queryset = DatasetRun.objects.none()
    serializer_class = DatasetRunSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[DatasetRun]:
        if not access.may_publish(self.request.user):
            raise PermissionDenied
        return access.visible_runs(self.request.user).order_by("-created_at", "id")

    def get_object(self) -> DatasetRun:
        if not access.may_publish(self.request.user):
            raise PermissionDenied
        return access.get_run_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Build the public dataset (answers at once with the build; poll it, then fetch csv_url)",
        request=PublicDatasetQuerySerializer,
        responses={202: DatasetRunSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.may_publish(request.user):
            raise PermissionDenied
        params = _valid(PublicDatasetQuerySerializer, request)
        run, created = service_call(
            lambda: services.start_public_dataset(actor=request.user, request=request._request, **params)
        )
        if created:
            generation.launch(run)
        return Response(DatasetRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="A finished build as CSV (recorded as an export)",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            409: OpenApiResponse(description="Not built yet"),
        },
    )
    @action(detail=True, methods=["get"])
    def csv(self, request: Request, pk: str | None = None) -> HttpResponse | Response:
        self.get_object()
        run = access.get_run_for_user(request.user, pk, with_files=True)
        if run.status != RunStatus.DONE or run.csv is None:
            return Response({"detail": _("The dataset is not built yet.")}, status=status.HTTP_409_CONFLICT)
        services.record_run_download(
            run, actor=request.user, request=request._request, kind="ctdc_dataset.csv"
        )
        response = HttpResponse(bytes(run.csv), content_type="text/csv; charset=utf-8")
        name = f"ctdc-k{run.k}-{run.year_from}-{run.year_to}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@extend_schema_view(
    list=extend_schema(summary="Case-level export requests (own, or all for an approver)"),
    retrieve=extend_schema(summary="One export request"),
    create=extend_schema(
        summary="Request a case-level export (a second person must approve it)",
        request=ExportRequestCreateSerializer,
        responses={201: ExportRequestSerializer},
    ),
)
class ExportRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Case-level (HTCDS) export requests."""

    queryset = ExportRequest.objects.none()
    serializer_class = ExportRequestSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ExportRequest]:
        if not access.may_use_exports(self.request.user):
            raise PermissionDenied
        return access.visible_requests(self.request.user).order_by("-requested_at", "pk")

    def get_object(self) -> ExportRequest:
        return access.get_request_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.may_request_export(request.user):
            raise PermissionDenied
        data = _valid(ExportRequestCreateSerializer, request)
        export = service_call(
            lambda: services.create_export_request(actor=request.user, request=request, **data)
        )
        return Response(ExportRequestSerializer(export).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve another person's request", request=None, responses={200: ExportRequestSerializer}
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        export = self.get_object()
        export = service_call(
            lambda: services.approve_export_request(export, actor=request.user, request=request)
        )
        return Response(ExportRequestSerializer(export).data)

    @extend_schema(
        summary="Refuse another person's request",
        request=RefuseSerializer,
        responses={200: ExportRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        export = self.get_object()
        data = _valid(RefuseSerializer, request)
        export = service_call(
            lambda: services.refuse_export_request(
                export, actor=request.user, reason=data["reason"], request=request
            )
        )
        return Response(ExportRequestSerializer(export).data)

    @extend_schema(
        summary="Download an approved export once: an AES-256 ZIP under the password sent",
        request=DownloadSerializer,
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["post"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        export = self.get_object()
        if export.requested_by_id != request.user.pk:
            raise PermissionDenied
        data = _valid(DownloadSerializer, request)
        archive, _count = service_call(
            lambda: services.download_export(
                export, actor=request.user, password=data["password"], request=request
            )
        )
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="htcds-cases-{export.reference}.zip"'
        return response
