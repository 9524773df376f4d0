"""Forms of the club, event and survey pages.

Forms only parse and present input; the rules (who may manage, capacity, eligibility, survey
targets) live in ``clubs.services`` and ``clubs.surveys`` and come back as ``ValidationError`` /
``PermissionDenied``, which ``talent.forms.apply_service_errors`` puts next to the right field.
Dates are typed dd/mm/yyyy and times HH:MM (the native pickers follow the browser's locale).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clubs.models import Club, Event, Membership, Survey, SurveyQuestion
from clubs.surveys import QuestionSpec
from talent.forms import organization_choices
from talent.models import Organization, Role, TalentPool, user_organization, user_role

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATETIME_PLACEHOLDER = "dd/mm/yyyy hh:mm"
RESERVED_SLUGS = frozenset({"new"})


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"placeholder": DATETIME_PLACEHOLDER, "autocomplete": "off", **(attrs or {})},
                         format=DATETIME_FORMAT)


def _datetime_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, input_formats=[DATETIME_FORMAT, "%d/%m/%Y"], widget=DateTimeInput(),
        help_text=help_text,
        error_messages={"invalid": _("Thời điểm không hợp lệ, hãy nhập theo dạng dd/mm/yyyy hh:mm.")})


# --- Clubs -------------------------------------------------------------------------------------------

class ClubForm(forms.Form):
    name = forms.CharField(label=_("Tên câu lạc bộ"), max_length=200)
    slug = forms.SlugField(label=_("Mã (dùng trong đường dẫn)"), max_length=80,
                           help_text=_("Chữ không dấu, số và dấu gạch ngang, ví dụ clb-can-bo-tre."))
    owner = forms.TypedChoiceField(label=_("Đơn vị quản lý"), coerce=int)
    description = forms.CharField(label=_("Giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    policy = forms.ChoiceField(label=_("Cách tham gia"), choices=Club.Policy.choices, initial=Club.Policy.APPROVAL,
                               widget=forms.RadioSelect)
    directory = forms.ChoiceField(label=_("Ai xem được danh sách thành viên"), choices=Club.Directory.choices,
                                  initial=Club.Directory.MEMBERS, widget=forms.RadioSelect)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in Organization.objects.for_user(user).order_by("path")}
        self.fields["owner"].choices = organization_choices(self.organizations.values())
        home = user_organization(user)
        if home is not None and home.pk in self.organizations:
            self.fields["owner"].initial = home.pk

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Mã này dành riêng cho hệ thống, hãy chọn mã khác."))
        return slug

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"slug": data["slug"], "name": data["name"].strip(), "owner": self.organizations[data["owner"]],
                "description": data["description"].strip(), "policy": data["policy"], "directory": data["directory"]}


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của người được mời"), max_length=150)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Membership.Role.choices)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}))


# --- Events ------------------------------------------------------------------------------------------

class EventForm(forms.Form):
    title = forms.CharField(label=_("Tên sự kiện"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=Event.Kind.choices)
    description = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    club = forms.TypedChoiceField(label=_("Câu lạc bộ tổ chức"), coerce=int, required=False, empty_value=None)
    organization = forms.TypedChoiceField(label=_("Đơn vị tổ chức"), coerce=int, required=False, empty_value=None,
                                          help_text=_("Để trống nếu sự kiện thuộc câu lạc bộ: lấy đơn vị của "
                                                      "câu lạc bộ."))
    starts_at = _datetime_field(_("Bắt đầu"), required=True)
    ends_at = _datetime_field(_("Kết thúc"), required=True)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    online_link = forms.URLField(label=_("Đường dẫn trực tuyến"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Số chỗ"), min_value=1, max_value=100_000)
    registration_opens_at = _datetime_field(_("Mở đăng ký"), required=False,
                                            help_text=_("Để trống: mở ngay."))
    registration_closes_at = _datetime_field(_("Đóng đăng ký"), required=False,
                                             help_text=_("Để trống: đến khi sự kiện kết thúc."))
    eligibility = forms.ChoiceField(label=_("Ai được đăng ký"), choices=Event.Eligibility.choices,
                                    initial=Event.Eligibility.ANYONE)
    eligible_pool = forms.TypedChoiceField(label=_("Nguồn (khi dành cho ứng viên trong nguồn)"), coerce=int,
                                           required=False, empty_value=None)
    eligible_year = forms.IntegerField(label=_("Khoá – năm nhập học (khi dành cho một khoá)"), required=False,
                                       min_value=1990, max_value=2100)
    offer_hours = forms.IntegerField(
        label=_("Giữ chỗ cho người trong danh sách chờ (giờ)"), required=False, min_value=1, max_value=168,
        help_text=_("Để trống: chỗ trống chuyển ngay cho người đầu danh sách chờ. Có giá trị: người đó có "
                    "ngần ấy giờ để xác nhận."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clubs = {c.pk: c for c in Club.objects.managed_by(user).order_by("name")}
        self.fields["club"].choices = [("", _("— Không thuộc câu lạc bộ —"))] + [
            (c.pk, c.name) for c in self.clubs.values()]
        self.is_staff = user_role(user) in (Role.ADMIN, Role.OFFICER, Role.LIAISON)
        self.organizations = ({o.pk: o for o in Organization.objects.for_user(user).order_by("path")}
                              if self.is_staff else {})
        self.fields["organization"].choices = [("", "—")] + organization_choices(self.organizations.values())
        self.pools = {p.pk: p for p in TalentPool.objects.for_user(user).order_by("name")} if self.is_staff else {}
        self.fields["eligible_pool"].choices = [("", "—")] + [(p.pk, str(p)) for p in self.pools.values()]
        if not self.is_staff:
            # The core team of a club organizes its club's events only.
            self.fields["club"].required = True
            del self.fields["organization"]
            del self.fields["eligible_pool"]
            self.fields["eligibility"].choices = [c for c in Event.Eligibility.choices
                                                  if c[0] != Event.Eligibility.POOL]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Hạn đóng đăng ký phải sau thời điểm mở."))
        ends = data.get("ends_at")
        if opens and ends and opens >= ends:
            self.add_error("registration_opens_at", _("Phải mở đăng ký trước khi sự kiện kết thúc."))
        if self.is_staff and not data.get("club") and not data.get("organization"):
            self.add_error("organization", _("Hãy chọn đơn vị tổ chức, hoặc một câu lạc bộ."))
        if not data.get("place") and not data.get("online_link") and "place" not in self.errors:
            self.add_error("place", _("Hãy nhập địa điểm hoặc đường dẫn trực tuyến."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        eligibility = data["eligibility"]
        kwargs: dict[str, Any] = {
            "title": data["title"].strip(), "kind": data["kind"], "starts_at": data["starts_at"],
            "ends_at": data["ends_at"], "capacity": data["capacity"],
            "club": self.clubs.get(data["club"]) if data.get("club") else None,
            "organization": self.organizations.get(data["organization"]) if data.get("organization") else None,
            "description": data["description"].strip(), "place": data["place"].strip(),
            "online_link": data["online_link"], "registration_opens_at": data["registration_opens_at"],
            "registration_closes_at": data["registration_closes_at"], "eligibility": eligibility,
            "offer_hours": data["offer_hours"],
        }
        if eligibility == Event.Eligibility.POOL and data.get("eligible_pool"):
            kwargs["eligible_pool"] = self.pools[data["eligible_pool"]]
        if eligibility == Event.Eligibility.SCHOOL_YEAR:
            kwargs["eligible_year"] = data["eligible_year"]
        return kwargs


MONTH_NAMES = [_("Tháng Một"), _("Tháng Hai"), _("Tháng Ba"), _("Tháng Tư"), _("Tháng Năm"), _("Tháng Sáu"),
               _("Tháng Bảy"), _("Tháng Tám"), _("Tháng Chín"), _("Tháng Mười"), _("Tháng Mười Một"),
               _("Tháng Mười Hai")]


class MonthPicker(forms.MultiWidget):
    """A month as two selects, its name in words and the year ("Tháng Mười Hai" · 2026), sent as
    ``month_m`` and ``month_y``; a link's ``?month=2026-12`` is read too. No browser's own month input,
    whose look and language differ from one browser to the next (and which some do not have)."""

    def __init__(self, years: range, attrs: dict[str, Any] | None = None) -> None:
        months = [("", _("Chọn tháng"))] + [(str(i), name) for i, name in enumerate(MONTH_NAMES, start=1)]
        year_choices = [("", _("Năm"))] + [(str(y), str(y)) for y in years]
        super().__init__({"m": forms.Select(choices=months, attrs={"aria-label": _("Tháng"), "class": "month-part"}),
                          "y": forms.Select(choices=year_choices, attrs={"aria-label": _("Năm"), "class": "month-part"})},
                         attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [str(value.month), str(value.year)]
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value or "").strip())
        return [str(int(match.group(2))), match.group(1)] if match else ["", ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        if data.get(name):
            return str(data.get(name))
        month, year = data.get(f"{name}_m", ""), data.get(f"{name}_y", "")
        if not month and not year:
            return ""
        if not (month and year):
            return f"{year or '?'}-{month or '?'}"  # half a month: refused by clean_month, and said
        return f"{year}-{int(month):02d}" if month.isdigit() else f"{year}-{month}"


class EventFilterForm(forms.Form):
    """The calendar's filters. An invalid value is reported and then ignored."""

    month = forms.CharField(label=_("Tháng"), required=False, max_length=7)
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + Event.Kind.choices)
    club = forms.TypedChoiceField(label=_("Câu lạc bộ"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, clubs: list[Club], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["club"].choices = [("", _("Tất cả"))] + [(c.pk, c.name) for c in clubs]
        this_year = timezone.localdate().year
        self.fields["month"].widget = MonthPicker(range(this_year - 3, this_year + 3))

    def clean_month(self) -> dt.date | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        if "?" in value:
            raise forms.ValidationError(_("Hãy chọn cả tháng và năm."))
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
            raise forms.ValidationError(_("Tháng không hợp lệ."))
        return dt.date(int(match.group(1)), int(match.group(2)), 1)


class CancelEventForm(forms.Form):
    reason = forms.CharField(label=_("Lý do huỷ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Mã vé"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "autofocus": True}))
    method = forms.ChoiceField(choices=[("typed", "typed"), ("scan", "scan")], required=False,
                               widget=forms.HiddenInput)


class SelfCheckInForm(forms.Form):
    code = forms.RegexField(label=_("Mã 6 chữ số trên màn hình"), regex=r"^\s*\d{6}\s*$", max_length=12,
                            error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                          "autofocus": True}))


