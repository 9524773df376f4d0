"""Forms of the administrator pages: accounts and the audit log.

Forms only parse and present input; the account rules (username format, the organization each
role needs, the student's free candidate record, password strength) live in
``accounts.services.user_create`` and come back through ``talent.forms.apply_service_errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent.forms import DATE_INPUT_FORMATS, DateInput
from talent.models import Candidate, Organization, Role
from talent.selectors import organization_list

# The organization kinds offered on the account form, in this order: every role that needs a home
# organization needs one of these (a student's is their record's, an administrator's is optional).
ACCOUNT_ORGANIZATION_KINDS = (
    Organization.Kind.YOUTH_UNION, Organization.Kind.UNIVERSITY, Organization.Kind.FACULTY,
    Organization.Kind.AGENCY, Organization.Kind.ENTERPRISE,
)

# Ids beyond a 64-bit integer cannot exist and would overflow the database driver.
MAX_ID = 2**63 - 1
CANDIDATE_ID_ERRORS: dict[str, Any] = {
    "invalid": _("Mã hồ sơ là một số, ví dụ 1024."),
    "min_value": _("Mã hồ sơ là một số dương."),
    "max_value": _("Không có hồ sơ ứng viên mang mã này."),
}

ROLE_RULES: list[tuple[Any, Any]] = [
    (Role.OFFICER.label, _("một tổ chức Đoàn; thấy đơn vị đó và mọi đơn vị cấp dưới.")),
    (Role.LIAISON.label, _("một trường đại học hoặc một khoa; thấy trường/khoa đó.")),
    (Role.RECRUITER.label, _("một cơ quan hoặc doanh nghiệp; chỉ thấy ứng viên trong nguồn được chia sẻ "
                             "với đơn vị và đã đồng ý chia sẻ.")),
    (Role.STUDENT.label, _("một hồ sơ ứng viên chưa có tài khoản (nhập mã hồ sơ); đơn vị lấy theo hồ sơ, "
                           "để trống ô đơn vị.")),
    (Role.PERSONNEL.label, _("một tổ chức Đoàn hoặc một cơ quan (ban tổ chức, sở nội vụ); quản lý chức danh, quy "
                             "hoạch và rà soát của đơn vị đó và mọi đơn vị cấp dưới.")),
    (Role.ADMIN.label, _("đơn vị không bắt buộc; thấy toàn bộ hệ thống.")),
]


def grouped_organization_choices(orgs: Any) -> list[tuple[Any, Any]]:
    """Organizations grouped by kind (one <optgroup> each); a faculty also names its university."""
    groups: dict[str, list[tuple[int, str]]] = {kind: [] for kind in ACCOUNT_ORGANIZATION_KINDS}
    for org in orgs:
        if org.kind not in groups:
            continue
        label = org.name
        if org.kind == Organization.Kind.FACULTY and org.parent is not None:
            label = f"{org.name} – {org.parent.name}"
        groups[org.kind].append((org.pk, label))
    return [(Organization.Kind(kind).label, options) for kind, options in groups.items() if options]


class UserFilterForm(forms.Form):
    """Query-string filters of the account list; an invalid value is ignored, never raised."""

    ACTIVE_CHOICES = [("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khoá"))]

    search = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=120,
                             widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                           "placeholder": _("Tên đăng nhập, email hoặc đơn vị")}))
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Tất cả")), *Role.choices])
    active = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=ACTIVE_CHOICES)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``accounts.selectors.user_list``; call after ``is_valid()``."""
        data = getattr(self, "cleaned_data", {})
        active = data.get("active")
        return {
            "search": (data.get("search") or "").strip(),
            "role": data.get("role") or "",
            "active": None if active in (None, "") else active == "1",
        }

    @property
    def active_count(self) -> int:
        data = getattr(self, "cleaned_data", {})
        return sum(1 for field in ("role", "active") if data.get(field))


