"""API of the statistics: the figure keys, and one figure for a period and region.

``/api/v1/statistics/figures/`` lists the keys; ``/api/v1/statistics/figures/<key>/?start=&end=&region=``
returns the figure with the same suppression as the pages. Not allowed -> 403,
unknown key -> 404, bad filters -> 400 with translated messages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from azad.statistics import access, figures, output
from azad.statistics.forms import FilterForm

_ROW = inline_serializer(
    "StatisticsFigureRow",
    {
        "label": serializers.CharField(),
        "values": serializers.ListField(child=serializers.IntegerField(allow_null=True)),
    },
)
_FIGURE = inline_serializer(
    "StatisticsFigure",
    {
        "key": serializers.CharField(),
        "title": serializers.CharField(),
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "region": serializers.CharField(),
        "row_label": serializers.CharField(),
        "columns": serializers.ListField(child=serializers.CharField()),
        "rows": _ROW,
        "chart": serializers.ChoiceField(choices=["bar", "line", "stacked"]),
        "suppressed": serializers.BooleanField(),
        "suppressed_below": serializers.IntegerField(
            allow_null=True,
            help_text="The threshold when small counts were suppressed (null = not suppressed).",
        ),
    },
)
_KEYS = inline_serializer(
    "StatisticsFigureKeys", {"keys": serializers.ListField(child=serializers.CharField())}
)


def _allowed(request: Request) -> None:
    if not access.may_see_statistics(request.user):
        raise PermissionDenied


class FigureListView(APIView):
    """The keys of the figures the statistics offer."""

    @extend_schema(responses={200: _KEYS}, operation_id="statistics_figures_list")
    def get(self, request: Request) -> Response:
        _allowed(request)
        return Response({"keys": list(figures.FIGURE_KEYS)})


class FigureView(APIView):
    """One figure for a period (Baku dates, inclusive; default this year so far) and region ("" = all).

    A ``null`` value is a suppressed cell (fewer than ``suppressed_below``, or one that would reveal such a cell).
    """

    @extend_schema(
        responses={200: _FIGURE},
        operation_id="statistics_figures_retrieve",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD)."),
            OpenApiParameter("region", OpenApiTypes.STR, description="A region's name; empty for all."),
        ],
    )
    def get(self, request: Request, key: str) -> Response:
        _allowed(request)
        if key not in figures.FIGURE_KEYS:
            raise Http404
        form = FilterForm(request.query_params)
        if not form.is_valid():
            return Response(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}, status=400
            )
        filters = form.cleaned_data["filters"]
        shown, limit = output.figures_for_user(request.user, filters, [key])
        return Response(output.figure_json(shown[0], filters, limit))
