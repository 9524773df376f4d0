"""The bell in core: any app writes to it; each person reads only their own lines, administrators too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Notification
from core.notifications import already_notified, notifications_mark_read, notify, recent_notifications, unread_count
from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_administrators_bell_holds_only_their_own_lines(org_tree, admin_user, client) -> None:  # type: ignore[no-untyped-def]
    student = make_user(Role.STUDENT)
    notify(users=[student.pk, student.pk], kind="x", title="Cho sinh viên")
    notify(users=[admin_user.pk], kind="x", title="Cho quản trị viên")
    assert unread_count(student) == 1  # one line per person, however often they are named
    assert unread_count(admin_user) == 1
    assert [n["title"] for n in recent_notifications(admin_user)] == ["Cho quản trị viên"]
    # Marking all read touches only the caller's own lines.
    assert notifications_mark_read(user=admin_user) == 1
    assert unread_count(student) == 1
    client.force_login(admin_user)
    page = client.get(reverse("notification-list"))
    assert "Cho quản trị viên" in page.content.decode() and "Cho sinh viên" not in page.content.decode()
    assert client.get(reverse("notification-unread")).json() == {"unread": 0}


def test_a_line_of_someone_else_cannot_be_marked_read(org_tree, client) -> None:  # type: ignore[no-untyped-def]
    an, binh = make_user(Role.STUDENT), make_user(Role.STUDENT)
    notify(users=[binh.pk], kind="x", title="Của Bình")
    line = Notification.objects.get(user=binh)
    client.force_login(an)
    assert client.post(reverse("notification-read", args=[line.pk])).status_code == 404
    line.refresh_from_db()
    assert line.read_at is None


def test_already_notified_lists_who_has_a_kind(org_tree) -> None:  # type: ignore[no-untyped-def]
    an, binh = make_user(Role.STUDENT), make_user(Role.STUDENT)
    notify(users=[an.pk], kind="planning.review.2026", title="Nhắc")
    assert list(already_notified("planning.review.2026").values_list("user", flat=True)) == [an.pk]
    assert binh.pk not in set(already_notified("planning.review.2026").values_list("user", flat=True))
