from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from exams.subjects import COMBINATION_BY_CODE, COMBINATIONS, ENGLISH_CODES, SUBJECTS
from talent.geo import province_from_exam_council


class ExamResultQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> ExamResultQuerySet:  # type: ignore[no-untyped-def]
        from talent.permissions import can_manage_candidates

        # Published results, identified only by exam number: staff who look for pupils read them all.
        return self.all() if can_manage_candidates(user) else self.none()


def _score_field(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=4, decimal_places=2, null=True, blank=True)


def _total(code: str) -> models.GeneratedField:
    """A combination's total, computed and stored by the database; NULL when a subject is missing."""
    combination = COMBINATION_BY_CODE[code]
    first, second, third = combination.subjects
    total = F(first) + F(second) + F(third)
    if combination.english_only:
        total = Case(When(Q(language_code__in=ENGLISH_CODES), then=total), default=None)
    return models.GeneratedField(expression=total, output_field=models.DecimalField(max_digits=5, decimal_places=2),
                                 db_persist=True)


class ExamResult(models.Model):
    """One exam number's published scores in one year. Blank = the subject was not taken."""

    year = models.PositiveSmallIntegerField(_("năm thi"))
    exam_number = models.CharField(_("số báo danh"), max_length=8)
    # First two digits of the exam number: the exam council (a province before the 2025 merger).
    council = models.CharField(_("hội đồng thi"), max_length=2)
    toan = _score_field(_("Toán"))
    van = _score_field(_("Ngữ văn"))
    li = _score_field(_("Vật lí"))
    hoa = _score_field(_("Hoá học"))
    sinh = _score_field(_("Sinh học"))
    su = _score_field(_("Lịch sử"))
    dia = _score_field(_("Địa lí"))
    gdcd = _score_field(_("GDCD / GDKT&PL"))
    ngoai_ngu = _score_field(_("Ngoại ngữ"))
    tin_hoc = _score_field(_("Tin học"))
    cn_cong_nghiep = _score_field(_("Công nghệ công nghiệp"))
    cn_nong_nghiep = _score_field(_("Công nghệ nông nghiệp"))
    language_code = models.CharField(_("mã ngoại ngữ"), max_length=4, blank=True, default="")
    a00 = _total("A00")
    a01 = _total("A01")
    b00 = _total("B00")
    c00 = _total("C00")
    d01 = _total("D01")
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ExamResultQuerySet.as_manager()

    class Meta:
        ordering = ["year", "exam_number"]
        verbose_name = _("kết quả thi")
        verbose_name_plural = _("kết quả thi")
        constraints = [models.UniqueConstraint(fields=["year", "exam_number"], name="uniq_exam_result")]
        indexes = [models.Index(fields=["year", "council"], name="exam_year_council")] + [
            models.Index(fields=["year", f"-{c.field}"], name=f"exam_top_{c.field}") for c in COMBINATIONS
        ]

    def __str__(self) -> str:
        return f"{self.exam_number} ({self.year})"

    @property
    def council_name(self) -> str:
        return council_name(self.council)

    def scores(self) -> dict[str, str]:
        """Subject → score for the subjects taken, as strings ("8.25") so JSON keeps them exact."""
        return {s.field: f"{getattr(self, s.field):.2f}".rstrip("0").rstrip(".") for s in SUBJECTS
                if getattr(self, s.field) is not None}


def council_name(code: str) -> str:
    legacy = province_from_exam_council(code)
    return legacy.name if legacy else f"Hội đồng thi {code}"


def score_text(value: Decimal | None) -> str:
    """Vietnamese notation without trailing zeros: 29.50 → "29,5", 30.00 → "30"."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
