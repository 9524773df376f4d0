"""Forms of the succession pages: they parse input; the rules live in ``succession.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from succession.models import Box, Level, PlanMember, Readiness
from talent.forms import DateInput, organization_choices

DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


class BenchFilterForm(forms.Form):
    term = forms.ChoiceField(label=_("Nhiệm kỳ"), required=False)
    organization = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, terms: list[str], organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(t, t) for t in terms]
        self.fields["organization"].choices = [("", _("Mọi đơn vị trong phạm vi"))] + organization_choices(organizations)


class PositionForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    title = forms.CharField(label=_("Chức danh"), max_length=255)
    level = forms.ChoiceField(label=_("Cấp"), choices=Level.choices)
    seats = forms.IntegerField(label=_("Số lượng"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organization_choices(organizations)


class PlanForm(forms.Form):
    term = forms.RegexField(label=_("Nhiệm kỳ"), regex=r"^\d{4}-\d{4}$", initial="2025-2030",
                            error_messages={"invalid": _("Nhiệm kỳ ghi theo dạng 2025-2030.")})


class ProposeForm(forms.Form):
    candidate = forms.IntegerField(label=_("Mã hồ sơ"), min_value=1, max_value=2**63 - 1,
                                   help_text=_("Mã số hồ sơ ứng viên, xem ở trang hồ sơ."))
    readiness = forms.ChoiceField(label=_("Mức sẵn sàng"), choices=Readiness.choices)
    emergency = forms.BooleanField(label=_("Kế nhiệm khẩn cấp"), required=False)
    exception_reason = forms.CharField(label=_("Lý do ngoại lệ (quản trị viên)"), max_length=500, required=False,
                                       help_text=_("Chỉ khi người được đề xuất chưa đạt một tiêu chuẩn và đã được "
                                                   "cấp có thẩm quyền chấp thuận."))


class ApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = forms.DateField(label=_("Ngày quyết định"), input_formats=["%d/%m/%Y"], widget=DateInput(),
                                    error_messages=DATE_ERRORS)


class RemoveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Lý do"), choices=PlanMember.RemovalReason.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ReviewYearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm rà soát"), min_value=2000, max_value=2100)


class ReviewDecisionForm(forms.Form):
    """One decision about a member in the yearly review: keep, change readiness, or remove with a reason."""

    ACTIONS = (("keep", _("Giữ nguyên")), ("readiness", _("Thay đổi mức sẵn sàng")), ("remove", _("Đưa ra khỏi quy hoạch")))
    member = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("Kết quả"), choices=ACTIONS)
    readiness = forms.ChoiceField(label=_("Mức sẵn sàng mới"), choices=[("", "—"), *Readiness.choices], required=False)
    reason = forms.ChoiceField(label=_("Lý do đưa ra"), choices=[("", "—"), *PlanMember.RemovalReason.choices],
                               required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "readiness" and not data.get("readiness"):
            self.add_error("readiness", _("Chọn mức sẵn sàng mới."))
        if data.get("action") == "remove" and not data.get("reason"):
            self.add_error("reason", _("Chọn lý do đưa ra khỏi quy hoạch."))
        return data


class ReviewSignForm(forms.Form):
    note = forms.CharField(label=_("Kết luận rà soát"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CalibrationForm(forms.Form):
    """The 9-box page's actions: open a session, move a member (with a reason), close the session."""

    action = forms.ChoiceField(choices=(("open", "open"), ("move", "move"), ("close", "close")))
    title = forms.CharField(label=_("Tên phiên"), max_length=200, required=False)
    member = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    performance = forms.ChoiceField(label=_("Hiệu quả công việc"), choices=[("", "—"), *Box.choices], required=False)
    potential = forms.ChoiceField(label=_("Tiềm năng"), choices=[("", "—"), *Box.choices], required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)


class RotationForm(forms.Form):
    candidate = forms.IntegerField(label=_("Mã hồ sơ"), min_value=1, max_value=2**63 - 1)
    to_organization = forms.TypedChoiceField(label=_("Đến đơn vị"), coerce=int)
    to_title = forms.CharField(label=_("Chức vụ đến"), max_length=255)
    starts_on = forms.DateField(label=_("Từ ngày"), input_formats=["%d/%m/%Y"], widget=DateInput(), error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("Đến ngày (dự kiến)"), input_formats=["%d/%m/%Y"], widget=DateInput(),
                              required=False, error_messages=DATE_ERRORS)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].choices = organization_choices(organizations)


class RotationActionForm(forms.Form):
    action = forms.ChoiceField(choices=(("start", "start"), ("finish", "finish"), ("cancel", "cancel")))
    note = forms.CharField(max_length=500, required=False)


class FastTrackForm(forms.Form):
    candidate = forms.IntegerField(label=_("Mã hồ sơ"), min_value=1, max_value=2**63 - 1)
    position = forms.TypedChoiceField(label=_("Chức danh đề xuất"), coerce=int)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(p.pk, f"{p.title} – {p.organization.name}") for p in positions]
