"""Clubs, memberships, events, registrations and check-in, announcements (the bell is ``core.notifications``).

Seats are counted under a row lock on the event (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
serializes writers), so nobody is ever seated beyond capacity; see ``clubs/services.py``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Organization, Role, TalentPool, user_organization, user_role


def _staff_orgs(user: Any) -> Any:
    """Organizations whose clubs and events ``user`` manages as staff (their subtree); None for all."""
    role = user_role(user)
    if role == Role.ADMIN:
        return None
    if role in (Role.OFFICER, Role.LIAISON):
        org = user_organization(user)
        return Organization.objects.filter(path__startswith=org.path) if org else Organization.objects.none()
    return Organization.objects.none()


class ClubQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # Clubs are there to be found and joined: every signed-in person sees them.
        return self.all()

    def managed_by(self, user: Any) -> ClubQuerySet:
        orgs = _staff_orgs(user)
        led = Q(memberships__user=user, memberships__status=Membership.Status.ACTIVE,
                memberships__role__in=(Membership.Role.CORE, Membership.Role.CHAIR))
        if orgs is None:
            return self.all()
        return self.filter(Q(owner__in=orgs) | led).distinct()


class Club(models.Model):
    class Policy(models.TextChoices):
        OPEN = "open", _("Tự do tham gia")
        APPROVAL = "approval", _("Cần duyệt")
        INVITE = "invite", _("Chỉ theo lời mời")

    class Directory(models.TextChoices):
        MEMBERS = "members", _("Thành viên xem được danh sách")
        CORE = "core", _("Chỉ ban điều hành xem danh sách")

    slug = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("giới thiệu"), blank=True)
    owner = models.ForeignKey(Organization, verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT,
                              related_name="clubs")
    policy = models.CharField(_("cách tham gia"), max_length=16, choices=Policy.choices, default=Policy.APPROVAL)
    directory = models.CharField(_("danh sách thành viên"), max_length=16, choices=Directory.choices,
                                 default=Directory.MEMBERS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClubQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("câu lạc bộ")
        verbose_name_plural = _("câu lạc bộ")

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # One's own memberships, the directories one may read, and the clubs one manages.
        readable = Club.objects.filter(
            Q(directory=Club.Directory.MEMBERS, memberships__user=user, memberships__status=Membership.Status.ACTIVE)
        ).values("pk")
        return self.filter(Q(user=user) | Q(club__in=readable) | Q(club__in=Club.objects.managed_by(user).values("pk")))

    def active(self) -> MembershipQuerySet:
        return self.filter(status=Membership.Status.ACTIVE)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Thành viên")
        CORE = "core", _("Ban điều hành")
        CHAIR = "chair", _("Chủ nhiệm")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        INVITED = "invited", _("Được mời")
        ACTIVE = "active", _("Đang sinh hoạt")
        LEFT = "left", _("Đã rời")
        DECLINED = "declined", _("Không được duyệt")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="club_memberships")
    role = models.CharField(_("vai trò"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    joined_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên câu lạc bộ")
        verbose_name_plural = _("thành viên câu lạc bộ")
        ordering = ["club", "-role", "joined_at"]
        constraints = [models.UniqueConstraint(fields=["club", "user"], name="uniq_club_member")]


class EventQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # Events are announced to be found; who may register is the event's eligibility rule.
        return self.all()

    def managed_by(self, user: Any) -> EventQuerySet:
        orgs = _staff_orgs(user)
        if orgs is None:
            return self.all()
        return self.filter(Q(organization__in=orgs) | Q(club__in=Club.objects.managed_by(user).values("pk"))
                           | Q(created_by=user)).distinct()


class Event(models.Model):
    class Kind(models.TextChoices):
        DIALOGUE = "dialogue", _("Đối thoại")
        SEMINAR = "seminar", _("Toạ đàm, hội thảo")
        TRAINING = "training", _("Lớp tập huấn, bồi dưỡng")
        EXCHANGE = "exchange", _("Giao lưu")
        VOLUNTEERING = "volunteering", _("Tình nguyện")
        COMPETITION = "competition", _("Cuộc thi")
        FIELD_TRIP = "field_trip", _("Tham quan thực tế")

    class Eligibility(models.TextChoices):
        ANYONE = "anyone", _("Mọi người đã đăng nhập")
        CLUB = "club", _("Thành viên câu lạc bộ")
        POOL = "pool", _("Ứng viên trong nguồn")
        SCHOOL_YEAR = "school_year", _("Sinh viên một khoá")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Sắp diễn ra")
        CANCELLED = "cancelled", _("Đã huỷ")

    title = models.CharField(_("tên sự kiện"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("nội dung"), blank=True)
    club = models.ForeignKey(Club, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị tổ chức"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="events")
    starts_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    ends_at = models.DateTimeField(_("kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    online_link = models.URLField(_("đường dẫn trực tuyến"), blank=True)
    capacity = models.PositiveIntegerField(_("số chỗ"))
    registration_opens_at = models.DateTimeField(_("mở đăng ký"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("đóng đăng ký"), null=True, blank=True)
    eligibility = models.CharField(_("ai được đăng ký"), max_length=16, choices=Eligibility.choices,
                                   default=Eligibility.ANYONE)
    eligible_pool = models.ForeignKey(TalentPool, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    eligible_year = models.PositiveSmallIntegerField(_("khoá"), null=True, blank=True)
    # When set, a freed seat is offered to the first in line for this many hours before it moves on.
    offer_hours = models.PositiveSmallIntegerField(_("giữ chỗ (giờ)"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(max_length=500, blank=True)
    checkin_secret = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="event_ends_after_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def registration_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled or now >= self.ends_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class RegistrationQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        return self.filter(Q(user=user) | Q(event__in=Event.objects.managed_by(user).values("pk")))

    def seated(self) -> RegistrationQuerySet:
        return self.filter(status__in=Registration.SEATED)


def new_ticket_code() -> str:
    # 10 characters from an alphabet without look-alikes: typed by hand at the door when needed.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã có chỗ")
        OFFERED = "offered", _("Được mời nhận chỗ")
        WAITLISTED = "waitlisted", _("Danh sách chờ")
        CANCELLED = "cancelled", _("Đã huỷ")
        EXPIRED = "expired", _("Hết hạn giữ chỗ")

    SEATED = (Status.REGISTERED, Status.OFFERED)
    ACTIVE = (Status.REGISTERED, Status.OFFERED, Status.WAITLISTED)

    class Method(models.TextChoices):
        SCAN = "scan", _("Quét mã vé")
        TYPED = "typed", _("Nhập mã vé")
        SELF = "self", _("Tự check-in")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=12, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    code = models.CharField(max_length=16, unique=True, default=new_ticket_code, editable=False)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    check_in_method = models.CharField(max_length=8, choices=Method.choices, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký sự kiện")
        verbose_name_plural = _("đăng ký sự kiện")
        ordering = ["event", "created_at", "id"]
        constraints = [
            # One live registration per person and event; cancelled ones stay as history.
            models.UniqueConstraint(fields=["event", "user"], condition=Q(status__in=["registered", "offered",
                                                                                     "waitlisted"]),
                                    name="uniq_active_registration"),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]


class Announcement(models.Model):
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo câu lạc bộ")
        verbose_name_plural = _("thông báo câu lạc bộ")
        ordering = ["-created_at"]


# --- Live Q&A of dialogue events ------------------------------------------------------------------------

class QuestionQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # Approved and answered questions are public to the room; the rest to their author and moderators.
        return self.filter(Q(status__in=(Question.Status.APPROVED, Question.Status.ANSWERED)) | Q(author=user)
                           | Q(event__in=Event.objects.managed_by(user).values("pk")))


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        HIDDEN = "hidden", _("Đã ẩn")
        ANSWERED = "answered", _("Đã trả lời")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("câu hỏi"), max_length=1000)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    votes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["-votes", "created_at", "id"]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt bình chọn câu hỏi")
        verbose_name_plural = _("lượt bình chọn câu hỏi")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="uniq_question_vote")]


# --- Surveys (khảo sát nguyện vọng) -----------------------------------------------------------------------

class SurveyQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # Everyone signed in can see that a survey exists; whether they may answer is its target rule.
        return self.all()


class Survey(models.Model):
    class Target(models.TextChoices):
        CLUB = "club", _("Thành viên câu lạc bộ")
        POOL = "pool", _("Ứng viên trong nguồn")
        EVENT = "event", _("Người tham dự sự kiện")

    title = models.CharField(_("tên khảo sát"), max_length=200)
    description = models.TextField(_("giới thiệu"), blank=True)
    target = models.CharField(_("đối tượng"), max_length=8, choices=Target.choices)
    club = models.ForeignKey(Club, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys")
    pool = models.ForeignKey(TalentPool, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys")
    # Post-event feedback: offered to attendees once the event is over.
    is_feedback = models.BooleanField(_("phản hồi sau sự kiện"), default=False)
    opens_at = models.DateTimeField(_("mở"), null=True, blank=True)
    closes_at = models.DateTimeField(_("đóng"), null=True, blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("khảo sát")
        verbose_name_plural = _("khảo sát")
        ordering = ["-created_at"]


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Một lựa chọn")
        MULTIPLE = "multiple", _("Nhiều lựa chọn")
        SCALE = "scale", _("Thang điểm")
        TEXT = "text", _("Trả lời tự do")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("câu hỏi"), max_length=500)
    choices = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    required = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("câu hỏi khảo sát")
        verbose_name_plural = _("câu hỏi khảo sát")
        ordering = ["survey", "order", "id"]


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu trả lời khảo sát")
        verbose_name_plural = _("phiếu trả lời khảo sát")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="uniq_survey_response")]


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    # single: "choice"; multiple: ["a", "b"]; scale: 4; text: "…"
    value = models.JSONField()

    class Meta:
        verbose_name = _("câu trả lời khảo sát")
        verbose_name_plural = _("câu trả lời khảo sát")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="uniq_survey_answer")]
