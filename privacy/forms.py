"""Forms of the privacy pages: the student's own profile, consent, erasure, and staff consent records.

Forms only parse and present input. The rules (phone format, who may grant what, under-16 consent,
evidence file types, notes required on rejection) live in ``talent.services`` / ``privacy.services``
and come back as ``ValidationError``/``PermissionDenied``, which ``apply_service_errors`` shows
next to the right field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models import Consent
from privacy.services import EVIDENCE_TYPES
from talent.forms import DATE_INPUT_FORMATS, DateInput
from talent.models import Achievement, Candidate, LanguageCertificate
from talent.reference import CEFR_BY_LEVEL

REQUIRED = _("Trường này là bắt buộc.")


class SelfProfileForm(forms.Form):
    """What a student may change in their own record (``talent.services.SELF_SERVICE_FIELDS``)."""

    email = forms.EmailField(label=_("Email"), required=False, max_length=254,
                             error_messages={"invalid": _("Địa chỉ email không hợp lệ."),
                                             "max_length": _("Địa chỉ email quá dài (tối đa 254 ký tự).")},
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Điện thoại di động"), required=False, max_length=20,
                            error_messages={"max_length": _("Số điện thoại quá dài.")},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "placeholder": "0912345678"}))
    home_address = forms.CharField(label=_("Địa chỉ thường trú"), required=False, max_length=255,
                                   error_messages={"max_length": _("Địa chỉ quá dài (tối đa 255 ký tự).")},
                                   widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    aspirations = forms.CharField(
        label=_("Nguyện vọng"), required=False, max_length=2000,
        help_text=_("Lĩnh vực, cơ quan hoặc công việc bạn mong muốn; hỗ trợ bạn cần (tối đa 2000 ký tự)."),
        error_messages={"max_length": _("Nguyện vọng quá dài (tối đa 2000 ký tự).")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @staticmethod
    def initial_from(candidate: Candidate) -> dict[str, Any]:
        return {"email": candidate.email, "phone": candidate.phone, "home_address": candidate.home_address,
                "aspirations": candidate.aspirations}


class AchievementSelfForm(forms.Form):
    """An achievement the student adds to their own record; it stays pending until staff verify it."""

    title = forms.CharField(label=_("Tên thành tích"), max_length=255,
                            error_messages={"required": _("Tên thành tích là bắt buộc."),
                                            "max_length": _("Tên thành tích quá dài (tối đa 255 ký tự).")},
                            widget=forms.TextInput(
                                attrs={"placeholder": _("Ví dụ: Giải Nhì Olympic Tin học sinh viên")}))
    category = forms.ChoiceField(label=_("Loại"), choices=Achievement.Category.choices,
                                 error_messages={"required": REQUIRED,
                                                 "invalid_choice": _("Loại thành tích không hợp lệ.")})
    level = forms.ChoiceField(label=_("Cấp"), choices=Achievement.Level.choices,
                              error_messages={"required": REQUIRED,
                                              "invalid_choice": _("Cấp thành tích không hợp lệ.")})
    award_rank = forms.ChoiceField(label=_("Giải"), required=False, choices=Achievement.AwardRank.choices,
                                   error_messages={"invalid_choice": _("Giải không hợp lệ.")})
    year = forms.IntegerField(label=_("Năm"), error_messages={"required": _("Năm đạt thành tích là bắt buộc."),
                                                              "invalid": _("Năm phải là số, ví dụ 2025.")},
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    evidence = forms.CharField(label=_("Minh chứng"), required=False, max_length=500,
                               help_text=_("Số quyết định, ngày ký hoặc đường dẫn tới giấy chứng nhận."),
                               error_messages={"max_length": _("Minh chứng quá dài (tối đa 500 ký tự).")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        # "Không xếp giải" (the empty value) first, as the default.
        choices = list(Achievement.AwardRank.choices)
        self.fields["award_rank"].choices = [c for c in choices if c[0] == ""] + [c for c in choices if c[0] != ""]


class LanguageSelfForm(forms.Form):
    """A language certificate the student adds to their own record (pending until verified)."""

    language = forms.ChoiceField(label=_("Ngoại ngữ"), choices=LanguageCertificate.Language.choices,
                                 error_messages={"required": REQUIRED, "invalid_choice": _("Ngoại ngữ không hợp lệ.")})
    level = forms.TypedChoiceField(
        label=_("Bậc (khung 6 bậc)"), coerce=int, choices=[(level, level) for level in CEFR_BY_LEVEL],
        error_messages={"required": REQUIRED,
                        "invalid_choice": _("Bậc ngoại ngữ phải từ 1 đến 6 (khung 6 bậc).")},
    )
    certificate = forms.CharField(label=_("Chứng chỉ"), required=False, max_length=120,
                                  error_messages={"max_length": _("Tên chứng chỉ quá dài (tối đa 120 ký tự).")},
                                  widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: IELTS 7.0, VSTEP B2")}))
    issued_on = forms.DateField(label=_("Ngày cấp"), required=False, input_formats=DATE_INPUT_FORMATS,
                                widget=DateInput(),
                                error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels in the request's language: "Bậc 4 (B2)".
        self.fields["level"].choices = [
            (level, _("Bậc %(level)d (%(cefr)s)") % {"level": level, "cefr": cefr})
            for level, cefr in CEFR_BY_LEVEL.items()
        ]


class ConsentSetForm(forms.Form):
    """The student grants (``granted=1``) or withdraws (``granted=0``) their own consent for a purpose."""

    purpose = forms.ChoiceField(choices=Consent.Purpose.choices,
                                error_messages={"required": _("Mục đích không hợp lệ."),
                                                "invalid_choice": _("Mục đích không hợp lệ.")})
    granted = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1",
                                     error_messages={"required": _("Hãy chọn đồng ý hoặc rút lại."),
                                                     "invalid_choice": _("Hãy chọn đồng ý hoặc rút lại.")})


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do (không bắt buộc)"), required=False, max_length=2000,
        error_messages={"max_length": _("Lý do quá dài (tối đa 2000 ký tự).")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng khi yêu cầu được duyệt, hồ sơ của tôi sẽ được ẩn danh vĩnh viễn và tài khoản "
                "sẽ bị đóng."),
        error_messages={"required": _("Hãy đánh dấu xác nhận rằng bạn hiểu hậu quả của việc xoá dữ liệu.")},
    )


class ErasureApproveForm(forms.Form):
    """Approving anonymizes the record and closes the account: it needs an explicit confirmation."""

    decision = "approve"

    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng việc ẩn danh không thể hoàn tác."),
        error_messages={"required": _("Hãy đánh dấu xác nhận trước khi duyệt: việc ẩn danh không thể hoàn tác.")},
    )
    note = forms.CharField(label=_("Ghi chú (không bắt buộc)"), required=False, max_length=500,
                           error_messages={"max_length": _("Ghi chú quá dài (tối đa 500 ký tự).")},
                           widget=forms.TextInput())


class ErasureRejectForm(forms.Form):
    """Rejecting keeps the record; the person sees the note, so it is required (the service checks too)."""

    decision = "reject"

    note = forms.CharField(label=_("Lý do từ chối"), max_length=500,
                           error_messages={"required": _("Cần ghi lý do khi từ chối yêu cầu xoá dữ liệu."),
                                           "max_length": _("Lý do quá dài (tối đa 500 ký tự).")},
                           widget=forms.Textarea(attrs={"rows": 3}))


class ConsentRecordForm(forms.Form):
    """Staff record a consent given on paper; the signed form is uploaded as evidence."""

    purpose = forms.ChoiceField(label=_("Mục đích"), choices=Consent.Purpose.choices,
                                error_messages={"required": REQUIRED, "invalid_choice": _("Mục đích không hợp lệ.")})
    given_by = forms.ChoiceField(label=_("Người đồng ý"), choices=Consent.GivenBy.choices,
                                 initial=Consent.GivenBy.SELF, widget=forms.RadioSelect,
                                 error_messages={"required": REQUIRED,
                                                 "invalid_choice": _("Người đồng ý không hợp lệ.")})
    guardian_name = forms.CharField(label=_("Họ tên cha mẹ / người giám hộ"), required=False, max_length=120,
                                    help_text=_("Chỉ khi người đồng ý là cha mẹ hoặc người giám hộ."),
                                    error_messages={"max_length": _("Họ tên quá dài (tối đa 120 ký tự).")})
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255,
                           error_messages={"max_length": _("Ghi chú quá dài (tối đa 255 ký tự).")},
                           widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Bản ký ngày 12/09/2025")}))
    evidence = forms.FileField(
        label=_("Văn bản đồng ý có chữ ký"), help_text=_("PDF, JPG hoặc PNG, tối đa 5 MB."),
        widget=forms.FileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
        error_messages={"required": _("Cần tải lên văn bản đồng ý có chữ ký (PDF, JPG hoặc PNG)."),
                        "empty": _("Tệp minh chứng rỗng."),
                        "invalid": _("Không đọc được tệp tải lên."),
                        "missing": _("Không nhận được tệp tải lên.")},
    )
