"""Forms of the openings pages: publish a position, move a card, notes and ratings, mentor feedback.

Forms only parse and present input; the rules (who may manage an opening, which moves are allowed,
slots, reasons) live in ``openings.services`` and come back as ``ValidationError`` /
``PermissionDenied``, which ``talent.forms.apply_service_errors`` attaches to the right field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from openings.models import FEEDBACK_CRITERIA, Opening, ShortlistStage
from scoring.models import Rubric
from talent.forms import DateInput, organization_choices
from talent.models import Candidate, EducationRecord, Organization, Role, user_organization, user_role

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS, widget=DateInput(),
                           error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")})


class OpeningForm(forms.Form):
    """Publish a job or an internship. The view passes ``service_kwargs()`` to ``services.opening_create``."""

    title = forms.CharField(label=_("Tên vị trí"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=Opening.Kind.choices)
    slots = forms.IntegerField(label=_("Số chỉ tiêu"), min_value=1, initial=1)
    agency = forms.TypedChoiceField(label=_("Cơ quan"), coerce=int, required=False)
    unit = forms.CharField(label=_("Phòng, ban"), max_length=200, required=False)
    mentor = forms.CharField(label=_("Người hướng dẫn (tên đăng nhập)"), max_length=150, required=False,
                             help_text=_("Người nhận xét kỳ thực tập khi kết thúc."))
    starts_on = _date_field(_("Bắt đầu"))
    ends_on = _date_field(_("Kết thúc"))
    description = forms.CharField(label=_("Mô tả công việc"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    degree_level = forms.ChoiceField(label=_("Trình độ tối thiểu"), required=False,
                                     choices=[("", _("Không yêu cầu"))] + list(EducationRecord.Level.choices))
    major_group = forms.CharField(label=_("Nhóm ngành"), max_length=160, required=False)
    language_level = forms.TypedChoiceField(label=_("Bậc ngoại ngữ tối thiểu"), required=False, coerce=int,
                                            empty_value=None,
                                            choices=[("", _("Không yêu cầu"))] + [(i, str(i)) for i in range(1, 7)])
    political_theory = forms.ChoiceField(
        label=_("Lý luận chính trị tối thiểu"), required=False,
        choices=[("", _("Không yêu cầu"))] + [c for c in Candidate.PoliticalTheory.choices if c[0]])
    skills = forms.CharField(label=_("Kỹ năng"), max_length=500, required=False,
                             help_text=_("Cách nhau bằng dấu phẩy, ví dụ: phân tích dữ liệu, tiếng Anh."))
    rubric = forms.ModelChoiceField(label=_("Bộ tiêu chí xếp hạng"), required=False, queryset=Rubric.objects.none(),
                                    empty_label=_("Không dùng"))
    reveal_names_at = forms.ChoiceField(
        label=_("Xét hồ sơ ẩn danh"), required=False,
        choices=[("", _("Không ẩn tên"))] + [(v, _("Hiện tên từ vòng «%(stage)s»") % {"stage": label})
                                            for v, label in ShortlistStage.choices if v not in ("declined", "refused")
                                            and v != ShortlistStage.SHORTLISTED],
        help_text=_("Tên ứng viên được ẩn trên bảng cho tới khi hồ sơ đến vòng này."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        own = user_organization(user)
        if user_role(user) == Role.ADMIN:
            orgs = Organization.objects.all()
        elif own is not None:
            orgs = Organization.objects.filter(path__startswith=own.path)
        else:
            orgs = Organization.objects.none()
        self.organizations = {o.pk: o for o in orgs.order_by("path")}
        self.fields["agency"].choices = [("", _("Cơ quan của tôi"))] + organization_choices(self.organizations.values())
        if own is not None:
            self.fields["agency"].initial = own.pk
        self.fields["rubric"].queryset = Rubric.objects.for_user(user).order_by("name")

    def clean_agency(self) -> Organization | None:
        value = self.cleaned_data.get("agency")
        if value in (None, ""):
            return None
        org = self.organizations.get(value)
        if org is None:
            raise forms.ValidationError(_("Không có cơ quan này."))
        return org

    def clean_mentor(self) -> Any:
        username = (self.cleaned_data.get("mentor") or "").strip()
        if not username:
            return None
        mentor = get_user_model().objects.filter(username=username, is_active=True).first()
        if mentor is None:
            raise forms.ValidationError(_("Không có tài khoản nào tên đăng nhập “%(u)s”.") % {"u": username})
        return mentor

    def clean_skills(self) -> list[str]:
        raw = self.cleaned_data.get("skills") or ""
        return [s.strip() for s in raw.split(",") if s.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"], "kind": data["kind"], "slots": data["slots"], "agency": data.get("agency"),
            "unit": data.get("unit") or "", "mentor": data.get("mentor"), "description": data.get("description") or "",
            "degree_level": data.get("degree_level") or "", "major_group": data.get("major_group") or "",
            "language_level": data.get("language_level"), "political_theory": data.get("political_theory") or "",
            "skills": data.get("skills") or [], "rubric": data.get("rubric"),
            "reveal_names_at": data.get("reveal_names_at") or "",
            "starts_on": data.get("starts_on"), "ends_on": data.get("ends_on"),
        }


class MoveForm(forms.Form):
    """Move a card to another column; the service says whether a reason is needed."""

    stage = forms.ChoiceField(label=_("Chuyển sang vòng"), choices=ShortlistStage.choices)
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Ghi chú"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Đánh giá của tôi"), coerce=int,
                                   choices=[(i, str(i)) for i in range(1, 6)])


class FeedbackForm(forms.Form):
    """The mentor's rating (1–5) per criterion and comments."""

    comments = forms.CharField(label=_("Nhận xét"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(i, str(i)) for i in range(1, 6)]
        fields = {f"rating_{key}": forms.TypedChoiceField(label=label, coerce=int, choices=choices)
                  for key, label in FEEDBACK_CRITERIA.items()}
        self.fields = {**fields, **self.fields}  # type: ignore[assignment]

    @property
    def rating_fields(self) -> list[forms.BoundField]:
        return [self[f"rating_{key}"] for key in FEEDBACK_CRITERIA]

    def ratings(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"rating_{key}"] for key in FEEDBACK_CRITERIA}