# --- Surveys -----------------------------------------------------------------------------------------

class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Tên khảo sát"), max_length=200)
    description = forms.CharField(label=_("Giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.ChoiceField(label=pgettext_lazy("survey audience", "Đối tượng"), choices=Survey.Target.choices, widget=forms.RadioSelect)
    club = forms.TypedChoiceField(label=_("Câu lạc bộ"), coerce=int, required=False, empty_value=None)
    pool = forms.TypedChoiceField(label=_("Nguồn"), coerce=int, required=False, empty_value=None)
    event = forms.TypedChoiceField(label=_("Sự kiện"), coerce=int, required=False, empty_value=None)
    is_feedback = forms.BooleanField(label=_("Phản hồi sau sự kiện (chỉ người đã tham dự, sau khi sự kiện kết thúc)"),
                                     required=False)
    opens_at = _datetime_field(_("Mở từ"), required=False, help_text=_("Để trống: mở ngay."))
    closes_at = _datetime_field(_("Đóng lúc"), required=False, help_text=_("Để trống: không hạn."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clubs = {c.pk: c for c in Club.objects.managed_by(user).order_by("name")}
        self.events = {e.pk: e for e in Event.objects.managed_by(user).order_by("-starts_at")[:200]}
        staff = user_role(user) in (Role.ADMIN, Role.OFFICER, Role.LIAISON)
        self.pools = {p.pk: p for p in TalentPool.objects.for_user(user).order_by("name")} if staff else {}
        self.fields["club"].choices = [("", "—")] + [(c.pk, c.name) for c in self.clubs.values()]
        self.fields["event"].choices = [("", "—")] + [
            (e.pk, f"{e.title} ({timezone.localtime(e.starts_at):%d/%m/%Y})")
            for e in self.events.values()]
        self.fields["pool"].choices = [("", "—")] + [(p.pk, str(p)) for p in self.pools.values()]
        if not staff:
            self.fields["target"].choices = [c for c in Survey.Target.choices if c[0] != Survey.Target.POOL]
            del self.fields["pool"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"title": data["title"], "description": data["description"], "target": data["target"],
                "club": self.clubs.get(data["club"]) if data.get("club") else None,
                "pool": self.pools.get(data["pool"]) if data.get("pool") else None,
                "event": self.events.get(data["event"]) if data.get("event") else None,
                "is_feedback": data["is_feedback"], "opens_at": data["opens_at"], "closes_at": data["closes_at"]}


class SurveyQuestionForm(forms.Form):
    """One row of the builder. A row with no question text is left out."""

    kind = forms.ChoiceField(label=_("Loại"), choices=SurveyQuestion.Kind.choices, initial=SurveyQuestion.Kind.SINGLE)
    text = forms.CharField(label=_("Câu hỏi"), max_length=500, required=False)
    choices = forms.CharField(label=_("Phương án (mỗi dòng một phương án)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    scale_min = forms.IntegerField(label=_("Thang từ"), initial=1, required=False, min_value=0, max_value=100)
    scale_max = forms.IntegerField(label=_("đến"), initial=5, required=False, min_value=0, max_value=100)
    required = forms.BooleanField(label=_("Bắt buộc trả lời"), required=False, initial=True)

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("text") or "").strip()

    def as_spec(self) -> QuestionSpec:
        data = self.cleaned_data
        return QuestionSpec(kind=data["kind"], text=data["text"] or "",
                            choices=(data.get("choices") or "").splitlines(),
                            scale_min=data["scale_min"] if data.get("scale_min") is not None else 1,
                            scale_max=data["scale_max"] if data.get("scale_max") is not None else 5,
                            required=bool(data.get("required")))


SurveyQuestionFormSet = forms.formset_factory(SurveyQuestionForm, extra=0, min_num=0, max_num=50,
                                              absolute_max=50)
BUILDER_START_ROWS = 3


class SurveyAnswerForm(forms.Form):
    """The answer form of one survey: a field ``q<id>`` per question."""

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            label = f"{number}. {question.text}"
            name = f"q{question.pk}"
            required = question.required
            if question.kind == SurveyQuestion.Kind.SINGLE:
                field: forms.Field = forms.ChoiceField(label=label, required=required, widget=forms.RadioSelect,
                                                       choices=[(c, c) for c in question.choices])
            elif question.kind == SurveyQuestion.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(label=label, required=required,
                                                  widget=forms.CheckboxSelectMultiple,
                                                  choices=[(c, c) for c in question.choices])
            elif question.kind == SurveyQuestion.Kind.SCALE:
                field = forms.ChoiceField(
                    label=label, required=required, widget=forms.RadioSelect(attrs={"class": "scale-option"}),
                    choices=[(str(v), str(v)) for v in range(question.scale_min, question.scale_max + 1)],
                    help_text=_("%(low)s = thấp nhất, %(high)s = cao nhất")
                    % {"low": question.scale_min, "high": question.scale_max})
            else:
                field = forms.CharField(label=label, required=required, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 3}))
            field.error_messages["required"] = _("Câu hỏi này bắt buộc.")
            self.fields[name] = field

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
