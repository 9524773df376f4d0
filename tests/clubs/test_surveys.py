"""Surveys: the builder's validation, who may answer (club members, pool candidates, event attendees;
feedback only after the event and only for those who came), one response per person, results
against a hand count, and the CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clubs import services, surveys
from clubs.models import Club, Event, Survey, SurveyAnswer, SurveyResponse
from core.models import Notification
from clubs.surveys import QuestionSpec
from core.models import AuditEvent
from talent.models import Role, TalentPool
from talent.services import pool_add, pool_create
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def make_event(actor: Any, *, starts_in: timedelta = timedelta(days=2), **fields: Any) -> Event:
    starts = timezone.now().replace(microsecond=0) + starts_in
    return services.event_create(actor=actor, title=fields.pop("title", "Toạ đàm khởi nghiệp"),
                                 kind=Event.Kind.SEMINAR, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                 capacity=fields.pop("capacity", 10), place="Hội trường", **fields)


def end_event(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3),
                                             ends_at=timezone.now() - timedelta(hours=1))
    event.refresh_from_db()


QUESTIONS = [
    QuestionSpec(kind="single", text="Bạn học năm thứ mấy?", choices=["Năm 1", "Năm 2", "Năm 3"]),
    QuestionSpec(kind="multiple", text="Bạn muốn tham gia hoạt động nào?",
                 choices=["Tình nguyện", "Tập huấn", "Đối thoại", "Tham quan"]),
    QuestionSpec(kind="scale", text="Mức độ hài lòng", scale_min=1, scale_max=5),
    QuestionSpec(kind="text", text="Góp ý thêm", required=False),
]


@pytest.fixture
def world(org_tree, officer) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    people = {name: make_user(Role.STUDENT, org_tree.faculty, username=name) for name in
              ("an", "binh", "chi", "dung", "em")}
    club = services.club_create(actor=officer, slug="clb-ks", name="CLB Khảo sát", owner=org_tree.city,
                                policy=Club.Policy.OPEN)
    for name in ("an", "binh", "chi", "dung"):
        services.club_join(club=club, user=people[name])
    return {"club": club, **people}


def club_survey(officer: Any, club: Club, **fields: Any) -> Survey:
    return surveys.survey_create(actor=officer, title=fields.pop("title", "Khảo sát nguyện vọng 2026"),
                                 target=Survey.Target.CLUB, club=club, questions=fields.pop("questions", QUESTIONS),
                                 **fields)


def answers_for(survey: Survey, single: str, multiple: list[str], scale: int, text: str = "") -> dict[int, Any]:
    q = list(survey.questions.all())
    return {q[0].pk: single, q[1].pk: multiple, q[2].pk: scale, q[3].pk: text}


# --- The builder -----------------------------------------------------------------------------------

def test_the_service_checks_the_survey_and_each_question(officer, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        surveys.survey_create(actor=officer, title=" ", target=Survey.Target.CLUB, club=None, questions=[
            QuestionSpec(kind="single", text="Chỉ một phương án", choices=["A", " "]),
            QuestionSpec(kind="multiple", text="Trùng", choices=["A", "a"]),
            QuestionSpec(kind="scale", text="Thang ngược", scale_min=5, scale_max=1),
            QuestionSpec(kind="scale", text="Thang quá dài", scale_min=0, scale_max=20),
            QuestionSpec(kind="text", text=""),
            QuestionSpec(kind="dropdown", text="Loại lạ"),
        ], is_feedback=True, opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=1))
    errors = error.value.message_dict
    assert set(errors) == {"title", "club", "is_feedback", "closes_at", "question_1", "question_2", "question_3",
                           "question_4", "question_5", "question_6"}
    assert errors["question_1"] == ["Câu 1: Câu hỏi lựa chọn cần ít nhất hai phương án (mỗi dòng một phương án)."]
    assert "không được trùng" in errors["question_2"][0]
    with pytest.raises(ValidationError) as error:
        surveys.survey_create(actor=officer, title="Trống", target=Survey.Target.CLUB, club=world["club"], questions=[])
    assert error.value.message_dict == {"questions": ["Khảo sát cần ít nhất một câu hỏi."]}
    assert not Survey.objects.exists()


def test_only_managers_of_the_target_build_surveys(org_tree, officer, ward_officer, world) -> None:  # type: ignore[no-untyped-def]
    other_club = services.club_create(actor=officer, slug="clb-b", name="CLB B", owner=org_tree.ward_b)
    with pytest.raises(PermissionDenied):  # a ward A officer does not manage a ward B club
        club_survey(ward_officer, other_club)
    with pytest.raises(PermissionDenied):  # a member is not the core team
        club_survey(world["an"], world["club"])
    pool = pool_create(actor=officer, name="Nguồn", kind=TalentPool.Kind.YOUNG_TALENT, owner=org_tree.city)
    with pytest.raises(PermissionDenied):  # students never target pools
        surveys.survey_create(actor=world["an"], title="x", target=Survey.Target.POOL, pool=pool, questions=QUESTIONS)
    assert not Survey.objects.exists()


def _builder_post(club: Club, rows: list[dict[str, str]], **overrides: str) -> dict[str, str]:
    data = {"title": "Khảo sát nguyện vọng", "description": "", "target": "club", "club": str(club.pk),
            "event": "", "pool": "", "opens_at": "", "closes_at": "",
            "questions-TOTAL_FORMS": str(len(rows)), "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "50"}
    for i, row in enumerate(rows):
        base = {"kind": "single", "text": "", "choices": "", "scale_min": "1", "scale_max": "5", "required": "on"}
        base.update(row)
        data.update({f"questions-{i}-{key}": value for key, value in base.items()})
    data.update(overrides)
    return data


def test_the_builder_page_shows_errors_on_the_right_rows_and_saves(client, officer, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    page = client.get(reverse("survey-create"))
    assert page.status_code == 200 and page.content.decode().count('data-row="') == 3
    rows = [{"text": "Bạn học năm thứ mấy?", "choices": "Năm 1\nNăm 2"},
            {"text": ""},  # blank rows are left out
            {"text": "Mức độ hài lòng", "kind": "scale", "scale_min": "5", "scale_max": "5"}]
    response = client.post(reverse("survey-create"), _builder_post(world["club"], rows))
    assert response.status_code == 400
    html = response.content.decode()
    third = re.search(r'data-row="3".*?</li>', html, re.S).group(0)
    assert "Câu 2: Thang điểm cần giá trị nhỏ nhất bé hơn giá trị lớn nhất." in third
    assert "field-error" not in re.search(r'data-row="1".*?</li>', html, re.S).group(0)
    # "Thêm câu hỏi" adds a row and keeps what was typed, without saving.
    more = client.post(reverse("survey-create"), {**_builder_post(world["club"], rows), "add_row": "1"})
    assert more.content.decode().count('data-row="') == 4 and "Năm 1" in more.content.decode()
    assert not Survey.objects.exists()
    rows[2]["scale_min"] = "1"
    response = client.post(reverse("survey-create"), _builder_post(world["club"], rows))
    survey = Survey.objects.get()
    assert response["Location"] == reverse("survey-detail", args=[survey.pk])
    assert [(q.order, q.kind, q.choices) for q in survey.questions.all()] == [
        (1, "single", ["Năm 1", "Năm 2"]), (2, "scale", [])]
    # The members were told through the bell.
    assert Notification.objects.filter(kind="survey.new", user=world["an"]).exists()


def test_the_builder_refuses_feedback_without_an_event(client, officer, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.post(reverse("survey-create"), _builder_post(
        world["club"], [{"text": "Ý kiến", "kind": "text"}], is_feedback="on"))
    assert response.status_code == 400 and "Khảo sát phản hồi phải gắn với một sự kiện." in text_of(response)
    response = client.post(reverse("survey-create"), _builder_post(
        world["club"], [{"text": "Ý kiến", "kind": "text"}], target="event"))
    assert response.status_code == 400 and "Hãy chọn sự kiện." in text_of(response)
    assert not Survey.objects.exists()


# --- Who may answer --------------------------------------------------------------------------------

def test_club_surveys_are_for_active_members(client, officer, world) -> None:  # type: ignore[no-untyped-def]
    survey = club_survey(officer, world["club"])
    assert surveys.answer_problem(survey, world["an"]) is None
    assert surveys.answer_problem(survey, world["em"]) == "Khảo sát dành cho thành viên câu lạc bộ."
    with pytest.raises(PermissionDenied):
        surveys.survey_respond(survey=survey, user=world["em"], answers=answers_for(survey, "Năm 1", ["Tập huấn"], 3))
    client.force_login(world["em"])
    page = text_of(client.get(reverse("survey-detail", args=[survey.pk])))
    assert "Khảo sát dành cho thành viên câu lạc bộ." in page and "Gửi câu trả lời" not in page
    assert f'data-survey="{survey.pk}"' not in client.get(reverse("survey-list")).content.decode()
    services.club_leave(club=world["club"], user=world["dung"])
    assert surveys.answer_problem(survey, world["dung"]) == "Khảo sát dành cho thành viên câu lạc bộ."


def test_pool_surveys_are_for_the_pools_candidates(org_tree, officer, world) -> None:  # type: ignore[no-untyped-def]
    pool = pool_create(actor=officer, name="Nguồn tài năng trẻ", kind=TalentPool.Kind.YOUNG_TALENT, owner=org_tree.city)
    pool_add(pool=pool, candidate=make_candidate(org_tree.faculty, full_name="Lê Văn An", user=world["an"]),
             actor=officer)
    make_candidate(org_tree.faculty, full_name="Trần Bình", user=world["binh"])  # not in the pool
    survey = surveys.survey_create(actor=officer, title="Nguyện vọng của nguồn", target=Survey.Target.POOL, pool=pool,
                                   questions=QUESTIONS)
    assert surveys.answer_problem(survey, world["an"]) is None
    assert surveys.answer_problem(survey, world["binh"]) == "Khảo sát dành cho ứng viên trong nguồn."
    assert list(surveys.surveys_answerable(world["an"])) == [survey]
    assert list(surveys.surveys_answerable(world["binh"])) == []


def test_event_surveys_are_for_registrants_and_feedback_waits_for_the_end(client, org_tree, officer, world) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=2)
    came = services.event_register(event=event, user=world["an"])
    services.event_register(event=event, user=world["binh"])  # seated, will not come
    services.event_register(event=event, user=world["chi"])  # waitlisted
    before = surveys.survey_create(actor=officer, title="Bạn mong đợi gì?", target=Survey.Target.EVENT, event=event,
                                   questions=QUESTIONS)
    feedback = surveys.survey_create(actor=officer, title="Phản hồi sau toạ đàm", target=Survey.Target.EVENT,
                                     event=event, is_feedback=True, questions=QUESTIONS)
    assert surveys.answer_problem(before, world["an"]) is None
    assert surveys.answer_problem(before, world["chi"]) == "Khảo sát dành cho người đã đăng ký tham dự sự kiện."
    # Feedback: not before the event is over, even for someone who checked in already.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=30))
    services.check_in_ticket(event=event, code=came.code, actor=officer)
    assert surveys.answer_problem(feedback, world["an"]).startswith("Khảo sát phản hồi mở sau khi sự kiện kết thúc")
    assert feedback not in surveys.surveys_answerable(world["an"])
    end_event(event)
    feedback.refresh_from_db()
    assert surveys.answer_problem(feedback, world["an"]) is None
    assert surveys.answer_problem(feedback, world["binh"]) == "Khảo sát phản hồi dành cho người đã tham dự sự kiện."
    assert feedback in surveys.surveys_answerable(world["an"])
    assert feedback not in surveys.surveys_answerable(world["binh"])
    with pytest.raises(PermissionDenied):
        surveys.survey_respond(survey=feedback, user=world["binh"],
                               answers=answers_for(feedback, "Năm 1", ["Tập huấn"], 4))
    client.force_login(world["an"])
    response = client.post(reverse("survey-detail", args=[feedback.pk]), {
        f"q{q.pk}": v for q, v in zip(feedback.questions.all(), ["Năm 2", "Đối thoại", "5", "Rất bổ ích"])})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(survey=feedback, user=world["an"]).exists()


def test_the_window_opens_and_closes(officer, world) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    later = club_survey(officer, world["club"], opens_at=now + timedelta(days=1))
    assert surveys.answer_problem(later, world["an"]).startswith("Khảo sát mở từ")
    assert surveys.answer_problem(later, world["an"], now + timedelta(days=2)) is None
    closing = club_survey(officer, world["club"], closes_at=now + timedelta(hours=1))
    assert surveys.answer_problem(closing, world["an"], now + timedelta(hours=2)) == "Khảo sát đã đóng."
    assert closing not in surveys.surveys_answerable(world["an"], now + timedelta(hours=2))


# --- Answering -------------------------------------------------------------------------------------

def test_one_response_per_person_through_the_page(client, officer, world) -> None:  # type: ignore[no-untyped-def]
    survey = club_survey(officer, world["club"])
    q = list(survey.questions.all())
    url = reverse("survey-detail", args=[survey.pk])
    client.force_login(world["an"])
    # Required questions left out, a choice that does not exist: errors on the fields, nothing stored.
    bad = client.post(url, {f"q{q[0].pk}": "Năm 9", f"q{q[2].pk}": "3"})
    assert bad.status_code == 400
    assert "Câu hỏi này bắt buộc." in text_of(bad) and not SurveyResponse.objects.exists()
    ok = client.post(url, {f"q{q[0].pk}": "Năm 1", f"q{q[1].pk}": ["Tham quan", "Tình nguyện"],
                           f"q{q[2].pk}": "4", f"q{q[3].pk}": ""}, follow=True)
    assert "Cảm ơn bạn đã trả lời khảo sát." in text_of(ok) and "Bạn đã trả lời khảo sát này" in text_of(ok)
    response = SurveyResponse.objects.get(survey=survey, user=world["an"])
    assert dict(SurveyAnswer.objects.filter(response=response).values_list("question__order", "value")) == {
        1: "Năm 1", 2: ["Tình nguyện", "Tham quan"], 3: 4}  # the optional text left empty is not stored
    again = client.post(url, {f"q{q[0].pk}": "Năm 2", f"q{q[1].pk}": ["Tập huấn"], f"q{q[2].pk}": "1"}, follow=True)
    assert "Bạn đã trả lời khảo sát này." in text_of(again)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    with pytest.raises(ValidationError):
        surveys.survey_respond(survey=survey, user=world["an"], answers=answers_for(survey, "Năm 2", ["Tập huấn"], 1))
    listing = client.get(reverse("survey-list")).content.decode()
    row = re.search(rf'data-survey="{survey.pk}".*?</li>', listing, re.S).group(0)
    assert "Bạn đã trả lời" in row


def test_the_service_checks_scale_and_choices(officer, world) -> None:  # type: ignore[no-untyped-def]
    survey = club_survey(officer, world["club"])
    with pytest.raises(ValidationError) as error:
        surveys.survey_respond(survey=survey, user=world["an"],
                               answers=answers_for(survey, "Năm 1", ["Bơi lội"], 9, "x" * 2001))
    q = list(survey.questions.all())
    assert set(error.value.message_dict) == {f"q{q[1].pk}", f"q{q[2].pk}", f"q{q[3].pk}"}
    assert error.value.message_dict[f"q{q[2].pk}"] == ["Hãy chọn một mức từ 1 đến 5."]


# --- Results and exports ---------------------------------------------------------------------------

@pytest.fixture
def answered(officer, world) -> Survey:  # type: ignore[no-untyped-def]
    survey = club_survey(officer, world["club"])
    for name, single, multiple, scale, text in [
        ("an", "Năm 1", ["Tình nguyện", "Tập huấn"], 5, "Thêm lớp kỹ năng mềm"),
        ("binh", "Năm 1", ["Tình nguyện"], 4, ""),
        ("chi", "Năm 2", ["Tập huấn", "Đối thoại", "Tình nguyện"], 2, "=HYPERLINK(\"http://x\")"),
    ]:
        surveys.survey_respond(survey=survey, user=world[name], answers=answers_for(survey, single, multiple, scale,
                                                                                     text))
    return survey


def test_results_match_a_hand_count(answered) -> None:  # type: ignore[no-untyped-def]
    results = surveys.survey_results(answered)
    assert results.responses == 3
    single, multiple, scale, text = results.questions
    assert [(b.label, b.count, b.percent) for b in single.bars] == [("Năm 1", 2, 66.7), ("Năm 2", 1, 33.3),
                                                                    ("Năm 3", 0, 0.0)]
    # Multiple choice: shares of the 3 people who answered; they add up to more than 100%.
    assert [(b.label, b.count, b.percent) for b in multiple.bars] == [
        ("Tình nguyện", 3, 100.0), ("Tập huấn", 2, 66.7), ("Đối thoại", 1, 33.3), ("Tham quan", 0, 0.0)]
    assert scale.mean == round((5 + 4 + 2) / 3, 2) == 3.67
    assert [(b.label, b.count) for b in scale.bars] == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 1)]
    assert (text.answered, text.texts) == (2, ["Thêm lớp kỹ năng mềm", "=HYPERLINK(\"http://x\")"])


def test_the_results_page_is_for_managers(client, officer, world, answered,
                                          django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    url = reverse("survey-results", args=[answered.pk])
    client.force_login(world["an"])
    assert client.get(url)["Location"] == reverse("me-profile")  # not a manager: refused, sent to their page
    assert client.get(reverse("survey-export-csv", args=[answered.pk]))["Location"] == "/me/"
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "3 phản hồi" in text_of(response)
    bar = re.search(r'<li class="score-bar" data-choice="Năm 1".*?</li>', html, re.S).group(0)
    assert 'data-count="2"' in bar and "66,7%" in bar and 'width="66.70"' in bar
    assert 'data-mean="3.67"' in html and "3,67" in html
    assert "Thêm lớp kỹ năng mềm" in html and "style=" not in html.split('<main', 1)[1]


def test_csv_export_has_one_row_per_response(client, officer, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("survey-export-csv", args=[answered.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="khao-sat-{answered.pk}.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Mã phản hồi", "Thời điểm trả lời", "Câu 1. Bạn học năm thứ mấy?",
                       "Câu 2. Bạn muốn tham gia hoạt động nào?", "Câu 3. Mức độ hài lòng", "Câu 4. Góp ý thêm"]
    assert len(rows) == 4
    assert [r[2:] for r in rows[1:]] == [
        ["Năm 1", "Tình nguyện; Tập huấn", "5", "Thêm lớp kỹ năng mềm"],
        ["Năm 1", "Tình nguyện", "4", ""],
        ["Năm 2", "Tình nguyện; Tập huấn; Đối thoại", "2", "'=HYPERLINK(\"http://x\")"],
    ]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", rows[1][1])
    assert AuditEvent.objects.filter(action="survey.export", actor=officer, object_id=str(answered.pk)).count() == 1


def test_xlsx_export_opens_with_the_same_rows(client, officer, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("survey-export-xlsx", args=[answered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Phản hồi"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Mã phản hồi", "Thời điểm trả lời", "Câu 1. Bạn học năm thứ mấy?"]
    assert [r[2:] for r in rows[1:]] == [
        ["Năm 1", "Tình nguyện; Tập huấn", 5, "Thêm lớp kỹ năng mềm"],
        ["Năm 1", "Tình nguyện", 4, None],
        ["Năm 2", "Tình nguyện; Tập huấn; Đối thoại", 2, "'=HYPERLINK(\"http://x\")"],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula ever runs
    assert book["Thông tin"]["B2"].value == 3
    assert AuditEvent.objects.filter(action="survey.export", changes__format="xlsx").exists()


def test_the_survey_list_shows_what_i_answer_and_what_i_manage(client, org_tree, officer, world,
                                                               django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(4):
        club_survey(officer, world["club"], title=f"Khảo sát {i}")
    other = services.club_create(actor=officer, slug="clb-khac", name="CLB Khác", owner=org_tree.city)
    hidden = club_survey(officer, other, title="Không dành cho bạn")
    client.force_login(world["an"])
    with django_assert_max_num_queries(8):
        html = client.get(reverse("survey-list")).content.decode()
    assert len(re.findall(r'data-survey="\d+"', html)) == 4 and f'data-survey="{hidden.pk}"' not in html
    assert 'id="managed"' not in html and reverse("survey-create") not in html
    client.force_login(officer)
    html = client.get(reverse("survey-list")).content.decode()
    assert len(re.findall(r'data-managed-survey="\d+"', html)) == 5 and reverse("survey-create") in html
