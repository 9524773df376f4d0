from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.crypto import mask_citizen_id, pii_decrypt
from core.scoping import RestrictedQuerySet
from core.text import fold
from talent.geo import province_choices, province_name
from talent.reference import CEFR_BY_LEVEL, ETHNICITY_CHOICES
from talent.permissions import can_manage_candidates
from talent.registry import sharing_consent
from talent.roles import SUBTREE_ROLES, Role, user_organization, user_role
from talent.rules import CLASSIFICATION_LABELS, CONDUCT_LABELS, age_on

__all__ = ["Role", "user_organization", "user_role"]  # re-exported: most callers take them from here


class OrganizationQuerySet(RestrictedQuerySet):
    def subtree_of(self, org: Organization) -> OrganizationQuerySet:
        return self.filter(path__startswith=org.path)

    def scoped_for(self, user) -> OrganizationQuerySet:  # type: ignore[no-untyped-def]
        role = user_role(user)
        org = user_organization(user)
        if role == Role.ADMIN:
            return self.all()
        if org is None:
            return self.none()
        if role in SUBTREE_ROLES:
            return self.subtree_of(org)
        return self.filter(pk=org.pk)


class Organization(models.Model):
    class Kind(models.TextChoices):
        YOUTH_UNION = "youth_union", _("Tổ chức Đoàn")
        HIGH_SCHOOL = "high_school", _("Trường THPT")
        UNIVERSITY = "university", _("Trường đại học")
        FACULTY = "faculty", _("Khoa")
        AGENCY = "agency", _("Cơ quan")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/7/42/": a subtree is one indexed prefix match, whatever its depth.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    province_code = models.PositiveSmallIntegerField(_("tỉnh/thành"), null=True, blank=True, choices=province_choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)

    def is_within(self, other: Organization) -> bool:
        return self.path.startswith(other.path)


