"""API of training: courses (list, create, one), enrolling a person, and the training compliance of the
plans of a term. Administrators and personnel officers only (403 for everyone else, before any lookup);
a course outside one's subtree answers as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSet
from api.pagination import IdCursorPagination
from succession import selectors as succession_selectors
from talent.models import Candidate, Organization, Training, user_role
from training import selectors, services
from training.models import RUNNERS, AttractionPayment, Course, Enrolment


class RunsTraining(BasePermission):
    message = "Đào tạo, bồi dưỡng do cán bộ tổ chức và quản trị viên quản lý."

    def has_permission(self, request: Any, view: Any) -> bool:
        return user_role(request.user) in RUNNERS


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ("id", "title", "kind", "provider", "organization", "starts_on", "ends_on", "seats", "cost_per_person")
        read_only_fields = fields


class CourseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=Training.Kind.choices)
    provider = serializers.CharField(max_length=255)
    organization = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    seats = serializers.IntegerField(min_value=1, max_value=100_000)
    cost_per_person = serializers.IntegerField(min_value=0, max_value=10**12, default=0)

    def validate_organization(self, value: int) -> Organization:
        unit = Organization.objects.for_user(self.context["request"].user).filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError("Không có đơn vị này trong phạm vi của bạn.")
        return unit


class EnrolSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = ("id", "course", "candidate", "status", "sessions_attended", "completed_on", "certificate_number")
        read_only_fields = fields


class CourseViewSet(ScopedViewSet):
    queryset = Course.objects.all()
    serializer_class = CourseSerializer
    permission_classes = [RunsTraining]
    pagination_class = IdCursorPagination
    select_related = ("organization",)

    @extend_schema(request=CourseCreateSerializer, responses={201: CourseSerializer})
    def create(self, request: Request) -> Response:
        data = CourseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        course = services.course_create(actor=request.user, **data.validated_data)
        return Response(CourseSerializer(course).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnrolSerializer, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def enrolments(self, request: Request, pk: str | None = None) -> Response:
        """Enrol a person in the course (within its seats); 400 for someone out of one's scope or enrolled."""
        course = self.get_object()
        data = EnrolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = Candidate.objects.for_user(request.user).filter(pk=data.validated_data["candidate"]).first()
        if candidate is None:
            raise serializers.ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
        enrolment = services.enrol(actor=request.user, course=course, candidate=candidate)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class MissingSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    name = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    title = serializers.CharField()
    organization = serializers.CharField()
    members = serializers.IntegerField()
    trained = serializers.IntegerField()
    trained_share = serializers.FloatField(allow_null=True, help_text="0–1: leadership-skills training in the year")
    missing = MissingSerializer(many=True)
    theory_missing = MissingSerializer(many=True, help_text="below the position's political-theory standard")


class TrainingComplianceViewSet(viewsets.GenericViewSet):
    permission_classes = [RunsTraining]
    serializer_class = ComplianceSerializer
    pagination_class = None

    def get_queryset(self) -> Any:  # for the schema; the list reads through the selector
        return Course.objects.none()

    @extend_schema(parameters=[OpenApiParameter("term", OpenApiTypes.STR),
                               OpenApiParameter("year", OpenApiTypes.INT, description="default: this year")],
                   responses={200: ComplianceSerializer(many=True)})
    def list(self, request: Request) -> Response:
        """Per plan of the term (default the newest): who has a leadership-skills training in the year."""
        from django.utils import timezone

        terms = succession_selectors.terms(request.user)
        term = request.query_params.get("term") or (terms[0] if terms else "")
        raw = request.query_params.get("year") or ""
        if raw and (not raw.isdigit() or not 2000 <= int(raw) <= 2100):
            raise serializers.ValidationError({"year": "Năm từ 2000 đến 2100."})
        year = int(raw) if raw else timezone.localdate().year
        rows = selectors.compliance(request.user, term, year)["rows"] if term else []
        return Response(ComplianceSerializer(rows, many=True).data)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    candidate = serializers.IntegerField(source="candidate_id")
    organization = serializers.IntegerField(source="organization_id")
    degree = serializers.CharField()
    with_practice = serializers.BooleanField()
    amount = serializers.IntegerField(help_text="đồng")
    paid_on = serializers.DateField()
    commitment_years = serializers.IntegerField()
    kept = serializers.BooleanField(allow_null=True, help_text="null while the commitment runs")


class AttractionPaymentViewSet(ScopedViewSet):
    """The attraction policy's one-off payments of the caller's subtree (runners)."""

    queryset = AttractionPayment.objects.all()
    serializer_class = PaymentSerializer
    permission_classes = [RunsTraining]
    pagination_class = IdCursorPagination


class BudgetSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    organization_name = serializers.CharField(source="organization.name")
    year = serializers.IntegerField()
    budget = serializers.IntegerField(help_text="đồng")
    courses = serializers.IntegerField(help_text="the year's courses: people sent × cost per person")
    payments = serializers.IntegerField(help_text="attraction payments paid in the year")
    spent = serializers.IntegerField()


class TrainingBudgetViewSet(viewsets.GenericViewSet):
    permission_classes = [RunsTraining]
    serializer_class = BudgetSerializer
    pagination_class = None

    def get_queryset(self) -> Any:  # for the schema; the list reads through the selector
        return Course.objects.none()

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="default: this year")],
                   responses={200: BudgetSerializer(many=True)})
    def list(self, request: Request) -> Response:
        from django.utils import timezone

        raw = request.query_params.get("year") or ""
        if raw and (not raw.isdigit() or not 2000 <= int(raw) <= 2100):
            raise serializers.ValidationError({"year": "Năm từ 2000 đến 2100."})
        rows = selectors.budgets(request.user, int(raw) if raw else timezone.localdate().year)
        return Response(BudgetSerializer(rows, many=True).data)
