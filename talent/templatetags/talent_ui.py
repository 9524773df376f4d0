"""Small presentation helpers for the talent templates (no queries beyond the user's profile)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template

from core.text import group_digits

from talent.models import Role, user_role

register = template.Library()


@register.filter
def percent_of(value: int | float | None, maximum: int | float | None) -> int:
    """Bar length in whole percent; a non-zero value keeps a sliver so it stays visible."""
    if not value or not maximum:
        return 0
    return max(2, min(100, round(float(value) * 100 / float(maximum))))


@register.filter
def share_of(value: int | float | None, total: int | float | None) -> str:
    """Share of a total as "12,5" (one decimal, Vietnamese comma); empty when there is no total."""
    if not total:
        return ""
    return f"{float(value or 0) * 100 / float(total):.1f}".replace(".", ",")


@register.simple_tag
def role_label(user: Any) -> str:
    role = user_role(user)
    return str(Role(role).label) if role else ""


@register.filter
def display_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def initials(user: Any) -> str:
    """Two letters for the avatar: first letters of the last two words of a Vietnamese name."""
    words = display_name(user).split()
    if not words:
        return "?"
    return "".join(w[0] for w in words[-2:]).upper()


@register.filter
def nfc(value: Any) -> str:
    """Compose combining marks: Django's own "Tiếng Việt" (name_local) is stored decomposed (NFD),
    which renders fine but does not match searches or tests typed in the usual composed form."""
    return unicodedata.normalize("NFC", str(value))


@register.filter
def dong(value: Any) -> str:
    """An amount of money in đồng, thousands grouped with dots as Vietnamese writes them: 1.000.000 đ."""
    if value is None or value == "":
        return "—"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return group_digits(number) + " đ"
