"""Live Q&A rules (who asks, votes, moderates; what each person sees), the deltas published to which
group, and the live pages and JSON endpoints: dashboard, rotating code, Q&A, projector screen, bell."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clubs import qa, services
from clubs.models import Event, Question, QuestionVote, Registration
from core.models import Notification
from core.models import AuditEvent
from core.notifications import notifications_mark_read, notify
from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Q = Question.Status


def make_event(actor: Any, org: Any, *, kind: str = Event.Kind.DIALOGUE, capacity: int = 3) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    return services.event_create(actor=actor, title="Đối thoại với lãnh đạo thành phố", kind=kind, starts_at=starts,
                                 ends_at=starts + timedelta(hours=2), capacity=capacity, organization=org)


@pytest.fixture
def room(org_tree, officer) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """A dialogue organized by the city officer: two seated students, one on the waitlist, one outsider."""
    event = make_event(officer, org_tree.city, capacity=2)
    an, binh, chi, dan = (make_user(Role.STUDENT, org_tree.faculty, username=n) for n in ("an", "binh", "chi", "dan"))
    for person in (an, binh, chi):
        services.event_register(event=event, user=person)
    assert Registration.objects.get(event=event, user=chi).status == Registration.Status.WAITLISTED
    return SimpleNamespace(event=event, officer=officer, an=an, binh=binh, waitlisted=chi, outsider=dan)


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """Every live message the Q&A services publish, as (group, type, payload)."""
    sent: list[tuple[str, str, dict[str, Any]]] = []
    monkeypatch.setattr(qa.live, "publish", lambda group, kind, payload: sent.append((group, kind, payload)))
    return sent


def visible_ids(event: Event, user: Any, moderator: bool = False) -> list[int]:
    return [q.pk for q in qa.questions_for(event, user, moderator=moderator)]


# --- Submitting --------------------------------------------------------------------------------------

def test_seated_attendee_asks_and_the_question_waits_for_a_moderator(room, published) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.an,
                                  text="  Thành phố hỗ trợ sinh viên khởi nghiệp thế nào? ")
    assert (question.status, question.text) == (Q.PENDING, "Thành phố hỗ trợ sinh viên khởi nghiệp thế nào?")
    assert visible_ids(room.event, room.an) == [question.pk]          # the author sees it
    assert visible_ids(room.event, room.binh) == []                   # the room does not, yet
    assert visible_ids(room.event, room.officer, moderator=True) == [question.pk]
    # Only the moderators' group hears about a pending question, and without the author's name.
    assert [(g, t) for g, t, _ in published] == [(f"event-{room.event.pk}-staff", "qa.update")]
    payload = published[0][2]
    assert payload["action"] == "submitted" and payload["question"]["id"] == question.pk
    assert set(payload["question"]) == {"id", "text", "status", "votes", "created_at"}


def test_a_managers_question_is_approved_at_once_and_reaches_the_room(room, published) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.officer, text="Mời các bạn đặt câu hỏi")
    assert question.status == Q.APPROVED
    assert {g for g, _, _ in published} == {f"event-{room.event.pk}-staff", f"event-{room.event.pk}-qa"}
    assert visible_ids(room.event, room.binh) == [question.pk]


@pytest.mark.parametrize("who", ["waitlisted", "outsider"])
def test_people_without_a_seat_cannot_ask(room, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        qa.question_submit(event=room.event, user=getattr(room, who), text="Cho em hỏi")
    assert not Question.objects.exists()


def test_cancelled_registration_loses_the_right_to_ask(room) -> None:  # type: ignore[no-untyped-def]
    services.registration_cancel(registration=Registration.objects.get(event=room.event, user=room.an), actor=room.an)
    with pytest.raises(PermissionDenied):
        qa.question_submit(event=room.event, user=room.an, text="Cho em hỏi")


def test_text_rules_and_the_pending_limit(room) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        qa.question_submit(event=room.event, user=room.an, text="   ")
    with pytest.raises(ValidationError):
        qa.question_submit(event=room.event, user=room.an, text="x" * (qa.MAX_QUESTION_CHARS + 1))
    for i in range(qa.MAX_PENDING_PER_PERSON):
        qa.question_submit(event=room.event, user=room.an, text=f"Câu hỏi {i}")
    with pytest.raises(ValidationError, match="chờ duyệt"):
        qa.question_submit(event=room.event, user=room.an, text="Một câu nữa")
    qa.question_submit(event=room.event, user=room.binh, text="Người khác vẫn hỏi được")


def test_no_qa_outside_dialogues_or_after_cancellation(org_tree, officer, room) -> None:  # type: ignore[no-untyped-def]
    seminar = make_event(officer, org_tree.city, kind=Event.Kind.SEMINAR)
    services.event_register(event=seminar, user=room.an)
    with pytest.raises(ValidationError):
        qa.question_submit(event=seminar, user=room.an, text="Cho em hỏi")
    services.event_cancel(event=room.event, reason="Mưa bão", actor=officer)
    with pytest.raises(ValidationError):
        qa.question_submit(event=Event.objects.get(pk=room.event.pk), user=room.an, text="Cho em hỏi")


# --- Moderation --------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["an", "binh", "ward_officer"])
def test_only_managers_moderate(room, ward_officer, who) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.an, text="Câu hỏi")
    actor = ward_officer if who == "ward_officer" else getattr(room, who)  # ward A's officer: not this city event
    with pytest.raises(PermissionDenied):
        qa.question_moderate(question=question, actor=actor, status=Q.APPROVED)
    assert Question.objects.get(pk=question.pk).status == Q.PENDING


def test_invalid_moderation_status(room) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.an, text="Câu hỏi")
    with pytest.raises(ValidationError):
        qa.question_moderate(question=question, actor=room.officer, status=Q.PENDING)


def test_approve_then_hide_makes_the_question_vanish_from_others_lists(room, published) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.an, text="Câu hỏi")
    qa.question_moderate(question=question, actor=room.officer, status=Q.APPROVED)
    assert visible_ids(room.event, room.binh) == [question.pk]
    published.clear()

    qa.question_moderate(question=question, actor=room.officer, status=Q.HIDDEN)
    assert visible_ids(room.event, room.binh) == []
    assert visible_ids(room.event, room.an) == []                     # gone for its author too
    assert visible_ids(room.event, room.officer, moderator=True) == [question.pk]
    assert qa.screen_questions(room.event) == []
    by_group = {g: p for g, _, p in published}
    # The room is told only which question went away; moderators get the whole question.
    assert by_group[f"event-{room.event.pk}-qa"]["question"] == {"id": question.pk, "status": "hidden"}
    assert by_group[f"event-{room.event.pk}-staff"]["question"]["text"] == "Câu hỏi"
    assert AuditEvent.objects.filter(action="qa.moderate", object_id=str(question.pk)).count() == 2


def test_hiding_a_pending_question_concerns_moderators_only(room, published) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.an, text="Quảng cáo")
    published.clear()
    qa.question_moderate(question=question, actor=room.officer, status=Q.HIDDEN)
    assert [g for g, _, _ in published] == [f"event-{room.event.pk}-staff"]


def test_answered_questions_stay_visible_but_leave_the_screen(room) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.officer, text="Câu hỏi")
    assert qa.screen_questions(room.event) == [question]
    qa.question_moderate(question=question, actor=room.officer, status=Q.ANSWERED)
    assert visible_ids(room.event, room.binh) == [question.pk]
    assert qa.screen_questions(room.event) == []


def test_setting_the_same_status_again_publishes_nothing(room, published) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.officer, text="Câu hỏi")
    published.clear()
    qa.question_moderate(question=question, actor=room.officer, status=Q.APPROVED)
    assert published == []


# --- Votes -------------------------------------------------------------------------------------------

def test_one_vote_per_person_as_a_toggle(room, published) -> None:  # type: ignore[no-untyped-def]
    question = qa.question_submit(event=room.event, user=room.officer, text="Câu hỏi")
    published.clear()
    question, voted = qa.question_vote(question=question, user=room.an)
    assert (question.votes, voted) == (1, True)
    question, voted = qa.question_vote(question=question, user=room.binh)
    assert (question.votes, voted) == (2, True)
    question, voted = qa.question_vote(question=question, user=room.an)     # again: takes the vote back
    assert (question.votes, voted) == (1, False)
    assert QuestionVote.objects.filter(question=question).count() == 1
    assert Question.objects.get(pk=question.pk).votes == 1
    # Votes are public deltas: id and count only.
    assert [(g, p["question"]) for g, _, p in published][-1] == (f"event-{room.event.pk}-qa",
                                                                 {"id": question.pk, "votes": 1})


def test_votes_need_a_seat_and_an_approved_question(room) -> None:  # type: ignore[no-untyped-def]
    pending = qa.question_submit(event=room.event, user=room.an, text="Chờ duyệt")
    with pytest.raises(ValidationError):
        qa.question_vote(question=pending, user=room.binh)
    approved = qa.question_submit(event=room.event, user=room.officer, text="Đã duyệt")
    for person in (room.waitlisted, room.outsider):
        with pytest.raises(PermissionDenied):
            qa.question_vote(question=approved, user=person)
    qa.question_moderate(question=approved, actor=room.officer, status=Q.ANSWERED)
    with pytest.raises(ValidationError):
        qa.question_vote(question=approved, user=room.binh)
    assert not QuestionVote.objects.exists()


def test_the_most_voted_question_comes_first(room) -> None:  # type: ignore[no-untyped-def]
    first = qa.question_submit(event=room.event, user=room.officer, text="Câu một")
    second = qa.question_submit(event=room.event, user=room.officer, text="Câu hai")
    qa.question_vote(question=second, user=room.an)
    assert [q.pk for q in qa.screen_questions(room.event)] == [second.pk, first.pk]
    state = qa.qa_state(room.event, room.an)
    assert [q["id"] for q in state["questions"]] == [second.pk, first.pk]
    assert state["voted"] == [second.pk] and state["may_ask"] is True and state["moderator"] is False


# --- Pages and JSON endpoints ----------------------------------------------------------------------

def test_dashboard_is_for_managers_only(client, room) -> None:  # type: ignore[no-untyped-def]
    url = reverse("event-live", args=[room.event.pk])
    assert client.get(url).status_code == 302                          # sign in first
    client.force_login(room.an)
    assert client.get(url)["Location"] == reverse("me-profile")  # a member, not a manager: sent to their page
    assert client.get(reverse("event-live-state", args=[room.event.pk])).status_code == 403
    assert client.get(reverse("event-live-code", args=[room.event.pk])).status_code == 403
    client.force_login(room.officer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'data-count="attended"[^>]*>0<', html) and f'data-ws-path="/ws/events/{room.event.pk}/"' in html
    assert client.get(reverse("event-live", args=[999999])).status_code == 404


def test_rotating_code_comes_from_the_server(client, room) -> None:  # type: ignore[no-untyped-def]
    client.force_login(room.officer)
    response = client.get(reverse("event-live-code", args=[room.event.pk]))
    data = response.json()
    assert response["Cache-Control"] == "no-store"
    assert data["rotation"] == services.ROTATION_SECONDS and 0 < data["expires_in"] <= services.ROTATION_SECONDS
    assert services.rotating_code_valid(room.event, data["code"])
    assert re.fullmatch(r"\d{6}", data["code"])


def test_dashboard_state_after_check_ins(client, room, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for person in (room.an, room.binh):
        code = Registration.objects.get(event=room.event, user=person).code
        services.check_in_ticket(event=room.event, code=code, actor=room.officer)
    client.force_login(room.officer)
    with django_assert_max_num_queries(8):
        data = client.get(reverse("event-live-state", args=[room.event.pk])).json()
    assert data["counts"] == {"seated": 2, "waitlisted": 1, "attended": 2, "capacity": 2}
    assert [c["name"] for c in data["checkins"]] == ["binh", "an"]      # newest first
    assert data["counts"] == services._counts(room.event)   # the same figures the services publish


def test_qa_page_for_attendee_outsider_and_moderator(client, room, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    pending = qa.question_submit(event=room.event, user=room.an, text="Câu của An đang chờ")
    for i in range(5):
        qa.question_submit(event=room.event, user=room.officer, text=f"Câu đã duyệt {i}")
    url = reverse("event-qa", args=[room.event.pk])

    client.force_login(room.an)
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert "Câu của An đang chờ" in html and 'data-kind="ask"' in html and 'data-kind="checkin"' in html
    assert 'data-kind="moderate"' not in html.split("<template")[0]

    client.force_login(room.binh)
    html = client.get(url).content.decode()
    assert "Câu của An đang chờ" not in html and "Câu đã duyệt 4" in html

    client.force_login(room.outsider)
    html = client.get(url).content.decode()
    assert "Câu đã duyệt 0" in html and 'data-kind="ask"' not in html

    client.force_login(room.officer)
    html = client.get(url).content.decode()
    assert "Câu của An đang chờ" in html and f'action="{url}questions/{pending.pk}/moderate/"' in html


def test_qa_pages_404_for_other_kinds(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    seminar = make_event(officer, org_tree.city, kind=Event.Kind.SEMINAR)
    client.force_login(officer)
    for name in ("event-qa", "event-qa-screen", "event-qa-state"):
        assert client.get(reverse(name, args=[seminar.pk])).status_code == 404


def test_ask_vote_and_moderate_over_http(client, room) -> None:  # type: ignore[no-untyped-def]
    json_headers = {"HTTP_ACCEPT": "application/json"}
    client.force_login(room.an)
    response = client.post(reverse("event-qa-ask", args=[room.event.pk]), {"text": "Qua HTTP"}, **json_headers)
    assert response.status_code == 201
    qid = response.json()["question"]["id"]
    assert response.json()["question"]["status"] == "pending"

    moderate = reverse("event-qa-moderate", args=[room.event.pk, qid])
    response = client.post(moderate, {"status": "approved"}, **json_headers)
    assert response.status_code == 403 and "ban tổ chức" in response.json()["error"]

    client.force_login(room.officer)
    assert client.post(moderate, {"status": "approved"}, **json_headers).json()["question"]["status"] == "approved"
    assert client.post(moderate, {"status": "nonsense"}, **json_headers).status_code == 400

    client.force_login(room.binh)
    vote = reverse("event-qa-vote", args=[room.event.pk, qid])
    assert client.post(vote, **json_headers).json() == {"id": qid, "votes": 1, "voted": True}
    # Without JavaScript: a plain post and a redirect back to the question.
    response = client.post(vote)
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{qid}")
    assert Question.objects.get(pk=qid).votes == 0

    # Someone else's pending question is not there to vote on (or to learn about).
    client.force_login(room.an)
    other = qa.question_submit(event=room.event, user=room.binh, text="Của Bình")
    assert client.post(reverse("event-qa-vote", args=[room.event.pk, other.pk]), **json_headers).status_code == 404
    assert client.get(reverse("event-qa-vote", args=[room.event.pk, qid])).status_code == 405


def test_ask_without_javascript_shows_a_message(client, room) -> None:  # type: ignore[no-untyped-def]
    client.force_login(room.outsider)
    response = client.post(reverse("event-qa-ask", args=[room.event.pk]), {"text": "Cho em hỏi"}, follow=True)
    assert "Chỉ người đã có chỗ" in response.content.decode()
    assert not Question.objects.exists()


def test_self_check_in_from_the_qa_page(client, room) -> None:  # type: ignore[no-untyped-def]
    url = reverse("event-qa-checkin", args=[room.event.pk])
    client.force_login(room.an)
    wrong = "000000" if services.rotating_code(room.event) != "000000" else "111111"
    response = client.post(url, {"code": wrong}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "Mã không đúng" in response.json()["error"]
    response = client.post(url, {"code": services.rotating_code(room.event)}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert Registration.objects.get(event=room.event, user=room.an).check_in_method == Registration.Method.SELF
    client.force_login(room.waitlisted)
    response = client.post(url, {"code": services.rotating_code(room.event)}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400


def test_projector_screen(client, room) -> None:  # type: ignore[no-untyped-def]
    qa.question_submit(event=room.event, user=room.officer, text="Câu trên màn hình")
    qa.question_submit(event=room.event, user=room.an, text="Câu chưa duyệt")
    client.force_login(room.an)
    html = client.get(reverse("event-qa-screen", args=[room.event.pk])).content.decode()
    assert "Câu trên màn hình" in html and "Câu chưa duyệt" not in html
    assert "<svg" in html and "style=" not in html and "data-code-url" not in html
    client.force_login(room.officer)
    html = client.get(reverse("event-qa-screen", args=[room.event.pk])).content.decode()
    assert "data-code-url" in html and "Câu chưa duyệt" not in html


def test_qa_state_json(client, room) -> None:  # type: ignore[no-untyped-def]
    approved = qa.question_submit(event=room.event, user=room.officer, text="Câu")
    client.force_login(room.outsider)
    data = client.get(reverse("event-qa-state", args=[room.event.pk])).json()
    assert data["may_ask"] is False and [q["id"] for q in data["questions"]] == [approved.pk]


# --- Notifications -----------------------------------------------------------------------------------

@pytest.fixture
def inbox(room) -> list[Notification]:  # type: ignore[no-untyped-def]
    notify(users=[room.an.pk], kind="club.announcement", title="Họp CLB thứ Bảy", body="Phòng A1",
                    url="/clubs/clb/")
    notify(users=[room.an.pk], kind="event.promoted", title="Bạn đã có chỗ", url="https://evil.example/")
    notify(users=[room.binh.pk], kind="club.invite", title="Lời mời của Bình")
    return list(Notification.objects.filter(user=room.an))


def test_notification_page_lists_only_ones_own(client, room, inbox, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(room.an)
    with django_assert_max_num_queries(7):
        html = client.get(reverse("notification-list")).content.decode()
    assert "Họp CLB thứ Bảy" in html and "Lời mời của Bình" not in html
    assert client.get(reverse("notification-unread")).json() == {"unread": 2}
    bell = client.get(reverse("notification-bell")).json()
    assert bell["unread"] == 2 and [i["title"] for i in bell["items"]] == ["Bạn đã có chỗ", "Họp CLB thứ Bảy"]


def test_mark_read_open_and_read_all(client, room, inbox) -> None:  # type: ignore[no-untyped-def]
    announcement = next(n for n in inbox if n.kind == "club.announcement")
    promoted = next(n for n in inbox if n.kind == "event.promoted")
    client.force_login(room.an)
    response = client.post(reverse("notification-read", args=[announcement.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/clubs/clb/"
    # A link elsewhere is never followed from here.
    response = client.post(reverse("notification-read", args=[promoted.pk]), {"open": "1"})
    assert response["Location"] == reverse("notification-list")
    assert client.get(reverse("notification-unread")).json() == {"unread": 0}

    others = Notification.objects.get(user=room.binh)
    assert client.post(reverse("notification-read", args=[others.pk])).status_code == 404
    assert Notification.objects.get(pk=others.pk).read_at is None

    notify(users=[room.an.pk], kind="x", title="Mới")
    response = client.post(reverse("notification-read-all"), HTTP_ACCEPT="application/json")
    assert response.json() == {"changed": 1, "unread": 0}
    assert Notification.objects.get(pk=others.pk).read_at is None


def test_mark_read_publishes_to_the_owner_only(room, inbox, published) -> None:  # type: ignore[no-untyped-def]
    assert notifications_mark_read(user=room.an, ids=[inbox[0].pk]) == 1
    assert published == [(f"user-{room.an.pk}", "notification.read", {"ids": [inbox[0].pk], "unread": 1})]
    assert notifications_mark_read(user=room.an, ids=[inbox[0].pk]) == 0     # already read: nothing to say
    others = Notification.objects.get(user=room.binh)
    assert notifications_mark_read(user=room.an, ids=[others.pk]) == 0


def test_base_has_the_nav_links_and_the_bell(client, room) -> None:  # type: ignore[no-untyped-def]
    for user in (room.an, room.officer):
        client.force_login(user)
        html = client.get(reverse("notification-list")).content.decode()
        for href, label in (("/clubs/", "Câu lạc bộ"), ("/events/", "Sự kiện"), ("/surveys/", "Khảo sát")):
            assert f'<a href="{href}">{label}</a>' in html
        assert 'id="bell"' in html and "js/notifications.js" in html
    client.logout()
    html = client.get(reverse("login")).content.decode()
    assert 'id="bell"' not in html and "/surveys/" not in html


def test_json_endpoints_need_a_session(client, room) -> None:  # type: ignore[no-untyped-def]
    for url in (reverse("notification-unread"), reverse("notification-bell"), reverse("event-qa-state",
                                                                                      args=[room.event.pk])):
        assert client.get(url).status_code == 302
