"""API endpoints of the annual report, with the same access and services as the pages.

``POST /api/v1/reports/runs/`` (``year``, ``language``) queues a generation
and answers 202 with the run; ``GET /api/v1/reports/runs/`` and
``/runs/{id}/`` give runs and their progress; ``/runs/{id}/pdf/`` the PDF
(recorded as an export; 409 while not done); ``GET``/``PUT
/api/v1/reports/narratives/{year}/{language}/`` the narrative (send
``version``; 409 if stale). Not allowed -> 403, bad input -> 400.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from azad.audit.services import record_export
from azad.core.exceptions import NotVisible
from azad.persons.api.views import service_call
from azad.reports import access, generation, services
from azad.reports.api.serializers import GenerateSerializer, NarrativeSerializer, RunSerializer
from azad.reports.choices import RunStatus
from azad.reports.models import ReportRun


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Generations of the annual report."""

    queryset = ReportRun.objects.none()
    serializer_class = RunSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ReportRun]:
        if not access.may_read_reports(self.request.user):
            raise PermissionDenied
        return access.visible_runs(self.request.user).order_by("-created_at", "id")

    def get_object(self) -> ReportRun:
        if not access.may_read_reports(self.request.user):
            raise PermissionDenied
        return access.get_run_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Produce the annual report (answers at once; poll the run)",
        request=GenerateSerializer,
        responses={202: RunSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.may_generate_report(request.user):
            raise PermissionDenied
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run, created = service_call(
            lambda: services.start_report(data["year"], data["language"], actor=request.user)
        )
        if created:
            generation.launch(run)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The report's PDF (recorded as an export)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            409: OpenApiResponse(description="Not produced yet"),
        },
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse | Response:
        self.get_object()
        run = access.get_run_for_user(request.user, pk, with_document=True)
        if run.status != RunStatus.DONE or not run.pdf:
            return Response({"detail": _("The report is not ready yet.")}, status=status.HTTP_409_CONFLICT)
        record_export(
            request.user,
            kind="annual_report.pdf",
            count=1,
            request=request._request,
            filters={"year": run.year, "language": run.language},
            public=["year", "language"],
        )
        response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="annual-report-{run.year}-{run.language}.pdf"'
        )
        return response


class NarrativeView(APIView):
    """The narrative of a year's report in one language (the National Coordinator's)."""

    serializer_class = NarrativeSerializer

    def _narrative_key(self, year: str, language: str) -> tuple[int, str]:
        if not access.may_edit_narrative(self.request.user):
            raise PermissionDenied
        try:
            return services.clean_year(year), services.clean_language(language)
        except DjangoValidationError:
            raise NotVisible from None

    @extend_schema(
        summary="The narrative (version 0 when not written yet)", responses={200: NarrativeSerializer}
    )
    def get(self, request: Request, year: str, language: str) -> Response:
        year_number, code = self._narrative_key(year, language)
        return Response(NarrativeSerializer(services.narrative_for(year_number, code)).data)

    @extend_schema(
        summary="Write the narrative (send version; 409 if stale)",
        request=NarrativeSerializer,
        responses={200: NarrativeSerializer, 409: OpenApiResponse(description="Changed meanwhile")},
    )
    def put(self, request: Request, year: str, language: str) -> Response:
        year_number, code = self._narrative_key(year, language)
        serializer = NarrativeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        narrative = service_call(
            lambda: services.save_narrative(
                year_number, code, data["text"], actor=request.user, expected_version=data["version"]
            )
        )
        return Response(NarrativeSerializer(narrative).data)
