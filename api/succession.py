"""API of succession planning: positions, plans by term with their members and structure, proposing
a member (refused with the failing standard and its source), approving and removing one (with a
reason; the removed stay listed under ``?status=removed``).

Administrators, personnel officers and Youth Union officers see the positions and plans of their
organization subtree; only planners (administrators, personnel officers) create positions and plans,
approve and remove; liaisons, recruiters and students get 403. A position, plan or candidate outside one's reach answers as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSet
from api.pagination import IdCursorPagination
from core.audit import audit
from core.models import AuditEvent
from succession import ninebox, selectors, services, standards
from succession.models import MANAGING, PLANNERS, Box, Level, PlanMember, Position, PositionHeld, Readiness, SuccessionPlan
from talent.models import Candidate, Organization, user_role


MEMBER_ID = OpenApiParameter("member_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="a member of the plan")


class PositionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    incumbents = serializers.SerializerMethodField(help_text="ids of the candidates holding the position now")

    class Meta:
        model = Position
        fields = ("id", "title", "organization", "organization_name", "level", "seats", "incumbents")
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_incumbents(self, position: Position) -> list[int]:
        return [held.candidate_id for held in position.holders.all() if held.ended_on is None]


class PositionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        error_messages={"does_not_exist": "Không có đơn vị này.", "incorrect_type": "Mã đơn vị phải là số."})
    level = serializers.ChoiceField(choices=Level.choices)
    seats = serializers.IntegerField(min_value=1, max_value=100, default=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = Organization.objects.for_user(request.user)


class MemberSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)

    class Meta:
        model = PlanMember
        fields = ("id", "candidate", "candidate_name", "readiness", "order", "emergency", "status", "proposed_at",
                  "decision_number", "decision_date", "removal_reason", "removal_note", "exception_reason")
        read_only_fields = fields


class StructureSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    ready_now_count = serializers.IntegerField()
    young_share = serializers.FloatField(allow_null=True, help_text="0–1, under the young target's age (35)")
    women_share = serializers.FloatField(allow_null=True, help_text="0–1")
    minority_share = serializers.FloatField(allow_null=True, help_text="0–1")
    age_bands = serializers.DictField(child=serializers.IntegerField(),
                                      help_text="members per age band at the start of the term: under_35, 35_44, 45_plus")
    below_targets = serializers.ListField(child=serializers.CharField(),
                                          help_text="the shares under the active structure target")
    min_successors = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class PlanSerializer(serializers.ModelSerializer):
    position_title = serializers.CharField(source="position.title", read_only=True)
    members = serializers.SerializerMethodField(help_text="the members not removed, in order")
    structure = serializers.SerializerMethodField()

    class Meta:
        model = SuccessionPlan
        fields = ("id", "position", "position_title", "term", "members", "structure")
        read_only_fields = fields

    def _live(self, plan: SuccessionPlan) -> list[PlanMember]:
        return [m for m in plan.members.all() if m.status != PlanMember.Status.REMOVED]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, plan: SuccessionPlan) -> list[dict[str, Any]]:
        return MemberSerializer(self._live(plan), many=True).data

    @extend_schema_field(StructureSerializer)
    def get_structure(self, plan: SuccessionPlan) -> dict[str, Any]:
        # The level's rules as read once for the list ({} when the level has none), else read here.
        rules = self.context["rules"].get(plan.position.level, {}) if "rules" in self.context else None
        return selectors.structure(plan, members=list(plan.members.all()), rules=rules,
                                   targets=self.context.get("targets"))


class PlanCreateSerializer(serializers.Serializer):
    position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.none(),
        error_messages={"does_not_exist": "Không có chức danh này.", "incorrect_type": "Mã chức danh phải là số."})
    term = serializers.CharField(max_length=9, help_text="e.g. 2025-2030")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["position"].queryset = Position.objects.for_user(request.user)


class ProposeSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    readiness = serializers.ChoiceField(choices=Readiness.choices)
    order = serializers.IntegerField(min_value=1, max_value=100, required=False)
    emergency = serializers.BooleanField(default=False)
    exception_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                             help_text="administrators: an approved exception to a failing standard")


class ApproveSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()


class RemoveSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PlanMember.RemovalReason.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class NineBoxPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="member", help_text="the plan member")
    candidate = serializers.IntegerField()
    name = serializers.CharField()
    moved = serializers.BooleanField(help_text="placed by a calibration move")
    reason = serializers.CharField(help_text="the move's reason, empty when not moved")


class NineBoxCellSerializer(serializers.Serializer):
    performance = serializers.ChoiceField(choices=Box.choices)
    potential = serializers.ChoiceField(choices=Box.choices)
    name = serializers.CharField(help_text="what the cell is usually called")
    members = NineBoxPersonSerializer(many=True)


class MayReadPlans(BasePermission):
    """Plans are for administrators, personnel officers and Youth Union officers (their subtree); writes
    other than proposing a person are for planners only. 403 before any lookup for everyone else."""

    message = "Quy hoạch dành cho cán bộ tổ chức, cán bộ Đoàn và quản trị viên."
    PLANNER_ACTIONS = frozenset({"create", "approve", "remove"})

    def has_permission(self, request: Any, view: Any) -> bool:
        role = user_role(request.user)
        if getattr(view, "action", None) in self.PLANNER_ACTIONS and role not in PLANNERS:
            self.message = "Chỉ cán bộ tổ chức và quản trị viên quản lý quy hoạch; cán bộ Đoàn đề xuất người."
            return False
        return role in MANAGING


class PositionViewSet(ScopedViewSet):
    """Leadership and management positions of the organizations in the caller's subtree (staff)."""

    queryset = Position.objects.all()
    serializer_class = PositionSerializer
    permission_classes = [MayReadPlans]
    pagination_class = IdCursorPagination
    select_related = ("organization",)
    prefetch_related = ("holders",)

    @extend_schema(request=PositionCreateSerializer, responses={201: PositionSerializer})
    def create(self, request: Request) -> Response:
        data = PositionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        position = services.position_create(actor=request.user, **data.validated_data)
        return Response(PositionSerializer(position).data, status=status.HTTP_201_CREATED)


