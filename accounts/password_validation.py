"""Django's four password validators with messages written for this product, Vietnamese first.

Django's own Vietnamese catalog leaves some of them in English (the minimum-length message has no
Vietnamese plural form) and names fields by their capitalised verbose names mid-sentence. The rules
are Django's, unchanged: only the wording differs. ``AUTH_PASSWORD_VALIDATORS`` points here, so the
pages, the API and ``manage.py changepassword`` give the same messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

# What each compared attribute is called inside a sentence ("quá giống với tên đăng nhập").
ATTRIBUTE_LABELS: dict[str, Any] = {
    "username": gettext_lazy("tên đăng nhập"),
    "first_name": gettext_lazy("tên"),
    "last_name": gettext_lazy("họ"),
    "email": gettext_lazy("email"),
}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    """The password may not resemble the username, the name or the email address."""

    def validate(self, password: str, user: Any = None) -> None:
        # Django's check, one attribute at a time, so the message can name the attribute in our words.
        for attribute in self.user_attributes:
            single = django_validation.UserAttributeSimilarityValidator(
                user_attributes=(attribute,), max_similarity=self.max_similarity)
            try:
                single.validate(password, user)
            except ValidationError as exc:
                label = ATTRIBUTE_LABELS.get(attribute, attribute)
                raise ValidationError(self.get_error_message(), code="password_too_similar",
                                      params={"verbose_name": str(label)}) from exc

    def get_error_message(self) -> str:
        return _("Mật khẩu quá giống với %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống tên đăng nhập, họ tên hoặc email.")


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    """At least ``min_length`` characters (8 unless configured)."""

    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords (Django's list)."""

    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán ra.")

    def get_help_text(self) -> str:
        return _("Không dùng mật khẩu phổ biến (như 12345678, password123).")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    """Not digits only."""

    def get_error_message(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")
