"""API of the scoring module: rubrics, rankings, the fairness audit, score runs, a candidate's
breakdown and contests of a record.

Reading a ranking never starts one on the reader's authority: when a cohort has no run yet it is
ranked on the spot with ``actor=None`` (the rows are filtered by what the reader may see anyway);
starting a run (``POST /score-runs/``) is what the rank permission guards.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSet, ScopedViewSetMixin, is_true
from api.pagination import IdCursorPagination, NewestFirstCursorPagination
from api.permissions import IsStaff, MayReadRankings
from api.serializers import JobSerializer
from scoring import selectors, services
from scoring.models import RecordContest, Rubric, RubricVersion, Score, ScoreRun
from talent.models import Candidate, Role, user_organization, user_role
from talent.readlog import record_reads

MAX_TOP = 100_000
COHORT_HELP = ("all, org:<id hoặc mã đơn vị>, year:<năm bắt đầu học>, pool:<id nguồn>. Mặc định: đơn vị của "
               "cán bộ liên lạc trường; all với người khác.")


# --- Query parameters --------------------------------------------------------------------------------


def rubric_from(value: str | None, user: Any) -> Rubric:
    """The rubric named by its slug; an unknown or missing one is a client error (400)."""
    slug = (value or "").strip()
    if not slug:
        raise serializers.ValidationError({"rubric": "Cần chọn bộ tiêu chí (rubric=<mã>)."})
    rubric = Rubric.objects.for_user(user).filter(slug=slug[:64]).first()
    if rubric is None:
        raise serializers.ValidationError({"rubric": f"Không có bộ tiêu chí «{slug[:64]}»."})
    return rubric


def default_cohort(user: Any) -> str:
    """A liaison ranks within their own university by default; everyone else within everyone."""
    if user_role(user) == Role.LIAISON:
        org = user_organization(user)
        if org is not None:
            return f"org:{org.pk}"
    return "all"


def cohort_from(value: str | None, user: Any) -> services.Cohort:
    """``cohort_parse`` in the reader's scope: an organization or pool they cannot see is refused
    exactly like one that does not exist (400)."""
    text = (value or "").strip() or default_cohort(user)
    if len(text) > 80:
        raise serializers.ValidationError({"cohort": "Nhóm xếp hạng không hợp lệ."})
    return services.cohort_parse(text, user=user)


def top_from(value: str | None) -> int:
    try:
        top = int((value or "").strip())
    except ValueError:
        top = 0
    if not 1 <= top <= MAX_TOP:
        raise serializers.ValidationError({"top": f"Số người được chọn (top) phải là số nguyên từ 1 đến {MAX_TOP}."})
    return top


RUBRIC_PARAM = OpenApiParameter("rubric", str, required=True, description="mã bộ tiêu chí, ví dụ university-student")
COHORT_PARAM = OpenApiParameter("cohort", str, description=COHORT_HELP)


# --- Rubrics ---------------------------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    feature = serializers.CharField()
    weight = serializers.FloatField()
    normalization = serializers.CharField()
    direction = serializers.CharField(default="higher")
    missing = serializers.CharField()
    cap = serializers.FloatField(allow_null=True, default=None)
    scale_min = serializers.FloatField(allow_null=True, default=None)
    scale_max = serializers.FloatField(allow_null=True, default=None)
    label = serializers.CharField(default="")
    rationale = serializers.CharField(default="")


class FilterSerializer(serializers.Serializer):
    feature = serializers.CharField()
    op = serializers.CharField()
    value = serializers.JSONField()
    label = serializers.CharField(default="")


class RubricVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricVersion
        fields = ("number", "state", "note", "activated_at")


def _active(rubric: Rubric) -> RubricVersion | None:
    # From the prefetched versions: no query per rubric.
    return next((v for v in rubric.versions.all() if v.state == RubricVersion.State.ACTIVE), None)


class RubricSerializer(serializers.ModelSerializer):
    """A rubric with its active version's criteria and filters, and every version's state."""

    active_version = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()
    filters = serializers.SerializerMethodField()
    versions = RubricVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ("slug", "name", "description", "active_version", "criteria", "filters", "versions")

    def get_active_version(self, rubric: Rubric) -> int | None:
        version = _active(rubric)
        return version.number if version else None

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, rubric: Rubric) -> list[dict[str, Any]]:
        version = _active(rubric)
        return CriterionSerializer(version.criteria, many=True).data if version else []

    @extend_schema_field(FilterSerializer(many=True))
    def get_filters(self, rubric: Rubric) -> list[dict[str, Any]]:
        version = _active(rubric)
        return FilterSerializer(version.filters, many=True).data if version else []


class RubricViewSet(ScopedViewSet):
    """The rubrics every score is computed under (read by every signed-in person: how one is ranked
    is not a secret). Criteria and filters are those of the active version."""

    queryset = Rubric.objects.all()
    serializer_class = RubricSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    prefetch_related = ("versions",)
    filter_backends: list[Any] = []


# --- Rankings --------------------------------------------------------------------------------------------


class RankingRowSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    full_name = serializers.CharField(required=False, help_text="absent in blind mode (blind=1)")
    organization = serializers.CharField()
    rank = serializers.IntegerField(help_text="standard competition rank: equal scores share it (1, 2, 2, 4)")
    tied = serializers.BooleanField(help_text="another candidate of the run has the same rank")
    position = serializers.IntegerField(help_text="place in the run's list (unique; ties listed by the heaviest "
                                                  "criteria, then the candidate id)")
    score = serializers.FloatField()
    percentile = serializers.FloatField()
    contributions = serializers.DictField(child=serializers.FloatField())


class RankingPagination(IdCursorPagination):
    """Keyset on the place in the list (unique within a run); the page also says which run it comes from."""

    ordering = "position"
    meta: dict[str, Any]

    def get_paginated_response(self, data: Any) -> Response:
        return Response({**getattr(self, "meta", {}), "next": self.get_next_link(),
                         "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        base = super().get_paginated_response_schema(schema)
        base["properties"] = {
            "rubric": {"type": "string"}, "version": {"type": "integer"},
            "run": {"type": "string", "format": "uuid"}, "run_at": {"type": "string", "format": "date-time"},
            "cohort": {"type": "string"}, "cohort_label": {"type": "string"}, "cohort_size": {"type": "integer"},
            "blind": {"type": "boolean"}, **base["properties"],
        }
        return base


class FairnessGroupSerializer(serializers.Serializer):
    group = serializers.CharField()
    label = serializers.CharField()
    considered = serializers.IntegerField()
    selected = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    ratio = serializers.FloatField(allow_null=True, help_text="selection rate ÷ the highest group's rate")
    flag = serializers.CharField(help_text="'' | below_four_fifths | too_small")


class FairnessGroupingSerializer(serializers.Serializer):
    grouping = serializers.CharField()
    label = serializers.CharField()
    groups = FairnessGroupSerializer(many=True)
    warning = serializers.CharField()


class FairnessSerializer(serializers.Serializer):
    rubric = serializers.CharField()
    version = serializers.IntegerField()
    run = serializers.UUIDField()
    cohort = serializers.CharField()
    cohort_label = serializers.CharField()
    top = serializers.IntegerField()
    considered = serializers.IntegerField(help_text="everyone ranked in the run")
    groupings = FairnessGroupingSerializer(many=True)


def _latest_run(request: Request) -> tuple[Rubric, services.Cohort, ScoreRun]:
    rubric = rubric_from(request.query_params.get("rubric"), request.user)
    cohort = cohort_from(request.query_params.get("cohort"), request.user)
    # actor=None: reading must not fail on the permission to start a run (rows are scoped below).
    run = services.score_run_latest_or_execute(rubric=rubric, cohort=cohort, actor=None)
    return rubric, cohort, run


class RankingViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The newest ranking of a cohort under a rubric's active version, best first."""

    queryset = Score.objects.all()
    serializer_class = RankingRowSerializer
    pagination_class = RankingPagination
    permission_classes = [MayReadRankings]
    filter_backends: list[Any] = []

    @extend_schema(parameters=[RUBRIC_PARAM, COHORT_PARAM, OpenApiParameter(
        "blind", bool, description="blind review: rows without names")],
        responses={200: RankingRowSerializer(many=True)})
    def list(self, request: Request) -> Response:
        """Rows of the candidates you may see (recruiters: the shared, consenting ones), each with the
        criteria's contributions (they add up to the score). Students are refused: they read their
        own breakdown at ``/candidates/{id}/score/``."""
        rubric, cohort, run = _latest_run(request)
        blind = is_true(request.query_params.get("blind"))
        rows = selectors.with_ties(selectors.run_scores(request.user, run)).values(
            "candidate_id", "candidate__full_name", "candidate__organization__name", "rank", "tied", "position",
            "score", "percentile", "contributions")
        paginator = self.paginator
        assert isinstance(paginator, RankingPagination)
        page = paginator.paginate_queryset(rows, request, view=self) or []
        data = []
        # jsonb does not keep key order: give the contributions back in the rubric's criterion order.
        keys = [c["key"] for c in run.version.criteria]
        for row in page:
            line = {"candidate": row["candidate_id"], "full_name": row["candidate__full_name"],
                    "organization": row["candidate__organization__name"], "rank": row["rank"],
                    "tied": row["tied"], "position": row["position"], "score": row["score"], "percentile": row["percentile"],
                    "contributions": {k: row["contributions"][k] for k in keys if k in row["contributions"]}}
            if blind:
                del line["full_name"]
            data.append(line)
        record_reads(user=request.user, candidate_ids=[line["candidate"] for line in data], via="api.rankings")
        paginator.meta = {"rubric": rubric.slug, "version": run.version.number, "run": str(run.pk),
                          "run_at": run.created_at, "cohort": cohort.key, "cohort_label": cohort.label,
                          "cohort_size": run.size, "blind": blind, "ranking_rule": "standard_competition"}
        return paginator.get_paginated_response(RankingRowSerializer(data, many=True).data)

    @extend_schema(parameters=[RUBRIC_PARAM, COHORT_PARAM, OpenApiParameter(
        "top", int, required=True, description=f"the cut: the first N ranks are selected (1..{MAX_TOP})")],
        responses={200: FairnessSerializer})
    @action(detail=False, methods=["get"], permission_classes=[IsStaff], pagination_class=None)
    def fairness(self, request: Request) -> Response:
        """The four-fifths audit of cutting the ranking at ``top``: selection rate per gender,
        ethnic-minority status and region, each group's ratio to the highest, with counts and a
        warning where groups are too small to judge. Staff only; counts, never names."""
        top = top_from(request.query_params.get("top"))
        rubric, cohort, run = _latest_run(request)
        return Response(FairnessSerializer({
            "rubric": rubric.slug, "version": run.version.number, "run": run.pk, "cohort": cohort.key,
            "cohort_label": cohort.label, "top": top, "considered": run.size,
            "groupings": selectors.fairness_report(run, top)}).data)


