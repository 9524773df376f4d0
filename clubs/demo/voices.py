"""What the clubs demo's members ask and hear: questions sent in for the dialogues (approved, voted
on, some hidden), the city club's announcement in its members' notification bells, and the needs
survey and the dialogue's feedback survey with their responses.

Drawn from the clubs demo's one ``random.Random``, in the order ``seed_clubs_demo`` calls them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

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
    SurveyQuestion,
    SurveyResponse,
)
from core.models import Notification
from talent.demo import CITY
from talent.models import Organization

R = Registration.Status
MS = Membership.Status

UPCOMING_QUESTIONS: tuple[tuple[str, str], ...] = (
    (("Thành phố có chính sách gì để thu hút sinh viên xuất sắc vào làm việc ở phường, xã sau khi sắp xếp "
      "đơn vị hành chính?"), Question.Status.APPROVED),
    ("Sinh viên năm nhất có thể tham gia đề án tạo nguồn cán bộ trẻ từ khi nào?", Question.Status.APPROVED),
    ("Kết quả tham gia câu lạc bộ và các buổi đối thoại có được tính khi xét chọn vào nguồn tài năng trẻ không?",
     Question.Status.APPROVED),
    ("Thành phố có hỗ trợ học bổng thạc sĩ ở nước ngoài cho sinh viên cam kết về làm việc tại Thành phố?",
     Question.Status.APPROVED),
    ("Làm sao để sinh viên các trường ngoài công lập cũng được giới thiệu thực tập tại các sở, ngành?",
     Question.Status.APPROVED),
    ("Chương trình chuyển đổi số của Thành phố cần những kỹ năng nào ở người trẻ?", Question.Status.PENDING),
    ("Ban tổ chức có phát trực tuyến buổi đối thoại cho sinh viên ở xa không?", Question.Status.PENDING),
    ("Câu hỏi trùng với câu đã được duyệt phía trên.", Question.Status.HIDDEN),
)
PAST_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("Thành phố sẽ làm gì để giữ chân người trẻ có năng lực ở lại khu vực công?", Question.Status.ANSWERED),
    ("Sinh viên có thể đề xuất ý tưởng cải cách hành chính trực tiếp với các sở, ngành bằng cách nào?",
     Question.Status.ANSWERED),
    ("Thời gian thực tập tại cơ quan nhà nước có được tính là kinh nghiệm công tác không?", Question.Status.ANSWERED),
    ("Khi nào Thành phố mở đợt tuyển dụng theo chính sách thu hút tài năng trẻ tiếp theo?", Question.Status.APPROVED),
    ("Câu hỏi không liên quan đến chủ đề buổi đối thoại.", Question.Status.HIDDEN),
)

NEEDS_SURVEY = "Khảo sát nhu cầu, nguyện vọng của thanh niên năm 2026"
FIELDS = ("Chuyển đổi số", "Khởi nghiệp, đổi mới sáng tạo", "Môi trường, biến đổi khí hậu", "Văn hoá, xã hội",
          "Quản lý nhà nước")
ACTIVITIES = ("Đối thoại với lãnh đạo Thành phố", "Lớp kỹ năng", "Tham quan thực tế", "Tình nguyện",
              "Giao lưu với doanh nghiệp")
WORKPLACES = ("Cơ quan nhà nước", "Doanh nghiệp nhà nước", "Doanh nghiệp tư nhân", "Nghiên cứu, giảng dạy",
              "Khởi nghiệp", "Chưa xác định")
SUGGESTIONS = (
    "Nên tổ chức thêm các buổi đối thoại vào buổi tối để sinh viên đi học cả ngày tham gia được.",
    "Mong có lớp kỹ năng viết văn bản hành chính cho sinh viên năm cuối.",
    "Câu lạc bộ nên có nhóm nhỏ theo lĩnh vực để sinh hoạt thường xuyên hơn.",
    "Đề nghị phát trực tuyến các buổi toạ đàm.",
    "Nên kết nối với các sở, ngành để có chỗ thực tập cho thành viên.",
    "Muốn có thêm hoạt động tình nguyện ở các xã ngoại thành.",
    "Thông báo lịch sinh hoạt sớm hơn, ít nhất hai tuần.",
    "Có thể mời cựu thành viên đang công tác ở cơ quan nhà nước chia sẻ kinh nghiệm.",
    "Tổ chức tham quan các dự án chuyển đổi số của Thành phố.",
    "Mong có chương trình cố vấn (mentor) giữa cán bộ trẻ và sinh viên.",
)
FEEDBACK_SURVEY = "Phản hồi sau buổi đối thoại «Lãnh đạo Thành phố lắng nghe sinh viên tiêu biểu»"
FEEDBACK_TEXTS = (
    "Buổi đối thoại rất thiết thực, lãnh đạo trả lời thẳng thắn.",
    "Thời gian hỏi đáp hơi ngắn so với số câu hỏi.",
    "Mong có biên bản trả lời các câu hỏi chưa kịp giải đáp.",
    "Nên chia nhóm thảo luận theo lĩnh vực trước khi đối thoại.",
    "Âm thanh ở cuối hội trường chưa tốt.",
)

ANNOUNCEMENT_TITLE = "Mở đăng ký Đối thoại «Thanh niên TP.HCM – kiến tạo tương lai»"

def ask_questions(rng: random.Random, event: Event, texts: tuple[tuple[str, str], ...],
               registrations: list[Registration], moderator: Any, *, asked_before: dt.datetime) -> int:
    seated = [r.user for r in registrations if r.status == R.REGISTERED]
    if not seated:
        return 0
    questions = []
    for index, (text, status) in enumerate(texts):
        author = seated[rng.randrange(len(seated))]
        questions.append(Question(event=event, author=author, text=text, status=status,
                                  created_at=asked_before - dt.timedelta(hours=rng.uniform(1, 96) + index),
                                  moderated_by=moderator if status != Question.Status.PENDING else None))
    Question.objects.bulk_create(questions)
    votes = []
    for question in questions:
        if question.status not in (Question.Status.APPROVED, Question.Status.ANSWERED):
            continue
        voters = rng.sample(seated, k=min(len(seated), int(len(seated) * rng.uniform(0.05, 0.6))))
        votes.extend(QuestionVote(question=question, user=user) for user in voters)
        question.votes = len(voters)
    QuestionVote.objects.bulk_create(votes, batch_size=500)
    Question.objects.bulk_update(questions, ["votes"])
    return len(questions)


def announce(club: Club, members: dict[int, Membership], event: Event, author: Any, when: dt.datetime,
              rng: random.Random) -> None:
    body = (f"CLB mở đăng ký tham dự buổi đối thoại ngày {timezone.localtime(event.starts_at):%d/%m/%Y} tại "
            f"{event.place}. Thành viên đăng ký trên trang sự kiện và có thể gửi câu hỏi trước cho lãnh đạo "
            "Thành phố; ban điều hành sẽ tổng hợp và duyệt câu hỏi.")
    announcement = Announcement.objects.create(club=club, title=ANNOUNCEMENT_TITLE, body=body, created_by=author)
    Announcement.objects.filter(pk=announcement.pk).update(created_at=when)
    notes = []
    for user_id, membership in sorted(members.items()):
        if membership.status != MS.ACTIVE:
            continue
        read = rng.random() < 0.4 and membership.user.username != "student"
        read_at = when + dt.timedelta(hours=rng.uniform(1, 30)) if read else None
        notes.append(Notification(user_id=user_id, kind="club.announcement", title=f"{club.name}: {ANNOUNCEMENT_TITLE}",
                                  body=body, url=f"/clubs/{club.slug}/#announcement-{announcement.pk}",
                                  created_at=when, read_at=read_at))
    Notification.objects.bulk_create(notes, batch_size=500)


def _survey(title: str, *, target: str, questions: list[SurveyQuestion], respondents: list[Any],
            answer: Any, **fields: Any) -> int:
    survey = Survey.objects.create(title=title, target=target, **fields)
    for order, question in enumerate(questions):
        question.survey, question.order = survey, order
    SurveyQuestion.objects.bulk_create(questions)
    responses = SurveyResponse.objects.bulk_create([SurveyResponse(survey=survey, user=user) for user in respondents])
    answers = []
    for response in responses:
        for question in questions:
            value = answer(question)
            if value is not None:
                answers.append(SurveyAnswer(response=response, question=question, value=value))
    SurveyAnswer.objects.bulk_create(answers, batch_size=1000)
    return len(responses)


def run_surveys(rng: random.Random, club: Club, members: dict[int, Membership], dialogue: Event,
                dialogue_regs: list[Registration], orgs: dict[str, Organization], officer: Any, *,
                opens_at: dt.datetime, closes_at: dt.datetime) -> int:
    S = SurveyQuestion.Kind

    def needs_answer(question: SurveyQuestion) -> Any:
        if question.kind == S.SINGLE:
            weights = (5, 3, 2, 2, 3) if question.choices == list(FIELDS) else (6, 2, 3, 2, 2, 2)
            return rng.choices(question.choices, weights=weights)[0]
        if question.kind == S.MULTIPLE:
            picked = [c for c in question.choices if rng.random() < 0.45]
            return picked or [rng.choice(question.choices)]
        if question.kind == S.SCALE:
            return rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 6, 12, 8))[0]
        return rng.choice(SUGGESTIONS) if rng.random() < 0.35 else None

    active = [m.user for _, m in sorted(members.items()) if m.status == MS.ACTIVE and m.user.username != "student"]
    respondents = [user for user in active if rng.random() < 0.55]
    total = _survey(
        NEEDS_SURVEY, target=Survey.Target.CLUB, club=club, organization=orgs[CITY], created_by=officer,
        description="Ý kiến của bạn giúp Thành Đoàn và câu lạc bộ xây dựng chương trình hoạt động năm 2027.",
        opens_at=opens_at, closes_at=closes_at,
        questions=[
            SurveyQuestion(kind=S.SINGLE, text="Bạn quan tâm nhất đến lĩnh vực nào?", choices=list(FIELDS)),
            SurveyQuestion(kind=S.MULTIPLE, text="Bạn muốn câu lạc bộ tổ chức thêm những hoạt động nào?",
                           choices=list(ACTIVITIES)),
            SurveyQuestion(kind=S.SCALE, text="Bạn hài lòng với hoạt động của câu lạc bộ năm qua ở mức nào?",
                           scale_min=1, scale_max=5),
            SurveyQuestion(kind=S.SINGLE, text="Sau khi tốt nghiệp, bạn mong muốn làm việc ở đâu?",
                           choices=list(WORKPLACES)),
            SurveyQuestion(kind=S.TEXT, text="Đề xuất của bạn để câu lạc bộ hoạt động hiệu quả hơn", required=False),
        ],
        respondents=respondents, answer=needs_answer)

    def feedback_answer(question: SurveyQuestion) -> Any:
        if question.kind == S.SCALE:
            return rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 4, 10, 9))[0]
        if question.kind == S.SINGLE:
            return rng.choices(question.choices, weights=(6, 3, 1, 4))[0]
        return rng.choice(FEEDBACK_TEXTS) if rng.random() < 0.3 else None

    attendees = [r.user for r in dialogue_regs if r.checked_in_at is not None]
    total += _survey(
        FEEDBACK_SURVEY, target=Survey.Target.EVENT, event=dialogue, is_feedback=True, organization=orgs[CITY],
        created_by=officer, opens_at=dialogue.ends_at, closes_at=dialogue.ends_at + dt.timedelta(days=14),
        questions=[
            SurveyQuestion(kind=S.SCALE, text="Bạn đánh giá buổi đối thoại thế nào?", scale_min=1, scale_max=5),
            SurveyQuestion(kind=S.SINGLE, text="Câu hỏi của bạn có được giải đáp không?",
                           choices=["Có", "Một phần", "Chưa", "Tôi không đặt câu hỏi"]),
            SurveyQuestion(kind=S.TEXT, text="Góp ý cho lần sau", required=False),
        ],
        respondents=[user for user in attendees if rng.random() < 0.6], answer=feedback_answer)
    return total
