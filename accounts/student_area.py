"""Where a student account may go: its own pages and the community, nothing of the staff's.

Deny by default, in one place: a student (or young cadre) reaches only the URL names below; every
other page is refused before the view runs — and a page opened in the browser (not a form sent, a
fragment or a JSON call) sends them on to their own page instead (``config.errors.permission_denied``).
A new staff page is therefore closed to students without anyone remembering to close it. The scope
rules still apply inside the allowed pages (a student's score page opens only their own record).
The API is not covered here: its viewsets check roles and scopes themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from talent.roles import Role, user_role

STUDENT_PAGES = frozenset({
    # Their own record, data rights and score.
    "me-profile", "me-contact", "me-achievement-add", "me-language-add", "me-consent", "me-export", "me-erasure",
    "my-score", "candidate-detail", "candidate-score", "candidate-contest", "contest-list", "dashboard",
    # The account.
    "logout", "password_change", "password_change_done", "set_language",
    # The community: clubs, events and live Q&A, surveys, their calendar.
    "club-list", "club-detail", "club-join", "club-leave", "club-calendar",
    "event-list", "event-detail", "event-ics", "event-ticket-qr", "event-register", "event-unregister",
    "event-offer-accept", "event-self-check-in", "event-qa", "event-qa-state", "event-qa-ask", "event-qa-vote",
    "event-qa-checkin", "event-qa-screen", "event-live", "event-live-state", "user-calendar",
    "survey-list", "survey-detail",
    # What a student who chairs a club does for it (each view checks that they manage the club).
    "event-create", "event-cancel", "event-check-in", "event-live-code", "event-qa-moderate",
    "club-invite", "club-announce", "club-membership-decide", "club-membership-role",
    "survey-create", "survey-results", "survey-export-csv", "survey-export-xlsx",
    # Notifications, their own background jobs (their data export), internships and the rules of ranking.
    "notification-list", "notification-unread", "notification-bell", "notification-read-all", "notification-read",
    "job-detail", "job-download", "job-cancel", "placement-list", "placement-feedback",
    # A young cadre's evaluation: the sheets they owe (themselves, their peers) and their own results.
    "evaluation-mine", "evaluation-rate",
    "opening-list", "opening-detail",  # published openings, to read and apply for
    "rubric-list", "rubric-detail", "rule-set-list",
})


def is_student(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user_role(user) == Role.STUDENT)


class StudentAreaMiddleware:
    """Keeps student accounts on STUDENT_PAGES (after authentication, before the view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not is_student(getattr(request, "user", None)):
            return None
        if match.view_name in STUDENT_PAGES or request.path.startswith(("/api/", "/static/")):
            return None
        raise PermissionDenied(_("Trang này dành cho cán bộ."))  # config.errors sends a page on to /me/
