"""Forms of the talent pages.

Forms only parse and present input; the rules (phone and CCCD formats, age and exam-year ranges,
scope) live in ``talent.services`` and come back as ``ValidationError``/``PermissionDenied``, which
``apply_service_errors`` puts next to the right field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent import pipeline
from talent.geo import province_choices
from talent.models import Achievement, Candidate, Organization, Religion, Stage
from talent.permissions import can_see_party_membership
from talent.reference import ETHNICITY_CHOICES
from talent.selectors import CandidateFilters, candidate_orderings, organization_list

DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_INPUT_FORMATS = ["%d/%m/%Y"]

ORDERING_LABELS: dict[str, Any] = {
    "name": _("Họ tên (A → Z)"),
    "-name": _("Họ tên (Z → A)"),
    "dob": _("Ngày sinh (sớm nhất trước)"),
    "-dob": _("Ngày sinh (muộn nhất trước)"),
    "stage": _("Giai đoạn"),
    "updated": _("Cập nhật gần đây"),
    "id": _("Thứ tự đăng ký"),
}


def current_school_year(today: dt.date | None = None) -> int:
    """The school year starts in September: on 15/03/2026 it is 2025 (năm học 2025–2026)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def school_year_choices(count: int = 10) -> list[tuple[int, str]]:
    start = current_school_year()
    return [(year, f"{year}–{year + 1}") for year in range(start, start - count, -1)]


def organization_choices(orgs: Any) -> list[tuple[int, str]]:
    """Organizations ordered by tree path, indented by depth so the hierarchy reads in a select."""
    orgs = list(orgs)
    if not orgs:
        return []
    top = min(org.path.count("/") for org in orgs)
    return [(org.pk, "\u00a0\u00a0" * (org.path.count("/") - top) + org.name) for org in orgs]


def apply_service_errors(form: forms.Form, exc: ValidationError | PermissionDenied, *,
                         permission_field: str | None = None, aliases: dict[str, str] | None = None) -> None:
    """Attach a service's errors to the form: known fields inline, anything else at the top.

    ``aliases`` maps a service's field name to the form's when they differ (``stage`` → ``to_stage``).
    """
    if isinstance(exc, PermissionDenied):
        message = str(exc) or str(_("Bạn không có quyền thực hiện thao tác này."))
        form.add_error(permission_field if permission_field in form.fields else None, message)
        return
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            field = (aliases or {}).get(field, field)
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def refusal_text(source: ValidationError | PermissionDenied | forms.Form) -> str:
    """A service's refusal, or an invalid form's errors, as one message line (for ``messages.error``)."""
    if isinstance(source, ValidationError):
        return " ".join(source.messages)
    if isinstance(source, PermissionDenied):
        return str(source)
    return " ".join(str(e) for errors in source.errors.values() for e in errors)


