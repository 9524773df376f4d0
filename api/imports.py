"""API of bulk imports, national exam results and merge suggestions."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSet
from api.pagination import NewestFirstCursorPagination
from api.permissions import IsStaff
from api.serializers import JobSerializer
from exams.models import ExamResult
from exams.selectors import MAX_TOP, top_results
from exams.subjects import COMBINATION_BY_CODE
from imports import services
from imports.files import error_report_xlsx
from imports.models import ImportBatch
from imports.report import error_report_path
from talent.models import Candidate, MergeSuggestion, Organization
from talent.services import candidate_merge, merge_suggestion_dismiss

_COUNT_KEYS = ("rows", "created", "updated", "unchanged", "held", "duplicates", "errors", "rejected",
               "merge_suggestions", "committed")


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class ImportBatchSerializer(serializers.ModelSerializer):
    job = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()
    errors_truncated = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()
    organization_code = serializers.CharField(source="organization.code", default=None, read_only=True)

    class Meta:
        model = ImportBatch
        fields = ("id", "kind", "state", "original_name", "size", "organization", "organization_code", "year",
                  "all_or_nothing", "message", "job", "counts", "errors", "errors_truncated", "preview",
                  "created_at", "committed_at")

    @extend_schema_field(JobSerializer(allow_null=True))
    def get_job(self, batch: ImportBatch) -> dict[str, Any] | None:
        job = batch.current_job
        return JobSerializer(job).data if job else None

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, batch: ImportBatch) -> dict[str, Any]:
        return {k: batch.report[k] for k in _COUNT_KEYS if k in batch.report}

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, batch: ImportBatch) -> list[dict[str, Any]]:
        return batch.report.get("errors_detail", [])

    def get_errors_truncated(self, batch: ImportBatch) -> bool:
        return bool(batch.report.get("errors_truncated"))

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_preview(self, batch: ImportBatch) -> list[dict[str, Any]]:
        return batch.report.get("preview", [])


class ImportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportBatch.Kind.choices)
    file = serializers.FileField()
    organization = serializers.CharField(required=False, help_text="receiving unit: id or code (candidates)")
    year = serializers.IntegerField(required=False, help_text="exam year (exam results)")
    all_or_nothing = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False, help_text="validate only; commit later with /commit/")

    def validate_organization(self, value: str) -> Organization:
        scoped = Organization.objects.for_user(self.context["request"].user)
        value = value.strip()
        found = scoped.filter(pk=int(value)).first() if value.isdigit() else scoped.filter(code__iexact=value).first()
        if found is None:
            raise serializers.ValidationError("Không có đơn vị này trong phạm vi của bạn.")
        return found


class ImportBatchViewSet(ScopedViewSet):
    """Uploads of candidate lists and exam results. Each runs as a background job: poll
    ``GET /imports/{id}/`` (or follow ``ws/jobs/{job.id}/``) for progress, counts and located errors."""

    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [IsStaff]
    parser_classes = [MultiPartParser, FormParser]
    select_related = ("organization", "validate_job", "commit_job")

    @extend_schema(request={"multipart/form-data": ImportCreateSerializer}, responses={202: ImportBatchSerializer})
    def create(self, request: Request) -> Response:
        data = ImportCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        batch = services.import_start(
            actor=request.user, kind=values["kind"], upload=values["file"], organization=values.get("organization"),
            year=values.get("year"), all_or_nothing=values["all_or_nothing"], dry_run=values["dry_run"],
        )
        return Response(ImportBatchSerializer(self.get_queryset().get(pk=batch.pk)).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str | None = None) -> Response:
        """Store a file validated with ``dry_run``."""
        batch = services.import_commit(batch=self.get_object(), actor=request.user)
        return Response(ImportBatchSerializer(self.get_queryset().get(pk=batch.pk)).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        batch = services.import_cancel(batch=self.get_object(), actor=request.user)
        return Response(ImportBatchSerializer(self.get_queryset().get(pk=batch.pk)).data)

    @extend_schema(parameters=[OpenApiParameter("as", str, enum=["csv", "xlsx"])], responses={(200, "text/csv"): bytes})
    @action(detail=True, methods=["get"], url_path="error-report")
    def error_report(self, request: Request, pk: str | None = None) -> HttpResponse:
        """Every problem found (not only the first 500), as CSV or ``?as=xlsx``."""
        batch = self.get_object()
        job = batch.current_job
        path = error_report_path(job.pk) if job else None
        if path is None or not path.exists():
            raise Http404("Không có báo cáo lỗi cho lượt nhập này.")
        if request.query_params.get("as") == "xlsx":
            response = HttpResponse(error_report_xlsx(path), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            response["Content-Disposition"] = f'attachment; filename="loi-nhap-{batch.pk}.xlsx"'
            return response
        return FileResponse(path.open("rb"), as_attachment=True, filename=f"loi-nhap-{batch.pk}.csv",
                            content_type="text/csv; charset=utf-8")


class TopResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    exam_number = serializers.CharField()
    total = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    scores = serializers.DictField(child=serializers.CharField())
    council = serializers.CharField()
    council_name = serializers.CharField()
    registered = serializers.BooleanField()
    candidate = serializers.IntegerField(allow_null=True, help_text="record id, when you may open it")


class ExamResultSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = ExamResult
        fields = ("id", "year", "exam_number", "council", "language_code", "scores", "a00", "a01", "b00", "c00",
                  "d01")

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_scores(self, result: ExamResult) -> dict[str, str]:
        return result.scores()


class ExamResultViewSet(ScopedViewSet):
    """Published national exam results (staff only). Filter with ``?year=&exam_number=&council=``."""

    queryset = ExamResult.objects.all()
    serializer_class = ExamResultSerializer
    permission_classes = [IsStaff]

    def scoped_queryset(self, qs: Any) -> Any:
        params = self.request.query_params
        for field in ("year", "exam_number", "council"):
            if params.get(field):
                qs = qs.filter(**{field: params[field]})
        return qs

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("combination", str, required=True,
                    enum=list(COMBINATION_BY_CODE)), OpenApiParameter("limit", int),
                    OpenApiParameter("province", int, description="today's province code"),
                    OpenApiParameter("council", str, description="two-digit exam council")],
        responses={200: TopResultSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def top(self, request: Request) -> Response:
        """The best totals of a combination, best first; equal totals share a rank."""
        params = request.query_params
        errors: dict[str, str] = {}
        combination = (params.get("combination") or "").upper()
        if combination not in COMBINATION_BY_CODE:
            errors["combination"] = f"Khối phải là một trong {', '.join(COMBINATION_BY_CODE)}."
        numbers: dict[str, int | None] = {}
        for name, default in (("year", None), ("limit", 20), ("province", None)):
            raw = params.get(name)
            try:
                numbers[name] = int(raw) if raw not in (None, "") else default
            except ValueError:
                errors[name] = "Phải là số nguyên."
        if numbers.get("year") is None and "year" not in errors:
            errors["year"] = "Cần năm thi."
        if numbers.get("limit") is not None and not 1 <= numbers["limit"] <= MAX_TOP:
            errors["limit"] = f"Số kết quả phải từ 1 đến {MAX_TOP}."
        if errors:
            raise serializers.ValidationError(errors)
        entries = top_results(user=request.user, year=numbers["year"], combination=combination,
                              limit=numbers["limit"], province=numbers["province"],
                              council=params.get("council") or None)
        data = [{"rank": e.rank, "exam_number": e.result.exam_number, "total": e.total, "scores": e.result.scores(),
                 "council": e.result.council, "council_name": e.result.council_name, "registered": e.registered,
                 "candidate": e.candidate_id} for e in entries]
        return Response(TopResultSerializer(data, many=True).data)


class MergeCandidateSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name")

    class Meta:
        model = Candidate
        fields = ("id", "full_name", "date_of_birth", "organization", "email", "phone", "stage")


class MergeSuggestionSerializer(serializers.ModelSerializer):
    candidate = MergeCandidateSerializer()
    other = MergeCandidateSerializer()

    class Meta:
        model = MergeSuggestion
        fields = ("id", "candidate", "other", "reasons", "status", "source", "created_at", "decided_at")


class MergeDecisionSerializer(serializers.Serializer):
    keep = serializers.IntegerField(help_text="id of the record to keep: the suggestion's candidate or other")


class MergeSuggestionViewSet(ScopedViewSet):
    """Probable duplicate records found by imports; merge (choosing the record to keep) or dismiss."""

    queryset = MergeSuggestion.objects.all()
    serializer_class = MergeSuggestionSerializer
    permission_classes = [IsStaff]
    select_related = ("candidate__organization", "other__organization")

    def scoped_queryset(self, qs: Any) -> Any:
        wanted = self.request.query_params.get("status", MergeSuggestion.Status.PENDING)
        return qs.filter(status=wanted) if wanted != "all" else qs

    @extend_schema(request=MergeDecisionSerializer, responses={200: MergeCandidateSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        suggestion = self.get_object()
        data = MergeDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = {suggestion.candidate_id: suggestion.candidate, suggestion.other_id: suggestion.other}
        keep = pair.get(data.validated_data["keep"])
        if keep is None:
            raise serializers.ValidationError({"keep": "Phải là một trong hai hồ sơ của đề xuất."})
        drop = suggestion.other if keep.pk == suggestion.candidate_id else suggestion.candidate
        kept = candidate_merge(keep=keep, drop=drop, actor=request.user)
        return Response(MergeCandidateSerializer(kept).data)

    @extend_schema(request=None, responses={200: MergeSuggestionSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        suggestion = merge_suggestion_dismiss(suggestion=self.get_object(), actor=request.user)
        return Response(MergeSuggestionSerializer(suggestion).data)