class SuccessionPlanViewSet(ScopedViewSet):
    """Plans by position and term, with their live members and structure (staff, own subtree)."""

    queryset = SuccessionPlan.objects.all()
    serializer_class = PlanSerializer
    permission_classes = [MayReadPlans]
    pagination_class = IdCursorPagination
    select_related = ("position__organization",)

    def scoped_queryset(self, qs: QuerySet[SuccessionPlan]) -> QuerySet[SuccessionPlan]:
        qs = qs.prefetch_related(Prefetch("members", queryset=PlanMember.objects.select_related("candidate")))
        term = self.request.query_params.get("term")
        if term:
            qs = qs.filter(term=term)
        organization = self.request.query_params.get("organization")
        if organization:
            if not organization.isdigit():
                return qs.none()
            org = Organization.objects.for_user(self.request.user).filter(pk=int(organization)).first()
            qs = qs.filter(position__organization__path__startswith=org.path) if org else qs.none()
        return qs

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "rules": standards.active_rules(),
                "targets": selectors.active_targets()}

    @extend_schema(parameters=[OpenApiParameter("term", OpenApiTypes.STR), OpenApiParameter("organization", OpenApiTypes.INT)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        page = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        # A read of many plans at once is one event naming them (the pages do the same).
        AuditEvent.objects.create(actor=request.user, action="plan.read", object_type=SuccessionPlan._meta.label_lower,
                                  object_id="", changes={"api": "list", "plans": [p["id"] for p in page]})
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        audit(actor=request.user, action="plan.read", obj=self.get_object(), changes={"api": "detail"})
        return response

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        data = PlanCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        plan = services.plan_create(actor=request.user, **data.validated_data)
        return Response(PlanSerializer(plan, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def _member(self, plan: SuccessionPlan, member_id: str) -> PlanMember:
        member = PlanMember.objects.filter(plan=plan, pk=int(member_id) if str(member_id).isdigit() else 0).first()
        if member is None:
            raise NotFound("Không có người này trong quy hoạch.")
        return member

    @extend_schema(methods=["GET"], parameters=[OpenApiParameter("status", OpenApiTypes.STR)],
                   responses={200: MemberSerializer(many=True)})
    @extend_schema(methods=["POST"], request=ProposeSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["get", "post"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        """GET: the plan's members (``?status=proposed|approved|removed``); POST: propose a person — 400
        with the failing standard and its source when they do not meet the position's standards."""
        plan = self.get_object()
        if request.method == "GET":
            audit(actor=request.user, action="plan.read", obj=plan, changes={"api": "members"})
            members = PlanMember.objects.filter(plan=plan).select_related("candidate")
            wanted = request.query_params.get("status")
            if wanted:
                members = members.filter(status=wanted)
            return Response(MemberSerializer(members, many=True).data)
        data = ProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        candidate = Candidate.objects.for_user(request.user).filter(pk=values.pop("candidate")).first()
        if candidate is None:
            raise serializers.ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
        member = services.member_propose(actor=request.user, plan=plan, candidate=candidate, **values)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApproveSerializer, responses={200: MemberSerializer})
    @extend_schema(parameters=[MEMBER_ID])
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_id>[^/.]+)/approve")
    def approve(self, request: Request, pk: str | None = None, member_id: str | None = None) -> Response:
        member = self._member(self.get_object(), member_id or "")
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(MemberSerializer(services.member_approve(actor=request.user, member=member,
                                                                 **data.validated_data)).data)

    @extend_schema(responses={200: NineBoxCellSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="nine-box")
    def nine_box(self, request: Request, pk: str | None = None) -> Response:
        """The plan's 9-box now: nine cells (potential high → low, performance low → high), each with its
        members, after the latest calibration's moves. Audited as a read of the plan."""
        plan = self.get_object()
        audit(actor=request.user, action="ninebox.read", obj=plan, changes={"api": True})
        return Response(NineBoxCellSerializer(ninebox.current(plan)["cells"], many=True).data)

    @extend_schema(request=RemoveSerializer, responses={200: MemberSerializer})
    @extend_schema(parameters=[MEMBER_ID])
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_id>[^/.]+)/remove")
    def remove(self, request: Request, pk: str | None = None, member_id: str | None = None) -> Response:
        member = self._member(self.get_object(), member_id or "")
        data = RemoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(MemberSerializer(services.member_remove(actor=request.user, member=member,
                                                                **data.validated_data)).data)


class RotationDueSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.CharField()
    title = serializers.CharField(help_text="the post held now")
    position = serializers.IntegerField(allow_null=True, help_text="the leadership position, when it is one kept here")
    since = serializers.DateField()
    years_in_post = serializers.IntegerField()


class CadreViewSet(viewsets.GenericViewSet):
    """Young cadres' careers (staff, people in their scope)."""

    permission_classes = [MayReadPlans]
    serializer_class = RotationDueSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:  # for the schema; the action reads through the selector
        return PositionHeld.objects.for_user(self.request.user)

    @extend_schema(parameters=[OpenApiParameter("years", OpenApiTypes.INT, description="default: the rule's 8")],
                   responses={200: RotationDueSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="rotation-due")
    def rotation_due(self, request: Request) -> Response:
        """Cadres who have held their current post for 8 years or more (the rotation rule), longest first."""
        raw = request.query_params.get("years")
        if raw is not None and (not raw.isdigit() or not 1 <= int(raw) <= 40):
            raise serializers.ValidationError({"years": "Số năm từ 1 đến 40."})
        rows = selectors.rotation_due(request.user, years=int(raw) if raw else None)
        return Response(RotationDueSerializer(rows, many=True).data)