class TargetAdoptForm(forms.Form):
    """A unit adopts a model target under its own document (``services.target_adopt``)."""

    organization = forms.TypedChoiceField(label=_("Đơn vị áp dụng"), coerce=int)
    source = forms.CharField(label=_("Văn bản của đơn vị (loại và trích yếu)"), max_length=500,
                             help_text=_("Ví dụ: Kế hoạch thực hiện công tác cán bộ trẻ giai đoạn 2026–2030"))
    source_number = forms.CharField(label=_("Số văn bản"), max_length=64, required=False,
                                    help_text=_("Ví dụ: 12-KH/TĐTN"))
    source_date = forms.DateField(label=_("Ngày ban hành"), required=False, input_formats=["%d/%m/%Y"],
                                  widget=DateInput(),
                                  error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")})
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    threshold = forms.DecimalField(label=_("Ngưỡng"), max_digits=8, decimal_places=2, min_value=0)
    threshold_high = forms.DecimalField(label=_("Ngưỡng trên"), max_digits=8, decimal_places=2, min_value=0,
                                        required=False)
    deadline = forms.DateField(label=_("Thời hạn"), required=False, input_formats=["%d/%m/%Y"], widget=DateInput(),
                               error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")})

    def __init__(self, *args: Any, model: Any, organizations: Any, **kwargs: Any) -> None:
        initial = {"threshold": model.threshold, "threshold_high": model.threshold_high, "deadline": model.deadline,
                   **kwargs.pop("initial", {})}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organization"].choices = organization_choices(organizations)
        if model.comparison != "between":
            del self.fields["threshold_high"]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organization")
        return data
