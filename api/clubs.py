"""API of clubs, events, registrations and check-in (the bell is ``api.notifications``).

Clubs and events are there to be found: every signed-in person sees them, and an id that does not
exist answers 404. What one may do with a visible club or event is the services' rule, so a refusal
there answers 403 (registering for an event one is not eligible for, deciding a membership one does
not manage). Registrations are reached through the event: ``/events/{id}/registration/`` is the
caller's own.
"""

from __future__ import annotations

from datetime import datetime, time, timezone as dt_timezone
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from api.base import ScopedViewSet
from api.pagination import IdCursorPagination, NewestIdPagination
from clubs import services
from clubs.models import Announcement, Club, Event, Membership, Registration
from talent.models import Organization, TalentPool

def _display_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


class EventPagination(IdCursorPagination):
    """Events in the order they happen; keyset on the start time (ties broken by id)."""

    ordering = ("starts_at", "id")
    position_parser = staticmethod(lambda value: datetime.fromisoformat(value).astimezone(dt_timezone.utc))


# --- Clubs ---------------------------------------------------------------------------------------------


class MyMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    joined_at = serializers.DateTimeField(allow_null=True)


class ClubSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="active members")
    can_manage = serializers.BooleanField(read_only=True, help_text="the caller runs this club (core team, "
                                                                    "chair or staff of its unit)")
    my_membership = serializers.SerializerMethodField()

    class Meta:
        model = Club
        fields = ("id", "slug", "name", "description", "owner", "owner_name", "policy", "directory", "member_count",
                  "can_manage", "my_membership", "created_at")

    @extend_schema_field(MyMembershipSerializer(allow_null=True))
    def get_my_membership(self, club: Club) -> dict[str, Any] | None:
        mine = getattr(club, "mine", None)
        return MyMembershipSerializer(mine[0]).data if mine else None


class ClubCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=80)
    name = serializers.CharField(max_length=200)
    owner = serializers.IntegerField(help_text="id of the owning unit (in your scope)")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    policy = serializers.ChoiceField(choices=Club.Policy.choices, default=Club.Policy.APPROVAL)
    directory = serializers.ChoiceField(choices=Club.Directory.choices, default=Club.Directory.MEMBERS)

    def validate_owner(self, value: int) -> Organization:
        found = Organization.objects.for_user(self.context["request"].user).filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError("Không có đơn vị này.")
        return found


class MembershipSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ("id", "club", "user", "name", "role", "status", "joined_at")

    def get_name(self, membership: Membership) -> str:
        user = membership.user
        return _display_name(user.first_name, user.last_name, user.username)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class AnnouncementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = ("id", "club", "title", "body", "created_at")


class AnnouncementCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)


def _is_active_member(user: Any, club: Club) -> bool:
    return Membership.objects.for_user(user).active().filter(club=club, user=user).exists()


class ClubViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """Clubs, open to every signed-in person to find. ``POST`` (staff): a club of a unit in your scope."""

    queryset = Club.objects.all()
    serializer_class = ClubSerializer
    select_related = ("owner",)
    filter_backends: list[Any] = []

    def scoped_queryset(self, qs: QuerySet[Club]) -> QuerySet[Club]:
        user = self.request.user
        return qs.annotate(
            member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)),
            can_manage=Exists(Club.objects.managed_by(user).filter(pk=OuterRef("pk"))),
        ).prefetch_related(Prefetch("memberships", to_attr="mine",
                                    queryset=Membership.objects.for_user(user).filter(user=user)))

    def _club(self) -> Club:
        """The club of a detail action, without the list's annotations."""
        club = Club.objects.for_user(self.request.user).filter(pk=self.kwargs["pk"]).first() if str(
            self.kwargs.get("pk", "")).isdigit() else None
        if club is None:
            raise NotFound()
        return club

    @extend_schema(request=ClubCreateSerializer, responses={201: ClubSerializer})
    def create(self, request: Request) -> Response:
        data = ClubCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        club = services.club_create(actor=request.user, **data.validated_data)
        return Response(ClubSerializer(self.get_queryset().get(pk=club.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def join(self, request: Request, pk: str | None = None) -> Response:
        """Open clubs admit at once (``active``); approval clubs queue the request (``pending``);
        invite-only clubs answer 403 unless you were invited."""
        membership = services.club_join(club=self._club(), user=request.user)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        membership = services.club_leave(club=self._club(), user=request.user)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Membership.Status.values,
                                                description="managers only; default: everyone")],
                   responses={200: MembershipSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=IdCursorPagination)
    def members(self, request: Request, pk: str | None = None) -> Response:
        """The member directory. Managers read every membership (pending requests included, to decide
        them; filter with ``?status=``). Active members read the active members when the club's
        directory is open to members; anyone else gets 403 (an empty list would say the club is empty)."""
        club = self._club()
        user = request.user
        manager = services.may_manage_club(user, club)
        if not manager and not (club.directory == Club.Directory.MEMBERS and _is_active_member(user, club)):
            raise PermissionDenied("Danh sách thành viên chỉ dành cho thành viên hoặc ban điều hành câu lạc bộ."
                                   if club.directory == Club.Directory.MEMBERS
                                   else "Danh sách thành viên chỉ dành cho ban điều hành câu lạc bộ.")
        rows = Membership.objects.for_user(user).filter(club=club).select_related("user")
        wanted = request.query_params.get("status")
        if not manager:
            rows = rows.filter(status=Membership.Status.ACTIVE)
        elif wanted:
            if wanted not in Membership.Status.values:
                raise serializers.ValidationError({"status": "Trạng thái không hợp lệ."})
            rows = rows.filter(status=wanted)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(request=DecideSerializer, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"], url_path=r"members/(?P<membership_id>\d+)/decide",
            url_name="decide-membership")
    def decide_membership(self, request: Request, pk: str | None = None,
                          membership_id: str | None = None) -> Response:
        """Approve or decline a pending request to join (the club's managers)."""
        club = self._club()
        membership = (Membership.objects.for_user(request.user).select_related("club", "user")
                      .filter(club=club, pk=membership_id).first())
        if membership is None:
            raise NotFound()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_decide(membership=membership, approve=data.validated_data["approve"],
                                                actor=request.user)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(methods=["GET"], responses={200: AnnouncementSerializer(many=True)})
    @extend_schema(methods=["POST"], request=AnnouncementCreateSerializer, responses={201: AnnouncementSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=NewestIdPagination)
    def announcements(self, request: Request, pk: str | None = None) -> Response:
        """GET: the club's announcements, newest first (its active members and managers). POST: the
        managers post one; every active member's notification bell gets it at once."""
        club = self._club()
        user = request.user
        if request.method == "POST":
            data = AnnouncementCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            announcement = services.announcement_post(club=club, actor=user, **data.validated_data)
            return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)
        if not (services.may_manage_club(user, club) or _is_active_member(user, club)):
            raise PermissionDenied("Thông báo của câu lạc bộ dành cho thành viên.")
        page = self.paginate_queryset(club.announcements.all())
        return self.get_paginated_response(AnnouncementSerializer(page, many=True).data)


# --- Events ----------------------------------------------------------------------------------------------


class MyRegistrationSerializer(serializers.ModelSerializer):
    """The caller's own registration: the ticket code is theirs to show at the door."""

    class Meta:
        model = Registration
        fields = ("id", "event", "status", "waitlist_position", "code", "offer_expires_at", "created_at",
                  "cancelled_at", "checked_in_at", "check_in_method")
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    club_name = serializers.CharField(source="club.name", default=None, read_only=True)
    organization_name = serializers.CharField(source="organization.name", default=None, read_only=True)
    seated = serializers.IntegerField(read_only=True, help_text="registered or holding an offer")
    waitlisted = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)
    registration_open = serializers.SerializerMethodField()
    can_manage = serializers.BooleanField(read_only=True)
    my_registration = serializers.SerializerMethodField(
        help_text="the caller's live registration, else their latest cancelled or expired one; null if none")

    class Meta:
        model = Event
        fields = ("id", "title", "kind", "description", "club", "club_name", "organization", "organization_name",
                  "starts_at", "ends_at", "place", "online_link", "capacity", "seated", "waitlisted", "attended",
                  "registration_opens_at", "registration_closes_at", "registration_open", "eligibility",
                  "eligible_pool", "eligible_year", "offer_hours", "status", "cancel_reason", "can_manage",
                  "my_registration")

    def get_registration_open(self, event: Event) -> bool:
        return event.registration_open()

    @extend_schema_field(MyRegistrationSerializer(allow_null=True))
    def get_my_registration(self, event: Event) -> dict[str, Any] | None:
        mine = _pick_own(getattr(event, "mine", []))
        return MyRegistrationSerializer(mine).data if mine else None


