"""API of evaluation: cycles (list, create, one), a cycle's results, and one rater's sheet.

Cycles are listed for their runners (administrators, personnel officers: their subtree) and, for anyone
else, the cycles they rate or are rated in; creating one and reading its results are for runners
(403 otherwise). A sheet is accepted once from its assigned rater while the cycle is open: 400 after the
deadline or for a second sheet, 403 for someone who is not that person's rater.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSet
from api.pagination import IdCursorPagination
from core.audit import audit
from evaluation import selectors, services
from evaluation.models import RUNNERS, Evaluation, EvaluationCycle
from talent.models import Candidate, Organization, user_role


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCycle
        fields = ("id", "kind", "period", "organization", "deadline", "status")
        read_only_fields = fields


class CycleCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvaluationCycle.Kind.choices)
    period = serializers.CharField(max_length=7)
    organization = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    deadline = serializers.DateField()

    def validate_organization(self, value: int) -> Organization:
        unit = Organization.objects.for_user(self.context["request"].user).filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError("Không có đơn vị này trong phạm vi của bạn.")
        return unit


class ResultSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.FloatField(allow_null=True, help_text="0–100; the sum of the contributions")
    rating = serializers.CharField(help_text="excellent, good, complete or incomplete")
    contributions = serializers.DictField(child=serializers.FloatField(), help_text="criterion group → points of the total")
    rater_count = serializers.IntegerField()
    comment = serializers.CharField(help_text="the committee's comment on the person (finalized cycles)")


class EvaluationCreateSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    candidate = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    scores = serializers.DictField(child=serializers.FloatField(), help_text="criterion group → points")
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ("id", "cycle", "candidate", "rater_as", "submitted_at")
        read_only_fields = fields


class EvaluationCycleViewSet(ScopedViewSet):
    queryset = EvaluationCycle.objects.all()
    serializer_class = CycleSerializer
    pagination_class = IdCursorPagination
    select_related = ("organization", "form")

    def _runner(self) -> None:
        if user_role(self.request.user) not in RUNNERS:
            raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên tổ chức kỳ đánh giá.")

    @extend_schema(request=CycleCreateSerializer, responses={201: CycleSerializer})
    def create(self, request: Request) -> Response:
        self._runner()
        data = CycleCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        cycle = services.cycle_create(actor=request.user, **data.validated_data)
        return Response(CycleSerializer(cycle).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ResultSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Per person: the total, the rating, each criterion group's contribution (summing to the total) and
        how many raters took part — never a peer's own points. Runners only."""
        self._runner()
        cycle = self.get_object()
        if not Organization.objects.for_user(request.user).filter(pk=cycle.organization_id).exists():
            raise PermissionDenied("Kỳ đánh giá của đơn vị ngoài phạm vi của bạn.")
        rows = selectors.results(cycle)
        audit(actor=request.user, action="evaluation.read", obj=cycle, changes={"api": "results", "people": len(rows)})
        return Response(ResultSerializer(rows, many=True).data)


class EvaluationViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """One rater's sheet for one person in a cycle."""

    serializer_class = EvaluationSerializer

    def get_queryset(self) -> Any:  # for the schema; nothing is listed here
        return Evaluation.objects.none()

    @extend_schema(request=EvaluationCreateSerializer, responses={201: EvaluationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EvaluationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cycle = EvaluationCycle.objects.for_user(request.user).filter(pk=values["cycle"]).first()
        candidate = Candidate.objects.filter(pk=values["candidate"]).first()
        if cycle is None or candidate is None:
            raise PermissionDenied("Bạn không được phân công đánh giá người này trong kỳ.")
        evaluation = services.evaluation_submit(user=request.user, cycle=cycle, candidate=candidate,
                                                scores=values["scores"], comment=values["comment"])
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)