class CandidateFilterForm(forms.Form):
    """Query-string filters of the candidate list. An invalid value is reported and then ignored."""

    search = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=120,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("Họ tên hoặc số báo danh")}))
    organization = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    stage = forms.ChoiceField(label=_("Giai đoạn"), required=False)
    school_year = forms.TypedChoiceField(label=_("Năm học"), required=False, coerce=int, empty_value=None)
    province = forms.TypedChoiceField(label=_("Tỉnh/thành"), required=False, coerce=int, empty_value=None)
    gender = forms.ChoiceField(label=_("Giới tính"), required=False)
    achievement_level = forms.ChoiceField(label=_("Cấp thành tích"), required=False)
    ordering = forms.ChoiceField(label=_("Sắp xếp"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_label = _("Tất cả")
        self.fields["organization"].choices = [("", any_label), *organization_choices(organization_list(user=user))]
        self.fields["stage"].choices = [("", any_label), *Stage.choices]
        self.fields["school_year"].choices = [("", any_label), *school_year_choices()]
        self.fields["province"].choices = [("", any_label), *province_choices()]
        self.fields["gender"].choices = [("", any_label), *Candidate.Gender.choices]
        self.fields["achievement_level"].choices = [("", any_label), *Achievement.Level.choices]
        self.fields["ordering"].choices = [(key, ORDERING_LABELS.get(key, key)) for key in candidate_orderings(user)]

    def filters(self) -> CandidateFilters:
        """The valid filters only; call after ``is_valid()`` (invalid fields are absent from cleaned_data)."""
        data = getattr(self, "cleaned_data", {})
        result: CandidateFilters = {}
        if data.get("search"):
            result["search"] = data["search"]
        for field in ("stage", "organization", "province", "gender", "school_year", "achievement_level",
                      "ordering"):
            if data.get(field) not in (None, ""):
                result[field] = data[field]  # type: ignore[literal-required]
        return result

    @property
    def active_count(self) -> int:
        """How many filters (not search or sort) narrow the list, for the "n bộ lọc" hint."""
        data = getattr(self, "cleaned_data", {})
        return sum(1 for f in ("organization", "stage", "school_year", "province", "gender", "achievement_level")
                   if data.get(f) not in (None, ""))


class DateInput(forms.DateInput):
    """A text box in dd/mm/yyyy: the native date picker shows the browser's locale, not ours."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric",
                                "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


def _date_field(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")},
    )


class CandidateForm(forms.Form):
    """Register or edit a candidate. The view passes ``service_kwargs()`` to the service."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Candidate.Gender.choices, widget=forms.RadioSelect)
    date_of_birth = _date_field(_("Ngày sinh"), required=True)
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), required=False)
    province_code = forms.TypedChoiceField(label=_("Tỉnh/thành"), required=False, coerce=int, empty_value=None)
    email = forms.EmailField(label=_("Email"), required=False,
                             error_messages={"invalid": _("Địa chỉ email không hợp lệ.")})
    phone = forms.CharField(label=_("Điện thoại di động"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0912345678"}))
    citizen_id = forms.CharField(label=_("Số CCCD"), required=False, max_length=20,
                                 help_text=_("12 chữ số. Được mã hoá khi lưu và chỉ hiển thị dạng che."),
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    exam_number = forms.CharField(label=_("Số báo danh"), required=False, max_length=12,
                                  help_text=_("8 chữ số, giữ nguyên số 0 ở đầu."),
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    # Only parsed here: the allowed range is a business rule checked by the service.
    exam_year = forms.IntegerField(label=_("Năm thi"), required=False,
                                   error_messages={"invalid": _("Năm thi phải là số, ví dụ 2025.")})
    organization = forms.ModelChoiceField(
        label=_("Đơn vị quản lý"), queryset=Organization.objects.none(), empty_label=_("— Chọn đơn vị —"),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ hoặc nằm ngoài phạm vi quản lý của bạn.")},
    )
    youth_union_member = forms.BooleanField(label=_("Đoàn viên"), required=False)
    party_member = forms.BooleanField(label=_("Đảng viên"), required=False)
    party_joined_on = _date_field(_("Ngày vào Đảng"), required=False)
    political_theory = forms.ChoiceField(label=_("Lý luận chính trị"), required=False,
                                         choices=Candidate.PoliticalTheory.choices)
    religion = forms.ChoiceField(label=_("Tôn giáo"), required=False, choices=Religion.choices)
    home_address = forms.CharField(label=_("Địa chỉ thường trú"), required=False, max_length=255)
    aspirations = forms.CharField(label=_("Nguyện vọng"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, candidate: Candidate | None = None, **kwargs: Any) -> None:
        self.candidate = candidate
        if candidate is not None:
            kwargs["initial"] = {**self.initial_from(candidate), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.queryset = Organization.objects.for_user(user).order_by("path")
        # The queryset validates the choice; the options shown are the same units, indented by depth.
        organization.choices = [("", organization.empty_label), *organization_choices(organization.queryset)]
        self.fields["ethnicity"].choices = [("", _("— Chọn dân tộc —")), *ETHNICITY_CHOICES]
        self.fields["province_code"].choices = [("", _("— Chọn tỉnh/thành —")), *province_choices()]
        if candidate is not None:
            self.fields["citizen_id"].help_text = _("Để trống để giữ nguyên số CCCD đã lưu.")
        if not can_see_party_membership(user):
            for name in ("party_member", "party_joined_on"):
                del self.fields[name]

    @staticmethod
    def initial_from(candidate: Candidate) -> dict[str, Any]:
        return {
            "full_name": candidate.full_name, "gender": candidate.gender, "date_of_birth": candidate.date_of_birth,
            "ethnicity": candidate.ethnicity, "province_code": candidate.province_code, "email": candidate.email,
            "phone": candidate.phone, "exam_number": candidate.exam_number, "exam_year": candidate.exam_year,
            "organization": candidate.organization_id, "youth_union_member": candidate.youth_union_member,
            "party_member": candidate.party_member, "party_joined_on": candidate.party_joined_on,
            "political_theory": candidate.political_theory, "religion": candidate.religion,
            "home_address": candidate.home_address, "aspirations": candidate.aspirations,
        }

    def service_kwargs(self) -> dict[str, Any]:
        """Cleaned values keyed as the services expect; a blank CCCD on edit means "keep"."""
        data = dict(self.cleaned_data)
        if not data.get("citizen_id") and self.candidate is not None:
            data.pop("citizen_id", None)
        return data


class AdvanceForm(forms.Form):
    """Move a candidate to another stage.

    The field accepts any stage so that a forbidden move reaches the service and gets its precise
    message ("Không thể chuyển từ … sang …"); the select only offers the allowed ones.
    """

    to_stage = forms.ChoiceField(label=_("Chuyển sang giai đoạn"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Lý do"), required=False, max_length=500,
        help_text=_("Bắt buộc khi rời chương trình hoặc chuyển ngược giai đoạn."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.allowed = pipeline.allowed_next(candidate.stage)
        self.fields["to_stage"].widget.choices = [
            ("", _("— Chọn giai đoạn —")), *((stage, labels[stage]) for stage in self.allowed)
        ]