def _pick_own(registrations: list[Registration]) -> Registration | None:
    """The live registration if there is one, else the newest (they come newest first)."""
    live = [r for r in registrations if r.status in Registration.ACTIVE]
    return live[0] if live else (registrations[0] if registrations else None)


class EventCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    club = serializers.IntegerField(required=False, allow_null=True, help_text="a club you manage")
    organization = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="the organizing unit (in your scope)")
    eligibility = serializers.ChoiceField(choices=Event.Eligibility.choices, default=Event.Eligibility.ANYONE)
    eligible_pool = serializers.IntegerField(required=False, allow_null=True, help_text="eligibility=pool")
    eligible_year = serializers.IntegerField(required=False, allow_null=True, min_value=1990, max_value=2100,
                                             help_text="eligibility=school_year: the year studies started")
    place = serializers.CharField(max_length=255, required=False, allow_blank=True)
    online_link = serializers.URLField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    registration_opens_at = serializers.DateTimeField(required=False, allow_null=True)
    registration_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    offer_hours = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=720,
                                           help_text="a freed seat is offered for this many hours")

    def _scoped(self, qs: QuerySet[Any], value: int | None, message: str) -> Any:
        if value is None:
            return None
        found = qs.for_user(self.context["request"].user).filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError(message)
        return found

    def validate_club(self, value: int | None) -> Club | None:
        return self._scoped(Club.objects, value, "Không có câu lạc bộ này.")

    def validate_organization(self, value: int | None) -> Organization | None:
        return self._scoped(Organization.objects, value, "Không có đơn vị này.")

    def validate_eligible_pool(self, value: int | None) -> TalentPool | None:
        return self._scoped(TalentPool.objects, value, "Không có nguồn này.")


class CancelEventSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, help_text="organizers: the ticket code; attendees: the code on "
                                                          "the room's screen")


class CheckInResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    checked_in_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=Registration.Method.choices)


class AttendanceRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    waitlist_position = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    method = serializers.CharField(help_text="scan | typed | self, or '' when not checked in")
    no_show = serializers.BooleanField(help_text="held a seat, the event is over, never checked in")


class AttendanceSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    capacity = serializers.IntegerField()
    seated = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    attended = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    ended = serializers.BooleanField()
    registrations = AttendanceRowSerializer(many=True)


class SelfCheckInThrottle(UserRateThrottle):
    """The screen code has six digits: attendees get a few tries a minute, so it cannot be guessed
    within its 30 seconds. Organizers checking tickets in at the door are not limited."""

    scope = "self_checkin"
    rate = "10/min"

    def allow_request(self, request: Any, view: Any) -> bool:
        pk = str(view.kwargs.get("pk", ""))
        if pk.isdigit() and Event.objects.managed_by(request.user).filter(pk=pk).exists():
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": f"{request.user.pk}-{view.kwargs.get('pk')}"}


def _parse_moment(value: str, name: str, end_of_day: bool = False) -> datetime:
    """An ISO date (the whole local day) or date-time; a naive time is read in the site's time zone."""
    error = serializers.ValidationError({name: "Ngày giờ không hợp lệ (YYYY-MM-DD hoặc ISO 8601)."})
    try:
        day = parse_date(value)
        moment = (datetime.combine(day, time.max if end_of_day else time.min) if day is not None
                  else parse_datetime(value))
    except ValueError as exc:  # well-formed but impossible, such as 2025-13-45
        raise error from exc
    if moment is None:
        raise error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