class UserCreateForm(forms.Form):
    """A new account. The candidate is entered by its id (mã hồ sơ): a select of every candidate
    would be too big, and the id is shown on the candidate's page; once valid, the name is shown."""

    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=64,
        help_text=_("3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    email = forms.EmailField(label=_("Email"), required=False,
                             error_messages={"invalid": _("Địa chỉ email không hợp lệ.")})
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("— Chọn vai trò —")), *Role.choices])
    organization = forms.ModelChoiceField(
        label=_("Đơn vị"), required=False, queryset=Organization.objects.none(),
        empty_label=_("— Không chọn —"),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    candidate = forms.IntegerField(
        label=_("Mã hồ sơ ứng viên"), required=False, min_value=1, max_value=MAX_ID,
        help_text=_("Chỉ với tài khoản sinh viên: số hiển thị trên trang hồ sơ, ví dụ 1024."),
        error_messages=CANDIDATE_ID_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.candidate_obj: Candidate | None = None
        organization = self.fields["organization"]
        queryset = organization_list(user=user).filter(kind__in=ACCOUNT_ORGANIZATION_KINDS)
        organization.queryset = queryset
        organization.choices = [("", organization.empty_label), *grouped_organization_choices(queryset)]
        self.fields["password1"].help_text = " ".join(str(text) for text in password_validators_help_texts())

    def clean_candidate(self) -> Candidate | None:
        pk = self.cleaned_data.get("candidate")
        if pk is None:
            return None
        candidate = (Candidate.objects.for_user(self.user).select_related("organization", "user")
                     .filter(pk=pk).first())
        if candidate is None:
            raise forms.ValidationError(_("Không có hồ sơ ứng viên mang mã %(pk)s."), params={"pk": pk})
        self.candidate_obj = candidate
        return candidate

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "username": data["username"], "password": data["password1"], "role": data["role"],
            "organization": data.get("organization"), "candidate": data.get("candidate"),
            "email": data.get("email") or "", "full_name": data.get("full_name") or "",
        }


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


class AuditFilterForm(forms.Form):
    """Filters of the audit log page. ``action`` is free text with suggestions; "pool." or "pool.*"
    matches every action of that kind (a prefix match the action index serves)."""

    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150,
                            widget=forms.TextInput(attrs={"placeholder": _("Tên đăng nhập"),
                                                          "autocomplete": "off", "autocapitalize": "none"}))
    candidate = forms.IntegerField(label=_("Mã hồ sơ ứng viên"), required=False, min_value=1, max_value=MAX_ID,
                                   error_messages=CANDIDATE_ID_ERRORS,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    action = forms.CharField(label=_("Thao tác"), required=False, max_length=64,
                             widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off",
                                                           "placeholder": _("vd. candidate.read hoặc pool.*")}))
    since = forms.DateField(label=_("Từ ngày"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
                            error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")})
    until = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
                            error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Ngày kết thúc phải sau ngày bắt đầu."))
            data.pop("until", None)
        return data

    def apply(self, queryset: Any) -> Any:
        """Narrow an audit-event queryset by the valid filters; call after ``is_valid()``."""
        data = getattr(self, "cleaned_data", {})
        if data.get("actor"):
            # Resolved through the users table (small, username indexed) so the events are matched
            # on their indexed actor column.
            actors = get_user_model()._default_manager.filter(username__iexact=data["actor"].strip())
            queryset = queryset.filter(actor__in=actors.values("pk"))
        if data.get("candidate"):
            queryset = queryset.about_candidate(data["candidate"])
        action = (data.get("action") or "").strip()
        if action.endswith(("*", ".")):
            prefix = action.rstrip("*")
            queryset = queryset.filter(action__startswith=prefix) if prefix else queryset
        elif action:
            queryset = queryset.filter(action=action)
        if data.get("since"):
            queryset = queryset.filter(at__gte=_start_of_day(data["since"]))
        if data.get("until"):
            queryset = queryset.filter(at__lt=_start_of_day(data["until"] + dt.timedelta(days=1)))
        return queryset

    @property
    def active_count(self) -> int:
        data = getattr(self, "cleaned_data", {})
        return sum(1 for field in self.fields if data.get(field))
