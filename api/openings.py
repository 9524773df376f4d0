"""API of openings (jobs and internships), their matches and shortlist boards, shortlist entries (moves,
ratings, notes), placements with the mentor's feedback, and the resolutions' targets.

Open positions are published: every signed-in person finds them; a closed one only its managers (an
id one cannot see answers 404). What one may do with a visible opening is the services' rule: the
board, the matches and closing are for the agency that runs it (403 for anyone else who sees it).
Naming a candidate one may not see is refused exactly like an id that does not exist (400).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSet, ScopedViewSetMixin
from api.pagination import IdCursorPagination
from api.permissions import IsStaff
from core.spreadsheets import XLSX, spreadsheet_safe
from openings import selectors, services, targets as target_values
from openings.models import (
    FEEDBACK_CRITERIA,
    Opening,
    Placement,
    ShortlistEntry,
    ShortlistRating,
    ShortlistStage,
    Target,
)
from scoring.models import Rubric
from talent.models import Candidate, EducationRecord, Organization
from talent.readlog import record_reads

BOARD_HEADERS = ("STT", "Mã ứng viên", "Họ và tên", "Đơn vị", "Vòng", "Lý do", "Ngày chuyển vòng",
                 "Điểm đánh giá trung bình", "Số người đánh giá")


def _person(user: Any) -> str:
    if user is None:
        return ""
    return f"{user.first_name} {user.last_name}".strip() or user.username


class NewestIdPagination(IdCursorPagination):
    ordering = "-id"


# --- Openings ---------------------------------------------------------------------------------------------


class OpeningSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    rubric = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    hired = serializers.IntegerField(read_only=True, help_text="entries of the board at hired")
    can_manage = serializers.BooleanField(read_only=True, help_text="the caller's agency runs this opening")

    class Meta:
        model = Opening
        fields = ("id", "title", "kind", "agency", "agency_name", "unit", "mentor", "slots", "hired", "description",
                  "degree_level", "major_group", "language_level", "political_theory", "skills", "rubric",
                  "reveal_names_at", "status", "starts_on", "ends_on", "can_manage", "created_at")
        read_only_fields = fields


class OpeningCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Opening.Kind.choices)
    slots = serializers.IntegerField(min_value=1, max_value=100_000)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False,
        error_messages={"does_not_exist": "Không có cơ quan này.", "incorrect_type": "Mã cơ quan phải là số."},
        help_text="the publishing agency (administrators; others: their own unit or one below it)")
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mentor = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="a user of the publishing agency")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    degree_level = serializers.ChoiceField(choices=EducationRecord.Level.choices, required=False, allow_blank=True,
                                           default="")
    major_group = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    language_level = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True,
                                              default=None)
    political_theory = serializers.ChoiceField(choices=[c for c in Candidate.PoliticalTheory.choices if c[0]],
                                               required=False, allow_blank=True, default="")
    skills = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list,
                                   max_length=30)
    rubric = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                   help_text="slug of the rubric ranking the matches (default university-student)")
    reveal_names_at = serializers.ChoiceField(choices=ShortlistStage.choices, required=False, allow_blank=True,
                                              default="", help_text="blind review: names hidden until this stage")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["agency"].queryset = Organization.objects.for_user(request.user)

    def validate_rubric(self, value: str) -> Rubric | None:
        if not value:
            return None
        rubric = Rubric.objects.for_user(self.context["request"].user).filter(slug=value).first()
        if rubric is None:
            raise serializers.ValidationError(f"Không có bộ tiêu chí «{value}».")
        return rubric

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("starts_on") and attrs.get("ends_on") and attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": "Ngày kết thúc phải sau ngày bắt đầu."})
        attrs["skills"] = [skill.strip() for skill in attrs.get("skills") or [] if skill.strip()]
        mentor_id = attrs.get("mentor")
        if mentor_id is not None:
            # A mentor is one of the agency's people: a user elsewhere is refused like one that does not exist.
            request = self.context["request"]
            agency = attrs.get("agency")
            if agency is None:
                from talent.models import user_organization

                agency = user_organization(request.user)
            mentor = (get_user_model().objects.filter(pk=mentor_id, is_active=True,
                                                      profile__organization__path__startswith=agency.path).first()
                      if agency is not None else None)
            if mentor is None:
                raise serializers.ValidationError({"mentor": "Không có người dùng này trong cơ quan."})
            attrs["mentor"] = mentor
        return attrs


class MatchSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    full_name = serializers.CharField(required=False, help_text="absent when the opening is under blind review")
    organization = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text="rank under the rubric; null when not ranked")
    score = serializers.FloatField(allow_null=True)
    met = serializers.ListField(child=serializers.CharField(), help_text="requirements met")
    missing = serializers.ListField(child=serializers.CharField(), help_text="requirements not met")
    not_checked = serializers.ListField(child=serializers.CharField(),
                                        help_text="requirements profiles do not record (skills)")
    fit = serializers.FloatField(help_text="share of the checked requirements that are met (0–1)")


class MatchesSerializer(serializers.Serializer):
    opening = serializers.IntegerField()
    rubric = serializers.CharField(allow_null=True)
    blind = serializers.BooleanField()
    results = MatchSerializer(many=True)


class EntrySerializer(serializers.Serializer):
    """A card of the board. ``full_name`` is absent while blind review hides it."""

    id = serializers.IntegerField()
    opening = serializers.IntegerField(source="opening_id")
    candidate = serializers.IntegerField(source="candidate_id")
    full_name = serializers.CharField(required=False)
    organization = serializers.CharField()
    stage = serializers.ChoiceField(choices=ShortlistStage.choices)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    stage_changed_at = serializers.DateTimeField()
    average_rating = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()

    def to_representation(self, entry: ShortlistEntry) -> dict[str, Any]:
        data = {"id": entry.pk, "opening": entry.opening_id, "candidate": entry.candidate_id,
                "organization": entry.candidate.organization.name, "stage": entry.stage, "reason": entry.reason,
                "created_at": serializers.DateTimeField().to_representation(entry.created_at),
                "stage_changed_at": serializers.DateTimeField().to_representation(entry.stage_changed_at),
                "average_rating": round(entry.rating_avg, 2) if entry.rating_avg is not None else None,
                "rating_count": entry.rating_count}
        if selectors.names_revealed(entry):
            data["full_name"] = entry.candidate.full_name
        return data


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class MoveSerializer(serializers.Serializer):
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField()
    created_at = serializers.DateTimeField()


class EntryDetailSerializer(EntrySerializer):
    my_rating = serializers.IntegerField(allow_null=True, help_text="your own rating (1–5), null when none")
    notes = NoteSerializer(many=True)
    moves = MoveSerializer(many=True, help_text="every move of the card, oldest first")

    def to_representation(self, entry: ShortlistEntry) -> dict[str, Any]:
        data = super().to_representation(entry)
        user = self.context["request"].user
        data["my_rating"] = (ShortlistRating.objects.filter(entry=entry, reviewer=user)
                             .values_list("score", flat=True).first())
        data["notes"] = NoteSerializer([
            {"id": n.pk, "author": _person(n.author), "text": n.text, "created_at": n.created_at}
            for n in entry.notes.select_related("author").order_by("created_at", "id")], many=True).data
        data["moves"] = MoveSerializer([
            {"from_stage": m.from_stage, "to_stage": m.to_stage, "reason": m.reason, "actor": _person(m.actor),
             "created_at": m.created_at}
            for m in entry.moves.select_related("actor").order_by("created_at", "id")], many=True).data
        return data


class ShortlistAddSerializer(serializers.Serializer):
    # One answer for someone one may not see and for an id that does not exist (the id is not echoed).
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.none(), error_messages={
        "does_not_exist": "Không có ứng viên này.", "incorrect_type": "Mã ứng viên phải là số."})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["candidate"].queryset = Candidate.objects.for_user(request.user)


LIMIT_PARAM = OpenApiParameter("limit", int, description=f"how many (1..{selectors.MAX_LIMIT}, default "
                                                         f"{selectors.DEFAULT_LIMIT})")


def _limit(value: str | None) -> int:
    text = (value or "").strip()
    if not text:
        return selectors.DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= selectors.MAX_LIMIT:
        raise serializers.ValidationError({"limit": f"limit phải là số nguyên từ 1 đến {selectors.MAX_LIMIT}."})
    return int(text)


class OpeningViewSet(ScopedViewSet):
    """Open positions (everyone signed in) and the closed ones one manages, newest first (``?kind=``,
    ``?status=``). ``POST``: an agency publishes a job or an internship (recruiters for their agency,
    Youth Union staff for units in their scope, administrators for any ``agency``)."""

    queryset = Opening.objects.all()
    serializer_class = OpeningSerializer
    pagination_class = NewestIdPagination
    select_related = ("agency", "rubric")
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    def scoped_queryset(self, qs: QuerySet[Opening]) -> QuerySet[Opening]:
        user = self.request.user
        qs = qs.annotate(hired=Count("entries", filter=Q(entries__stage=ShortlistStage.HIRED)),
                         can_manage=Exists(Opening.objects.managed_by(user).filter(pk=OuterRef("pk"))))
        if self.action == "list":
            params = self.request.query_params
            for name, values in (("kind", Opening.Kind.values), ("status", Opening.Status.values)):
                if params.get(name):
                    if params[name] not in values:
                        raise serializers.ValidationError({name: f"Giá trị phải là một trong: {', '.join(values)}."})
                    qs = qs.filter(**{name: params[name]})
        return qs

    def _opening(self) -> Opening:
        pk = str(self.kwargs.get("pk", ""))
        opening = (Opening.objects.for_user(self.request.user).select_related("agency").filter(pk=pk).first()
                   if pk.isdigit() else None)
        if opening is None:
            raise NotFound()
        return opening

    def _managed(self) -> Opening:
        opening = self._opening()
        if not services.may_manage_opening(self.request.user, opening):
            raise PermissionDenied("Chỉ cơ quan đăng vị trí này được xem và quản lý danh sách ngắn.")
        return opening

    def _detail(self, opening: Opening) -> dict[str, Any]:
        return OpeningSerializer(self.get_queryset().get(pk=opening.pk)).data

    @extend_schema(parameters=[OpenApiParameter("kind", str, enum=Opening.Kind.values),
                               OpenApiParameter("status", str, enum=Opening.Status.values)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OpeningCreateSerializer, responses={201: OpeningSerializer})
    def create(self, request: Request) -> Response:
        data = OpeningCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        opening = services.opening_create(actor=request.user, title=values.pop("title"), kind=values.pop("kind"),
                                          slots=values.pop("slots"), agency=values.pop("agency", None), **values)
        return Response(self._detail(opening), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OpeningSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Stop recruiting (the board stays readable to its managers)."""
        opening = services.opening_close(opening=self._opening(), actor=request.user)
        return Response(self._detail(opening))

    @extend_schema(parameters=[LIMIT_PARAM], responses={200: MatchesSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request: Request, pk: str | None = None) -> Response:
        """The candidates you may see, fewest missing requirements first, then by their rank under the
        opening's rubric; each with the requirements met, missing and not checked (skills are not in
        profiles). Managers of the opening only."""
        opening = self._managed()
        lines = selectors.opening_matches(opening, request.user, _limit(request.query_params.get("limit")))
        blind = bool(opening.reveal_names_at)
        for line in lines:
            if line["full_name"] is None:
                del line["full_name"]  # type: ignore[misc]
        record_reads(user=request.user, candidate_ids=[line["candidate"] for line in lines],
                     via="api.opening_matches")
        rubric = selectors.opening_rubric(opening, request.user)
        return Response(MatchesSerializer({"opening": opening.pk, "rubric": rubric.slug if rubric else None,
                                           "blind": blind, "results": lines}).data)

    @extend_schema(methods=["GET"], responses={200: EntrySerializer(many=True)})
    @extend_schema(methods=["POST"], request=ShortlistAddSerializer,
                   responses={201: EntrySerializer, 200: OpenApiResponse(EntrySerializer,
                                                                          description="already on the board")})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def shortlist(self, request: Request, pk: str | None = None) -> Response:
        """GET: the board's cards in the order they were added (blind review hides names until the
        chosen stage). POST ``{"candidate"}``: put someone you may see on the board (the person is told
        in-app and by email; their pipeline shows shortlisted). Someone you may not see: 400, exactly
        as an id that does not exist."""
        opening = self._managed()
        if request.method == "GET":
            entries = list(selectors.board_entries(opening, request.user))
            record_reads(user=request.user, candidate_ids=[e.candidate_id for e in entries], via="api.shortlist")
            return Response(EntrySerializer(entries, many=True).data)
        data = ShortlistAddSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        candidate = data.validated_data["candidate"]
        existed = ShortlistEntry.objects.for_user(request.user).filter(opening=opening, candidate=candidate).exists()
        entry = services.shortlist_add(opening=opening, candidate=candidate, actor=request.user)
        card = selectors.board_entries(opening, request.user).get(pk=entry.pk)
        return Response(EntrySerializer(card).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def shortlist_xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The board as a spreadsheet with Vietnamese headers (blind review hides names here too)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        opening = self._managed()
        entries = list(selectors.board_entries(opening, request.user))
        labels = dict(ShortlistStage.choices)
        book = Workbook()
        sheet = book.active
        sheet.title = "Danh sách ngắn"
        sheet.append(list(BOARD_HEADERS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, entry in enumerate(entries, start=1):
            name = entry.candidate.full_name if selectors.names_revealed(entry) else "(ẩn danh)"
            sheet.append([number, entry.candidate_id, spreadsheet_safe(name),
                          spreadsheet_safe(entry.candidate.organization.name), str(labels[entry.stage]),
                          spreadsheet_safe(entry.reason),
                          timezone.localtime(entry.stage_changed_at).strftime("%d/%m/%Y"),
                          round(entry.rating_avg, 2) if entry.rating_avg is not None else None, entry.rating_count])
        for column, width in zip("ABCDEFGHI", (6, 12, 32, 32, 18, 40, 16, 14, 12), strict=True):
            sheet.column_dimensions[column].width = width
        record_reads(user=request.user, candidate_ids=[e.candidate_id for e in entries], via="api.shortlist_xlsx")
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="danh-sach-ngan-{opening.pk}.xlsx"'
        return response


# --- Shortlist entries ------------------------------------------------------------------------------------


class EntryMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ShortlistStage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                   help_text="required for declined, refused and moving backwards")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text="an internship's start when hired (default: the opening's)")


class EntryRateSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)


class EntryNoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class ShortlistEntryViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A card of a board: its ratings (one per reviewer, averaged), notes and moves. Managers of the
    opening only; a candidate does not read the agency's notes on their own card (403)."""

    queryset = ShortlistEntry.objects.all()
    serializer_class = EntryDetailSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    def _entry(self) -> ShortlistEntry:
        pk = str(self.kwargs.get("pk", ""))
        entry = (ShortlistEntry.objects.for_user(self.request.user).select_related("opening").filter(pk=pk).first()
                 if pk.isdigit() else None)
        if entry is None:
            raise NotFound()
        return entry

    def _detail(self, entry: ShortlistEntry) -> dict[str, Any]:
        card = selectors.board_entries(entry.opening, self.request.user).get(pk=entry.pk)
        record_reads(user=self.request.user, candidate_ids=[card.candidate_id], via="api.shortlist_entry")
        return EntryDetailSerializer(card, context={"request": self.request}).data

    @extend_schema(responses={200: EntryDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self._entry()
        if not services.may_manage_opening(request.user, entry.opening):
            raise PermissionDenied("Chỉ cơ quan đăng vị trí này được xem thẻ trên bảng.")
        return Response(self._detail(entry))

    @extend_schema(request=EntryMoveSerializer, responses={200: EntryDetailSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move the card: forward one stage at a time or more, hired only after an offer and while there
        are slots; declined, refused and moving back need a reason. An offer tells the candidate; hired
        marks a job's candidate recruited and starts an internship's placement."""
        entry = self._entry()
        data = EntryMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_move(entry=entry, actor=request.user, **data.validated_data)
        return Response(self._detail(entry))

    @extend_schema(request=EntryRateSerializer, responses={200: EntryDetailSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        """Your rating (1–5): one per reviewer, a new one replaces yours; the card shows the average."""
        entry = self._entry()
        data = EntryRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rating_set(entry=entry, score=data.validated_data["score"], actor=request.user)
        return Response(self._detail(entry))

    @extend_schema(request=EntryNoteSerializer, responses={201: NoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """Add a note to the card (kept with its author and time)."""
        entry = self._entry()
        data = EntryNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(entry=entry, text=data.validated_data["text"], actor=request.user)
        return Response(NoteSerializer({"id": note.pk, "author": _person(request.user), "text": note.text,
                                        "created_at": note.created_at}).data, status=status.HTTP_201_CREATED)


# --- Placements -------------------------------------------------------------------------------------------


class FeedbackSerializer(serializers.Serializer):
    ratings = serializers.DictField(child=serializers.IntegerField())
    overall = serializers.FloatField()
    comments = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class PlacementSerializer(serializers.ModelSerializer):
    opening_title = serializers.CharField(source="opening.title", read_only=True)
    full_name = serializers.CharField(source="candidate.full_name", read_only=True)
    mentor_name = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = ("id", "opening", "opening_title", "candidate", "full_name", "mentor", "mentor_name", "starts_on",
                  "ends_on", "status", "feedback", "created_at")
        read_only_fields = fields

    def get_mentor_name(self, placement: Placement) -> str:
        return _person(placement.mentor)

    @extend_schema_field(FeedbackSerializer(allow_null=True))
    def get_feedback(self, placement: Placement) -> dict[str, Any] | None:
        feedback = getattr(placement, "feedback", None)
        return FeedbackSerializer(feedback).data if feedback is not None else None


class FeedbackCreateSerializer(serializers.Serializer):
    ratings = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5),
                                    help_text="1–5 for each of: " + ", ".join(FEEDBACK_CRITERIA))
    comments = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    def validate_ratings(self, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(FEEDBACK_CRITERIA))
        if unknown:
            raise serializers.ValidationError(f"Tiêu chí không có: {', '.join(unknown)}.")
        return value


class PlacementViewSet(ScopedViewSet):
    """Internships under way and done: the agency's (for its managers), the ones you mentor, and your
    own. ``feedback`` closes one with the mentor's ratings; its mean becomes the ``mentor_rating``
    scoring feature."""

    queryset = Placement.objects.all()
    serializer_class = PlacementSerializer
    pagination_class = NewestIdPagination
    select_related = ("opening", "candidate", "mentor", "feedback")
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    @extend_schema(request=FeedbackCreateSerializer, responses={201: PlacementSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        """The mentor (or the agency) rates each criterion 1–5 and comments; once per placement."""
        placement = self.get_object()
        data = FeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.placement_feedback(placement=placement, ratings=data.validated_data["ratings"],
                                    comments=data.validated_data["comments"], actor=request.user)
        return Response(PlacementSerializer(self.get_queryset().get(pk=placement.pk)).data,
                        status=status.HTTP_201_CREATED)


# --- Targets ----------------------------------------------------------------------------------------------


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    metric = serializers.ChoiceField(choices=Target.Metric.choices)
    population = serializers.IntegerField(help_text="how many people the target counts")
    actual = serializers.FloatField(allow_null=True, help_text="percent (a count for the count metric); null "
                                                               "when nobody is counted")
    threshold = serializers.FloatField(help_text="the threshold, or the lower end of a range")
    threshold_high = serializers.FloatField(allow_null=True, help_text="the upper end of a range (between); "
                                                                       "null otherwise")
    comparison = serializers.ChoiceField(choices=Target.Comparison.choices)
    met = serializers.BooleanField()
    deadline = serializers.DateField(allow_null=True)
    source = serializers.CharField(help_text="the document the target comes from: title, number, date, issuer")
    organization = serializers.IntegerField(help_text="the unit that adopted the target; it counts that unit's "
                                                      "people only")


class TargetViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The targets adopted by units in the reader's reach, computed from live data (staff only)."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    permission_classes = [IsStaff]
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(responses={200: TargetSerializer(many=True)})
    def list(self, request: Request) -> Response:
        """Each active adopted target: ``met`` is actual ≥ threshold for ``at_least``, actual ≤ threshold for
        ``at_most``, threshold ≤ actual ≤ threshold_high for ``between``; an empty population has no actual
        and is not met."""
        today = timezone.localdate()
        values = [target_values.compute(target, today)
                  for target in self.get_queryset().adopted().filter(active=True).select_related("organization")]
        return Response(TargetSerializer(values, many=True).data)