EVENT_FILTERS = [
    OpenApiParameter("club", int, description="events of this club"),
    OpenApiParameter("kind", str, enum=Event.Kind.values),
    OpenApiParameter("from", str, description="events still running at or after this date or time "
                                              "(YYYY-MM-DD or ISO 8601)"),
    OpenApiParameter("to", str, description="events starting on or before this date or time"),
]


class EventViewSet(ScopedViewSet):
    """Events, in the order they happen. ``POST``: a club's managers create its events; staff create
    events of units in their scope. Registration, check-in and attendance are actions of an event."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    pagination_class = EventPagination
    select_related = ("club", "organization")
    filter_backends: list[Any] = []

    def scoped_queryset(self, qs: QuerySet[Event]) -> QuerySet[Event]:
        user = self.request.user
        qs = qs.annotate(
            seated=Count("registrations", filter=Q(registrations__status__in=Registration.SEATED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
            can_manage=Exists(Event.objects.managed_by(user).filter(pk=OuterRef("pk"))),
        ).prefetch_related(Prefetch("registrations", to_attr="mine", queryset=Registration.objects.for_user(
            user).filter(user=user).order_by("-created_at", "-id")))
        return self._filtered(qs) if self.action == "list" else qs

    def _filtered(self, qs: QuerySet[Event]) -> QuerySet[Event]:
        params = self.request.query_params
        if params.get("club"):
            if not params["club"].isdigit() or len(params["club"]) > 10:
                raise serializers.ValidationError({"club": "Phải là mã số câu lạc bộ."})
            qs = qs.filter(club_id=int(params["club"]))
        if params.get("kind"):
            if params["kind"] not in Event.Kind.values:
                raise serializers.ValidationError({"kind": "Loại sự kiện không hợp lệ."})
            qs = qs.filter(kind=params["kind"])
        if params.get("from"):
            qs = qs.filter(ends_at__gte=_parse_moment(params["from"], "from"))
        if params.get("to"):
            qs = qs.filter(starts_at__lte=_parse_moment(params["to"], "to", end_of_day=True))
        return qs

    def _event(self) -> Event:
        """The event of an action, without the list's annotations."""
        pk = str(self.kwargs.get("pk", ""))
        event = Event.objects.for_user(self.request.user).filter(pk=pk).first() if pk.isdigit() else None
        if event is None:
            raise NotFound()
        return event

    def _own(self, event: Event) -> Registration:
        user = self.request.user
        registration = (Registration.objects.for_user(user)
                        .filter(event=event, user=user, status__in=Registration.ACTIVE).first())
        if registration is None:
            raise NotFound("Bạn chưa đăng ký sự kiện này.")
        return registration

    def _detail(self, event: Event) -> dict[str, Any]:
        return EventSerializer(self.get_queryset().get(pk=event.pk)).data

    @extend_schema(parameters=EVENT_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request: Request) -> Response:
        data = EventCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if v is not None}
        event = services.event_create(actor=request.user, **values)
        return Response(self._detail(event), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MyRegistrationSerializer, 201: MyRegistrationSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str | None = None) -> Response:
        """A seat while there is one, else the end of the waitlist (``waitlist_position`` 1..n). 201
        when created, 200 with the same registration when you already had one. Not eligible: 403
        with the reason; registration closed or the event cancelled: 400."""
        now = timezone.now()
        registration = services.event_register(event=self._event(), user=request.user, now=now)
        created = registration.created_at == now
        return Response(MyRegistrationSerializer(registration).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={200: MyRegistrationSerializer})
    @action(detail=True, methods=["get"])
    def registration(self, request: Request, pk: str | None = None) -> Response:
        """Your registration: the live one, else your latest cancelled or expired one; 404 when none."""
        event = self._event()
        user = request.user
        mine = _pick_own(list(Registration.objects.for_user(user).filter(event=event, user=user)
                              .order_by("-created_at", "-id")[:20]))
        if mine is None:
            raise NotFound("Bạn chưa đăng ký sự kiện này.")
        return Response(MyRegistrationSerializer(mine).data)

    @extend_schema(request=None, responses={200: MyRegistrationSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel your own registration (not the event: see ``cancel-event``). A freed seat goes to the
        first in line. 404 when you have no live registration."""
        registration = services.registration_cancel(registration=self._own(self._event()), actor=request.user)
        return Response(MyRegistrationSerializer(registration).data)

    @extend_schema(request=CancelEventSerializer, responses={200: EventSerializer})
    @action(detail=True, methods=["post"], url_path="cancel-event", url_name="cancel-event")
    def cancel_event(self, request: Request, pk: str | None = None) -> Response:
        """Organizers cancel the whole event; everyone registered is notified with the reason."""
        data = CancelEventSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_cancel(event=self._event(), reason=data.validated_data["reason"], actor=request.user)
        return Response(self._detail(event))

    @extend_schema(request=None, responses={200: MyRegistrationSerializer})
    @action(detail=True, methods=["post"], url_path="accept-offer", url_name="accept-offer")
    def accept_offer(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the seat offered to you from the waitlist before the offer expires."""
        registration = services.offer_accept(registration=self._own(self._event()), user=request.user)
        return Response(MyRegistrationSerializer(registration).data)

    @extend_schema(request=CheckInSerializer, responses={200: CheckInResultSerializer})
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in",
            throttle_classes=[UserRateThrottle, SelfCheckInThrottle])
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        """Organizers send a ticket code (typed or scanned); anyone else checks themselves in with the
        code on the room's screen (it changes every 30 seconds). A ticket already used, a code of
        another event or a wrong screen code answers 400 with the reason."""
        event = self._event()
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.check_in(event=event, code=data.validated_data["code"], actor=request.user)
        user = registration.user
        return Response(CheckInResultSerializer({
            "id": registration.pk, "name": _display_name(user.first_name, user.last_name, user.username),
            "status": registration.status, "checked_in_at": registration.checked_in_at,
            "method": registration.check_in_method}).data)

    @extend_schema(responses={200: AttendanceSerializer})
    @action(detail=True, methods=["get"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        """Organizers only: the counts and every registration (seated first, then the waitlist in its
        order, then cancelled and expired ones), with no-shows once the event is over."""
        event = self._event()
        if not services.may_manage_event(request.user, event):
            raise PermissionDenied("Chỉ ban tổ chức được xem danh sách tham dự.")
        now = timezone.now()
        ended = event.ends_at <= now
        rows = (Registration.objects.for_user(request.user).filter(event=event)
                .annotate(group=Case(When(status__in=Registration.SEATED, then=Value(0)),
                                     When(status=Registration.Status.WAITLISTED, then=Value(1)),
                                     default=Value(2), output_field=IntegerField()))
                .order_by("group", "waitlist_position", "created_at", "id")
                .values("id", "user_id", "user__first_name", "user__last_name", "user__username", "status",
                        "waitlist_position", "created_at", "checked_in_at", "check_in_method"))
        lines = [{"id": r["id"], "user": r["user_id"],
                  "name": _display_name(r["user__first_name"], r["user__last_name"], r["user__username"]),
                  "status": r["status"], "waitlist_position": r["waitlist_position"], "created_at": r["created_at"],
                  "checked_in_at": r["checked_in_at"], "method": r["check_in_method"],
                  "no_show": ended and r["checked_in_at"] is None and r["status"] in Registration.SEATED}
                 for r in rows]
        return Response(AttendanceSerializer({
            "event": event.pk, "capacity": event.capacity,
            "seated": sum(line["status"] in Registration.SEATED for line in lines),
            "waitlisted": sum(line["status"] == Registration.Status.WAITLISTED for line in lines),
            "attended": sum(line["checked_in_at"] is not None for line in lines),
            "no_shows": sum(line["no_show"] for line in lines), "ended": ended, "registrations": lines}).data)