# --- Score runs ----------------------------------------------------------------------------------------


class ScoreRunSerializer(serializers.ModelSerializer):
    rubric = serializers.CharField(source="version.rubric.slug", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = ScoreRun
        fields = ("id", "rubric", "version", "cohort", "cohort_label", "status", "size", "excluded", "job",
                  "created_by", "created_at", "finished_at")
        read_only_fields = fields


class ScoreRunCreateSerializer(serializers.Serializer):
    rubric = serializers.CharField(max_length=64)
    cohort = serializers.CharField(max_length=80, required=False, allow_blank=True, help_text=COHORT_HELP)


class ScoreRunViewSet(ScopedViewSet):
    """Stored rankings (staff only). ``POST`` ranks a cohort in the background: follow the job it
    returns; a liaison ranks their own university or pools, not everyone. Filter with ``?rubric=``."""

    queryset = ScoreRun.objects.all()
    serializer_class = ScoreRunSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [IsStaff]
    select_related = ("version__rubric", "created_by")
    filter_backends: list[Any] = []

    def scoped_queryset(self, qs: Any) -> Any:
        slug = self.request.query_params.get("rubric")
        return qs.filter(version__rubric__slug=slug[:64]) if slug else qs

    @extend_schema(parameters=[OpenApiParameter("rubric", str)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ScoreRunCreateSerializer, responses={202: JobSerializer})
    def create(self, request: Request) -> Response:
        data = ScoreRunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rubric = rubric_from(data.validated_data["rubric"], request.user)
        cohort = cohort_from(data.validated_data.get("cohort"), request.user)
        job = services.score_run_start(rubric=rubric, cohort=cohort, actor=request.user)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


# --- A candidate's breakdown and contests (actions of CandidateViewSet) ------------------------------------


class BreakdownLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rationale = serializers.CharField()
    feature = serializers.CharField()
    feature_label = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="raw value; null when missing")
    weight = serializers.FloatField()
    normalization = serializers.CharField()
    missing = serializers.CharField(help_text="missing-value policy: zero | median | exclude")
    contribution = serializers.FloatField()
    headroom = serializers.FloatField(help_text="weight − contribution: what is left to gain")
    gap_to_above = serializers.FloatField(allow_null=True,
                                          help_text="the person ranked just above minus this one (never named)")


class BreakdownSerializer(serializers.Serializer):
    """``ranked: false`` (with a ``reason``) when the candidate is not in the ranking: filtered out by
    the rubric, missing a required value, out of the programme, or changed since the newest run."""

    ranked = serializers.BooleanField()
    reason = serializers.CharField(required=False)
    rubric = serializers.CharField()
    rubric_name = serializers.CharField()
    version = serializers.IntegerField()
    run = serializers.UUIDField()
    cohort = serializers.CharField(required=False)
    cohort_size = serializers.IntegerField(required=False)
    score = serializers.FloatField(required=False)
    rank = serializers.IntegerField(required=False)
    percentile = serializers.FloatField(required=False)
    max_score = serializers.FloatField(required=False)
    gap_to_above = serializers.FloatField(required=False, allow_null=True)
    criteria = BreakdownLineSerializer(many=True, required=False)


def candidate_score(request: Request, candidate: Candidate) -> dict[str, Any]:
    rubric = rubric_from(request.query_params.get("rubric"), request.user)
    run = services.score_run_latest_or_execute(rubric=rubric, cohort=services.Cohort("all"), actor=None)
    breakdown = selectors.candidate_breakdown(run, candidate)
    if breakdown is None:
        return {"ranked": False, "reason": " ".join(selectors.why_not_ranked(run.version, candidate)), "rubric": rubric.slug,
                "rubric_name": rubric.name, "version": run.version.number, "run": str(run.pk)}
    return {"ranked": True, **breakdown}


class ContestCreateSerializer(serializers.Serializer):
    rubric = serializers.CharField(max_length=64)
    criterion = serializers.CharField(max_length=64, help_text="the criterion's key in the rubric")
    message = serializers.CharField(max_length=4000, help_text="which record is wrong, and how")


class RecordContestSerializer(serializers.ModelSerializer):
    rubric = serializers.CharField(source="rubric.slug", read_only=True, default=None)

    class Meta:
        model = RecordContest
        fields = ("id", "candidate", "rubric", "criterion", "criterion_label", "message", "status", "created_at",
                  "resolved_at", "resolution_note")


class CandidateScoringActions:
    """Mixed into CandidateViewSet: ``get_object`` scopes the record (out of scope → 404; a student
    has only their own)."""

    get_object: Any

    @extend_schema(parameters=[RUBRIC_PARAM], responses={200: BreakdownSerializer})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def score(self, request: Request, pk: str | None = None) -> Response:
        """The candidate's breakdown in the newest ranking of everyone under the rubric: each
        criterion's value, weight and contribution (summing to the score) and the gap to the next
        rank, criterion by criterion (the person above is never named).

        Someone the ranking leaves out is not an error: 200 with ``ranked: false`` and the
        ``reason`` (the rubric's filter they fail, the required value they lack, out of the
        programme, or changed since the newest run). A student reads their own record only: any
        other id answers 404."""
        candidate = self.get_object()
        data = candidate_score(request, candidate)
        record_reads(user=request.user, candidate_ids=[candidate.pk], via="api.score")
        # The serializer renders the ranked shape; the short unranked answer goes out as it is.
        return Response(BreakdownSerializer(data).data if data["ranked"] else data)

    @extend_schema(request=ContestCreateSerializer, responses={201: RecordContestSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def contest(self, request: Request, pk: str | None = None) -> Response:
        """Say a record behind a criterion is wrong: a verification task for the staff in charge.
        The person themselves, or staff in scope."""
        candidate = self.get_object()
        data = ContestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rubric = rubric_from(data.validated_data["rubric"], request.user)
        version = rubric.active_version
        criteria = {c["key"]: c for c in (version.criteria if version else [])}
        key = data.validated_data["criterion"]
        if key not in criteria:
            raise serializers.ValidationError({"criterion": "Bộ tiêu chí không có tiêu chí này."})
        contest = services.contest_open(candidate=candidate, criterion=key,
                                        criterion_label=criteria[key].get("label") or key,
                                        message=data.validated_data["message"], rubric=rubric, actor=request.user)
        return Response(RecordContestSerializer(contest).data, status=status.HTTP_201_CREATED)