class UserProfile(models.Model):
    """A person's role and home organization; the scope rules hang off these two fields."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Stage(models.TextChoices):
    DISCOVERED = "discovered", _("Phát hiện")
    NOMINATED = "nominated", _("Được giới thiệu")
    POOL = "pool", _("Trong nguồn")
    SHORTLISTED = "shortlisted", _("Vào danh sách ngắn")
    PLACEMENT = "placement", _("Thực tập / kiến tập")
    RECRUITED = "recruited", _("Đã tuyển dụng")
    PLANNING = "planning", _("Quy hoạch")
    APPOINTED = "appointed", _("Bổ nhiệm")
    EXITED = "exited", _("Rời chương trình")


class Religion(models.TextChoices):
    NONE = "", _("Không")
    BUDDHISM = "buddhism", _("Phật giáo")
    CATHOLICISM = "catholicism", _("Công giáo")
    PROTESTANTISM = "protestantism", _("Tin Lành")
    CAO_DAI = "cao_dai", _("Cao Đài")
    HOA_HAO = "hoa_hao", _("Phật giáo Hòa Hảo")
    ISLAM = "islam", _("Hồi giáo")
    OTHER = "other", _("Tôn giáo khác")


class CandidateQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> CandidateQuerySet:  # type: ignore[no-untyped-def]
        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        if role == Role.STUDENT:
            return self.filter(user=user)
        org = user_organization(user)
        if org is None:
            return self.none()
        if role in SUBTREE_ROLES:
            return self.filter(organization__path__startswith=org.path)
        if role == Role.RECRUITER:
            return self.shared_with_recruiters_of(org)
        return self.none()

    def shared_with_recruiters_of(self, org: Organization) -> CandidateQuerySet:
        """Members of a pool shared with ``org`` who consent, right now, to be shared with recruiters.

        Evaluated in the query itself (no flag, no cache), so a withdrawal takes effect on the
        very next read. The consent rule is the one ``privacy`` registers (``talent.registry``).
        """
        in_shared_pool = Exists(PoolMembership.objects.filter(candidate=OuterRef("pk"), pool__shared_with=org))
        return self.filter(in_shared_pool, sharing_consent(), erased_at__isnull=True)

    def active(self) -> CandidateQuerySet:
        """Records of people, leaving out those anonymized on request (kept only for statistics)."""
        return self.filter(erased_at__isnull=True)

    def search(self, text: str) -> CandidateQuerySet:
        """Diacritics-insensitive search on word starts, the words in any order and with gaps, as people
        type names: "tran bich ngoc" and "ngoc tran" find "Trần Thị Bích Ngọc"; "nguy" finds "Nguyễn".

        Every word must start a word of the name. Each lookup is a LIKE pattern the trigram GIN index
        on ``name_key`` serves on PostgreSQL. Digits only: also an exact exam number.
        """
        key = fold(text)
        if not key:
            return self
        if key.isdigit():
            return self.filter(Q(name_key__startswith=key) | Q(name_key__contains=f" {key}") | Q(exam_number=key))
        query = Q()
        for word in dict.fromkeys(key.split()):
            query &= Q(name_key__startswith=word) | Q(name_key__contains=f" {word}")
        return self.filter(query)


class Candidate(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class PoliticalTheory(models.TextChoices):
        NONE = "", _("Chưa có")
        BASIC = "so_cap", _("Sơ cấp")
        INTERMEDIATE = "trung_cap", _("Trung cấp")
        ADVANCED = "cao_cap", _("Cao cấp")
        BACHELOR = "cu_nhan", _("Cử nhân")

    full_name = models.CharField(_("họ và tên"), max_length=120)
    name_key = models.CharField(max_length=120, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=32, choices=ETHNICITY_CHOICES, blank=True)
    is_ethnic_minority = models.BooleanField(_("dân tộc thiểu số"), null=True, editable=False)
    province_code = models.PositiveSmallIntegerField(_("tỉnh/thành"), null=True, blank=True, choices=province_choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=16, blank=True)
    citizen_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    citizen_id_encrypted = models.TextField(blank=True, editable=False)
    exam_number = models.CharField(_("số báo danh"), max_length=8, blank=True, db_index=True)
    exam_year = models.PositiveSmallIntegerField(_("năm thi"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="candidates"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate"
    )
    youth_union_member = models.BooleanField(_("đoàn viên"), default=False)
    party_member = models.BooleanField(_("đảng viên"), default=False)
    party_joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    political_theory = models.CharField(
        _("lý luận chính trị"), max_length=16, choices=PoliticalTheory.choices, blank=True, default=""
    )
    religion = models.CharField(_("tôn giáo"), max_length=16, choices=Religion.choices, blank=True, default="")
    home_address = models.CharField(_("địa chỉ thường trú"), max_length=255, blank=True)
    aspirations = models.TextField(_("nguyện vọng"), blank=True)
    # Set when the record was anonymized on the person's request: the row stays for statistics.
    erased_at = models.DateTimeField(_("ẩn danh lúc"), null=True, blank=True, editable=False)
    stage = models.CharField(_("giai đoạn"), max_length=16, choices=Stage.choices, default=Stage.DISCOVERED,
                             db_index=True)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("ứng viên")
        verbose_name_plural = _("ứng viên")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id_hash"], condition=~Q(citizen_id_hash=""), name="uniq_candidate_citizen_id"
            ),
            models.UniqueConstraint(
                fields=["exam_number", "exam_year"], condition=~Q(exam_number=""), name="uniq_candidate_exam_number"
            ),
        ]
        indexes = [models.Index(fields=["organization", "stage"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def citizen_id_masked(self) -> str:
        clear = pii_decrypt(self.citizen_id_encrypted)
        return mask_citizen_id(clear) if clear else ""

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, timezone.localdate())


class CandidateChildQuerySet(RestrictedQuerySet):
    """Records that belong to a candidate are visible exactly when the candidate is."""

    def scoped_for(self, user) -> CandidateChildQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(candidate__in=Candidate.objects.for_user(user).values("pk"))


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác minh")
    VERIFIED = "verified", _("Đã xác minh")
    REJECTED = "rejected", _("Bị từ chối")


class EducationRecord(models.Model):
    class Level(models.TextChoices):
        GRADE_10 = "grade_10", _("Lớp 10")
        GRADE_11 = "grade_11", _("Lớp 11")
        GRADE_12 = "grade_12", _("Lớp 12")
        COLLEGE = "college", _("Cao đẳng")
        UNIVERSITY = "university", _("Đại học")
        MASTER = "master", _("Thạc sĩ")
        DOCTORATE = "doctorate", _("Tiến sĩ")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="education")
    institution = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("cơ sở đào tạo"))
    institution_name = models.CharField(_("tên cơ sở đào tạo"), max_length=255, blank=True)
    level = models.CharField(_("bậc học"), max_length=16, choices=Level.choices)
    major = models.CharField(_("ngành"), max_length=160, blank=True)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"), null=True, blank=True)
    gpa = models.DecimalField(_("điểm trung bình"), max_digits=4, decimal_places=2, null=True, blank=True)
    gpa_scale = models.PositiveSmallIntegerField(_("thang điểm"), choices=[(4, "4"), (10, "10")], default=4)
    conduct_score = models.PositiveSmallIntegerField(
        _("điểm rèn luyện"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    retaken_over_5_percent = models.BooleanField(_("học lại trên 5% tín chỉ"), default=False)
    disciplined = models.BooleanField(_("bị kỷ luật"), default=False)
    classification = models.CharField(_("xếp loại"), max_length=16, blank=True, editable=False)
    conduct_classification = models.CharField(_("xếp loại rèn luyện"), max_length=16, blank=True, editable=False)

    objects = CandidateChildQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "id"]
        verbose_name = _("quá trình học tập")
        verbose_name_plural = _("quá trình học tập")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                                   name="education_years_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} – {self.institution_name}"

    @property
    def classification_label(self) -> str:
        return CLASSIFICATION_LABELS.get(self.classification, "")

    @property
    def conduct_label(self) -> str:
        return CONDUCT_LABELS.get(self.conduct_classification, "")


class Achievement(models.Model):
    class Category(models.TextChoices):
        OLYMPIAD = "olympiad", _("Học sinh giỏi / Olympic")
        EXAM = "exam", _("Thủ khoa / điểm thi cao")
        RESEARCH = "research", _("Nghiên cứu khoa học")
        COMPETITION = "competition", _("Cuộc thi")
        AWARD = "award", _("Danh hiệu / khen thưởng")
        VOLUNTEERING = "volunteering", _("Tình nguyện")
        LEADERSHIP = "leadership", _("Vai trò lãnh đạo")
        OTHER = "other", _("Khác")

    class Level(models.TextChoices):
        SCHOOL = "school", _("Cấp trường")
        PROVINCE = "province", _("Cấp tỉnh/thành")
        NATIONAL = "national", _("Cấp quốc gia")
        INTERNATIONAL = "international", _("Quốc tế")

    class AwardRank(models.TextChoices):
        FIRST = "first", _("Giải Nhất")
        SECOND = "second", _("Giải Nhì")
        THIRD = "third", _("Giải Ba")
        CONSOLATION = "consolation", _("Khuyến khích")
        GOLD = "gold", _("Huy chương Vàng")
        SILVER = "silver", _("Huy chương Bạc")
        BRONZE = "bronze", _("Huy chương Đồng")
        TOP = "top", _("Thủ khoa")
        HONOUR = "honour", _("Danh hiệu")
        NONE = "", _("Không xếp giải")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="achievements")
    category = models.CharField(_("loại"), max_length=16, choices=Category.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, db_index=True)
    award_rank = models.CharField(_("giải"), max_length=16, choices=AwardRank.choices, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên thành tích"), max_length=255)
    evidence = models.CharField(_("minh chứng"), max_length=500, blank=True)
    verification_status = models.CharField(_("xác minh"), max_length=16, choices=VerificationStatus.choices,
                                           default=VerificationStatus.PENDING)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateChildQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("thành tích")
        verbose_name_plural = _("thành tích")

    def __str__(self) -> str:
        return self.title


class LanguageCertificate(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("Tiếng Anh")
        FRENCH = "fr", _("Tiếng Pháp")
        CHINESE = "zh", _("Tiếng Trung")
        JAPANESE = "ja", _("Tiếng Nhật")
        KOREAN = "ko", _("Tiếng Hàn")
        GERMAN = "de", _("Tiếng Đức")
        RUSSIAN = "ru", _("Tiếng Nga")
        OTHER = "other", _("Ngoại ngữ khác")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("ngoại ngữ"), max_length=8, choices=Language.choices)
    level = models.PositiveSmallIntegerField(
        _("bậc (1–6)"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    certificate = models.CharField(_("chứng chỉ"), max_length=120, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    verification_status = models.CharField(_("xác minh"), max_length=16, choices=VerificationStatus.choices,
                                           default=VerificationStatus.PENDING)

    objects = CandidateChildQuerySet.as_manager()

    class Meta:
        ordering = ["-level", "id"]
        verbose_name = _("chứng chỉ ngoại ngữ")
        verbose_name_plural = _("chứng chỉ ngoại ngữ")
        constraints = [models.CheckConstraint(condition=Q(level__gte=1, level__lte=6), name="language_level_1_6")]

    def __str__(self) -> str:
        return f"{self.get_language_display()} bậc {self.level}"

    @property
    def cefr(self) -> str:
        return CEFR_BY_LEVEL.get(self.level, "")


class StageTransition(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CandidateChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("chuyển giai đoạn")
        verbose_name_plural = _("lịch sử giai đoạn")

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.from_stage or '∅'} → {self.to_stage}"


class AnnualRating(models.Model):
    """A young cadre's yearly quality rating (xếp loại chất lượng hằng năm)."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
        GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
        COMPLETE = "complete", _("Hoàn thành nhiệm vụ")
        INCOMPLETE = "incomplete", _("Không hoàn thành nhiệm vụ")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="annual_ratings")
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=16, choices=Rating.choices)
    # A disciplined person is "không hoàn thành" that year whatever else is recorded.
    disciplined = models.BooleanField(_("bị kỷ luật"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateChildQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("xếp loại hằng năm")
        verbose_name_plural = _("xếp loại hằng năm")
        constraints = [models.UniqueConstraint(fields=["candidate", "year"], name="uniq_rating_per_year")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.disciplined:
            self.rating = self.Rating.INCOMPLETE
        super().save(*args, **kwargs)


class Training(models.Model):
    """A training course completed (leadership skills, political theory, management, professional)."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Kỹ năng lãnh đạo, quản lý")
        POLITICAL = "political", _("Lý luận chính trị")
        STATE_MANAGEMENT = "state_management", _("Quản lý nhà nước")
        PROFESSIONAL = "professional", _("Chuyên môn, nghiệp vụ")
        FOREIGN_LANGUAGE = "foreign_language", _("Ngoại ngữ")
        ABROAD = "abroad", _("Đào tạo, bồi dưỡng ở nước ngoài")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tên khoá học"), max_length=255)
    completed_on = models.DateField(_("hoàn thành ngày"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateChildQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("khoá đào tạo")
        verbose_name_plural = _("khoá đào tạo")


class TalentPoolQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> TalentPoolQuerySet:  # type: ignore[no-untyped-def]
        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        org = user_organization(user)
        if org is None:
            return self.none()
        if role in SUBTREE_ROLES:
            return self.filter(owner__path__startswith=org.path)
        if role == Role.RECRUITER:
            return self.filter(shared_with=org).distinct()
        return self.none()


class TalentPool(models.Model):
    class Kind(models.TextChoices):
        YOUNG_TALENT = "young_talent", _("Nguồn tài năng trẻ")
        PLANNING = "planning", _("Quy hoạch")

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    term = models.CharField(_("nhiệm kỳ"), max_length=9, blank=True, help_text="2025-2030")
    owner = models.ForeignKey(Organization, verbose_name=_("đơn vị sở hữu"), on_delete=models.PROTECT,
                              related_name="pools")
    shared_with = models.ManyToManyField(Organization, verbose_name=_("chia sẻ với"), blank=True,
                                         related_name="shared_pools")
    description = models.TextField(_("mô tả"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TalentPoolQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("nguồn nhân tài")
        verbose_name_plural = _("nguồn nhân tài")

    def __str__(self) -> str:
        return f"{self.name} ({self.term})" if self.term else self.name


class PoolMembership(models.Model):
    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="pool_memberships")
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên nguồn")
        verbose_name_plural = _("thành viên nguồn")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["pool", "candidate"], name="uniq_pool_member")]

    def __str__(self) -> str:
        return f"{self.candidate_id} ∈ {self.pool_id}"


class MergeSuggestionQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> MergeSuggestionQuerySet:  # type: ignore[no-untyped-def]
        if not can_manage_candidates(user):
            return self.none()
        # Deciding needs both records: a suggestion is shown only to those who can see both.
        visible = Candidate.objects.for_user(user).values("pk")
        return self.filter(candidate__in=visible, other__in=visible)


class MergeSuggestion(models.Model):
    """Two records that probably describe one person, found by an import or a check; a person decides."""

    class Reason(models.TextChoices):
        NAME_AND_BIRTH = "name_dob", _("Trùng họ tên và ngày sinh")
        EMAIL = "email", _("Trùng email")
        PHONE = "phone", _("Trùng số điện thoại")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        MERGED = "merged", _("Đã gộp")
        DISMISSED = "dismissed", _("Không phải một người")

    # The newer record and the one it resembles. SET_NULL: after a merge the dropped record is gone,
    # the suggestion stays as a record of the decision.
    candidate = models.ForeignKey(Candidate, null=True, on_delete=models.SET_NULL, related_name="+")
    other = models.ForeignKey(Candidate, null=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.JSONField(default=list)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    source = models.CharField(_("nguồn"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MergeSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("đề xuất gộp hồ sơ")
        verbose_name_plural = _("đề xuất gộp hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "other"], condition=Q(status="pending"),
                                    name="uniq_pending_merge_suggestion"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} ≈ {self.other_id} ({self.status})"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]
