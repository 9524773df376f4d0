"""The clubs demo: the same rows for the same seed and day, and the facts the demo is there to show —
the city club with the demo student in it, past events with attendance that give the university
students' ranking an engagement criterion with spread, a dialogue with approved questions, a waitlist,
an announcement in members' bells and a survey with responses."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from clubs import demo
from clubs.models import (
    Announcement,
    Club,
    Event,
    Membership,
    Question,
    QuestionVote,
    Registration,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from core.models import Notification
from scoring.features import load_features
from talent.models import Candidate, Organization

SEED = 7
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone.utc)
S = Registration.Status


@pytest.fixture
def seeded(db) -> str:  # type: ignore[no-untyped-def]
    """A small demo city through the real command, which seeds the clubs demo last."""
    out = io.StringIO()
    call_command("seed_demo", "--candidates", "300", "--seed", str(SEED), "--yes-demo", stdout=out)
    return out.getvalue()


def wipe() -> None:
    """Remove what the clubs demo wrote (the student accounts it made included)."""
    Notification.objects.all().delete()
    Survey.objects.all().delete()
    Event.objects.all().delete()
    Club.objects.all().delete()
    get_user_model().objects.filter(candidate__isnull=False).exclude(username="student").delete()


def snapshot() -> dict[str, list[Any]]:
    def rows(queryset: Any, *fields: str) -> list[Any]:
        return sorted(queryset.values_list(*fields), key=repr)

    return {
        "clubs": rows(Club.objects, "slug", "name", "owner__code", "policy", "directory"),
        "accounts": rows(Candidate.objects.filter(user__isnull=False), "full_name", "user__username",
                         "user__profile__role", "user__profile__organization__code"),
        "memberships": rows(Membership.objects, "club__slug", "user__username", "role", "status", "joined_at",
                            "decided_by__username"),
        "events": rows(Event.objects, "title", "kind", "club__slug", "organization__code", "starts_at", "ends_at",
                       "capacity", "eligibility", "offer_hours", "registration_opens_at", "reminder_sent_at"),
        "registrations": rows(Registration.objects, "event__title", "user__username", "status", "waitlist_position",
                              "created_at", "cancelled_at", "checked_in_at", "check_in_method",
                              "checked_in_by__username"),
        "questions": rows(Question.objects, "event__title", "author__username", "text", "status", "votes",
                          "created_at"),
        "votes": rows(QuestionVote.objects, "question__text", "user__username"),
        "announcements": rows(Announcement.objects, "club__slug", "title", "body", "created_at"),
        "notifications": rows(Notification.objects, "user__username", "kind", "title", "created_at", "read_at"),
        "answers": sorted(((s, u, q, json.dumps(v, ensure_ascii=False)) for s, u, q, v in SurveyAnswer.objects
                           .values_list("response__survey__title", "response__user__username", "question__text",
                                        "value")), key=repr),
    }


def test_same_seed_and_day_same_rows_another_seed_other_rows(seeded: str) -> None:
    assert "Câu lạc bộ: 3" in seeded and "lượt tham dự" in seeded  # the command reports the clubs demo
    wipe()
    first = demo.seed_clubs_demo(SEED, now=NOW)
    rows = snapshot()
    assert all(rows.values()), [key for key, value in rows.items() if not value]
    wipe()
    again = demo.seed_clubs_demo(SEED, now=NOW)
    assert snapshot() == rows
    assert (first.attended, first.accounts, first.waitlisted) == (again.attended, again.accounts, again.waitlisted)
    assert first.seconds < 5
    wipe()
    demo.seed_clubs_demo(SEED + 1, now=NOW)
    other = snapshot()
    assert other["clubs"] == rows["clubs"]  # the clubs are the same whatever the seed; the people are not
    assert other["registrations"] != rows["registrations"]
    assert other["accounts"] != rows["accounts"]


def test_refuses_to_seed_twice_or_without_the_city(seeded: str) -> None:
    with pytest.raises(ValueError, match="already"):
        demo.seed_clubs_demo(SEED)
    Club.objects.all().delete()
    Event.objects.all().delete()
    Organization.objects.filter(code=demo.KHTN).update(code="OTHER")
    with pytest.raises(ValueError, match="demo city"):
        demo.seed_clubs_demo(SEED)


def test_the_clubs_and_the_demo_student(seeded: str) -> None:
    city = Club.objects.get(slug=demo.CITY_CLUB)
    assert city.name == "CLB Cán bộ trẻ – Tài năng trẻ TP.HCM"
    assert city.owner.code == "TD-HCM" and city.policy == Club.Policy.APPROVAL
    universities = Club.objects.exclude(pk=city.pk)
    assert universities.count() == 2
    assert {club.owner.kind for club in universities} == {Organization.Kind.UNIVERSITY}
    student = get_user_model().objects.get(username="student")
    membership = Membership.objects.get(club=city, user=student)
    assert membership.status == Membership.Status.ACTIVE and membership.role == Membership.Role.MEMBER
    # Each club has a chair, active members and (the approval clubs) requests waiting.
    for club in Club.objects.all():
        active = Membership.objects.active().filter(club=club)
        assert active.filter(role=Membership.Role.CHAIR).count() == 1
        assert active.count() >= 5
    assert Membership.objects.filter(club=city, status=Membership.Status.PENDING).exists()
    # Members of a university club study there.
    for club in universities:
        for org in Membership.objects.filter(club=club).values_list("user__profile__organization", flat=True):
            assert Organization.objects.get(pk=org).is_within(club.owner)
    # Accounts made for candidates are students of their faculty, without a usable password.
    made = Candidate.objects.filter(user__isnull=False).exclude(user=student).select_related("user__profile")
    assert made.count() > 20
    for candidate in made[:20]:
        assert candidate.user.profile.role == "student"
        assert candidate.user.profile.organization_id == candidate.organization_id
        assert not candidate.user.has_usable_password()


def test_past_events_have_attendance_and_give_the_engagement_criterion_spread(seeded: str) -> None:
    now = timezone.now()
    past = Event.objects.filter(starts_at__lt=now - dt.timedelta(days=1))
    upcoming = Event.objects.filter(starts_at__gt=now + dt.timedelta(days=1))
    assert past.count() == len(demo.PAST) and upcoming.count() == len(demo.UPCOMING)
    assert set(past.values_list("kind", flat=True)) == set(Event.Kind.values)
    attended = Registration.objects.filter(checked_in_at__isnull=False)
    assert not attended.filter(event__in=upcoming).exists()
    assert attended.exclude(status=S.REGISTERED).count() == 0
    # No-shows and cancellations are there too.
    past_regs = Registration.objects.filter(event__in=past)
    assert past_regs.filter(status=S.REGISTERED, checked_in_at__isnull=True).exists()
    assert past_regs.filter(status=S.CANCELLED).exists()
    # The demo student attended the last dialogue.
    assert attended.filter(user__username="student", event__kind=Event.Kind.DIALOGUE).exists()

    frame = load_features(Candidate.objects.all(), with_potential=False)
    students = frame[frame["current_level"] == "university"]["engagement_points"]
    engaged = students[students > 0]
    assert len(engaged) >= 15
    assert engaged.round(2).nunique() >= 10  # a spread, not a flag
    assert engaged.max() > 2 * engaged.min()
    student = Candidate.objects.get(user__username="student")
    assert frame.loc[student.pk, "engagement_points"] > 0


def test_seats_waitlists_and_windows_are_consistent(seeded: str) -> None:
    for event in Event.objects.annotate(
            seated=Count("registrations", filter=Q(registrations__status__in=Registration.SEATED))):
        assert event.seated <= event.capacity, event.title
        positions = sorted(Registration.objects.filter(event=event, status=S.WAITLISTED)
                           .values_list("waitlist_position", flat=True))
        assert positions == list(range(1, len(positions) + 1)), event.title
        if positions:
            assert event.seated == event.capacity
        if event.eligibility == Event.Eligibility.CLUB:
            members = set(Membership.objects.active().filter(club=event.club_id).values_list("user_id", flat=True))
            assert set(Registration.objects.filter(event=event).values_list("user_id", flat=True)) <= members
    waiting = Event.objects.get(title=next(s.title for s in demo.UPCOMING if s.key == demo.WAITLIST_EVENT))
    assert waiting.offer_hours and Registration.objects.filter(event=waiting, status=S.WAITLISTED).count() >= 3
    mine = Registration.objects.get(event=waiting, user__username="student")
    assert mine.status == S.WAITLISTED and mine.waitlist_position == 3
    not_open = Event.objects.get(title=next(s.title for s in demo.UPCOMING if s.opens_in and s.opens_in > 0))
    assert not_open.registration_opens_at > timezone.now() and not Registration.objects.filter(event=not_open).exists()


def test_the_upcoming_dialogue_has_approved_questions_with_votes(seeded: str) -> None:
    dialogue = Event.objects.get(kind=Event.Kind.DIALOGUE, starts_at__gt=timezone.now())
    assert Registration.objects.filter(event=dialogue, user__username="student", status=S.REGISTERED).exists()
    questions = Question.objects.filter(event=dialogue)
    statuses = Counter(questions.values_list("status", flat=True))
    assert statuses[Question.Status.APPROVED] >= 3 and statuses[Question.Status.PENDING] >= 1
    for question in questions:
        assert question.votes == QuestionVote.objects.filter(question=question).count()
        assert Registration.objects.filter(event=dialogue, user=question.author, status=S.REGISTERED).exists()
    assert questions.filter(status=Question.Status.APPROVED, votes__gt=0).exists()
    assert not questions.exclude(status=Question.Status.APPROVED).filter(votes__gt=0).exists()
    answered = Question.objects.filter(event__kind=Event.Kind.DIALOGUE, event__starts_at__lt=timezone.now(),
                                       status=Question.Status.ANSWERED)
    assert answered.exists()


def test_announcement_reaches_active_members_and_the_surveys_have_responses(seeded: str) -> None:
    city = Club.objects.get(slug=demo.CITY_CLUB)
    announcement = Announcement.objects.get(club=city)
    notified = Counter(Notification.objects.filter(kind="club.announcement").values_list("user_id", flat=True))
    active = set(Membership.objects.active().filter(club=city).values_list("user_id", flat=True))
    assert set(notified) == active and set(notified.values()) == {1}
    note = Notification.objects.get(kind="club.announcement", user__username="student")
    assert note.read_at is None and note.url.endswith(f"#announcement-{announcement.pk}")

    needs = Survey.objects.get(title=demo.NEEDS_SURVEY)
    assert needs.target == Survey.Target.CLUB and needs.club == city
    responders = set(SurveyResponse.objects.filter(survey=needs).values_list("user_id", flat=True))
    assert len(responders) >= 5 and responders <= active
    assert not SurveyResponse.objects.filter(survey=needs, user__username="student").exists()
    for answer in SurveyAnswer.objects.filter(response__survey=needs).select_related("question"):
        question, value = answer.question, answer.value
        if question.kind == "single":
            assert value in question.choices
        elif question.kind == "multiple":
            assert value and set(value) <= set(question.choices)
        elif question.kind == "scale":
            assert question.scale_min <= value <= question.scale_max
        else:
            assert isinstance(value, str) and value
    # Every required question is answered in every response.
    required = needs.questions.filter(required=True).count()
    counts = Counter(SurveyAnswer.objects.filter(response__survey=needs, question__required=True)
                     .values_list("response_id", flat=True))
    assert set(counts.values()) == {required}

    feedback = Survey.objects.get(is_feedback=True)
    attendees = set(Registration.objects.filter(event=feedback.event, checked_in_at__isnull=False)
                    .values_list("user_id", flat=True))
    assert set(SurveyResponse.objects.filter(survey=feedback).values_list("user_id", flat=True)) <= attendees
