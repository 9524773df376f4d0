"""The openings pages: access by role, the recruiter's flow from a new position to a hire, the board's
rules (reasons, blind review, per-reviewer ratings), the XLSX export, placements with the mentor's
feedback, the targets dashboard, and the board's query count."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from openings import services
from openings.models import (
    MentorFeedback,
    Opening,
    Placement,
    ShortlistEntry,
    ShortlistRating,
    ShortlistStage,
    Target,
    TargetSnapshot,
)
from privacy.models import Consent
from privacy.services import consent_set_own
from talent import services as talent_services
from talent.models import Candidate, Role, Stage
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


def _visible(ctx: SimpleNamespace, name: str, username: str) -> Candidate:
    """A candidate in the shared pool who consents to be seen by recruiters."""
    person = make_candidate(ctx.org.faculty, name, date_of_birth=dt.date(2002, 4, 1))
    student = make_user(Role.STUDENT, ctx.org.faculty, username=username)
    person.user = student
    person.save(update_fields=["user"])
    consent_set_own(user=student, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
    talent_services.pool_add(pool=ctx.pool, candidate=person, actor=ctx.officer)
    return person


@pytest.fixture
def ctx(org_tree, officer):  # type: ignore[no-untyped-def]
    pool = talent_services.pool_create(actor=officer, name="Nguồn tài năng 2026", kind="young_talent",
                                       owner=org_tree.city, shared_with=[org_tree.agency])
    ns = SimpleNamespace(org=org_tree, officer=officer, pool=pool)
    ns.visible = _visible(ns, "Trần Thị Mai", "mai")
    ns.student = ns.visible.user
    ns.hidden = make_candidate(org_tree.faculty, "Lê Văn Hùng")  # in the pool, no consent
    talent_services.pool_add(pool=pool, candidate=ns.hidden, actor=officer)
    ns.recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr", first_name="Lan", last_name="Nguyễn")
    ns.recruiter2 = make_user(Role.RECRUITER, org_tree.agency, username="hr2")
    ns.mentor = make_user(Role.RECRUITER, org_tree.agency, username="mentor")
    other_agency = talent_services.organization_create(code="AG-TC", name="Sở Tài chính", kind="agency",
                                                       parent=None, province_code=79, actor=None)
    ns.outsider = make_user(Role.RECRUITER, other_agency, username="hr_other")
    return ns


def _opening(ctx: SimpleNamespace, **fields) -> Opening:  # type: ignore[no-untyped-def]
    defaults = {"title": "Chuyên viên chuyển đổi số", "kind": "job", "slots": 2}
    defaults.update(fields)
    return services.opening_create(actor=ctx.recruiter, **defaults)


def _board(client, opening: Opening) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("opening-board", args=[opening.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _move(client, entry: ShortlistEntry, stage: str, reason: str = "", htmx: bool = False):  # type: ignore[no-untyped-def]
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("entry-move", args=[entry.pk]), {"stage": stage, "reason": reason}, **headers)


# --- Access -------------------------------------------------------------------------------------------

def test_pages_by_role(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx)
    closed = _opening(ctx, title="Vị trí đã đóng")
    services.opening_close(opening=closed, actor=ctx.recruiter)

    assert client.get(reverse("opening-list")).status_code == 302  # signed out → login

    client.force_login(ctx.student)
    listing = client.get(reverse("opening-list")).content.decode()
    assert opening.title in listing and "Vị trí đã đóng" not in listing
    assert "Tuyển dụng</a>" not in listing  # the nav link is for staff and recruiters
    detail = client.get(reverse("opening-detail", args=[opening.pk]))
    assert detail.status_code == 200 and "Ứng viên phù hợp" not in detail.content.decode()
    assert client.get(reverse("opening-detail", args=[closed.pk])).status_code == 404
    assert client.get(reverse("opening-create"))["Location"] == "/me/"  # a staff page: to their own page
    for name, args in (("opening-board", [opening.pk]), ("opening-board-export", [opening.pk]),
                       ("target-dashboard", [])):
        assert client.get(reverse(name, args=args))["Location"] == "/me/", name

    client.force_login(ctx.outsider)  # another agency's recruiter
    assert client.get(reverse("opening-board", args=[opening.pk])).status_code == 403
    assert client.post(reverse("opening-close", args=[opening.pk])).status_code == 403
    assert client.get(reverse("opening-detail", args=[closed.pk])).status_code == 404
    assert Opening.objects.get(pk=opening.pk).status == Opening.Status.OPEN

    client.force_login(ctx.recruiter)
    page = client.get(reverse("opening-list")).content.decode()
    assert "Vị trí đã đóng" in page and 'href="/openings/"' in page and 'href="/targets/"' not in page
    assert client.get(reverse("opening-create")).status_code == 200
    assert client.get(reverse("target-dashboard")).status_code == 403

    client.force_login(ctx.officer)
    page = client.get(reverse("target-dashboard"))
    assert page.status_code == 200 and 'href="/targets/"' in page.content.decode()


def test_entry_pages_are_the_managers_only(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx)
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    for user in (ctx.outsider, ctx.student):
        client.force_login(user)
        response = client.get(reverse("entry-detail", args=[entry.pk]))
        assert response.status_code in (403, 404) if user == ctx.outsider else response["Location"] == "/me/"
        assert _move(client, entry, "contacted").status_code in (403, 404)
        assert client.post(reverse("entry-rating", args=[entry.pk]), {"score": 5}).status_code in (403, 404)
    entry.refresh_from_db()
    assert entry.stage == ShortlistStage.SHORTLISTED and not ShortlistRating.objects.exists()


# --- The recruiter's flow -----------------------------------------------------------------------------

def test_recruiter_flow_from_opening_to_hire(client, ctx) -> None:  # type: ignore[no-untyped-def]
    client.force_login(ctx.recruiter)
    response = client.post(reverse("opening-create"), {
        "title": "Chuyên viên phân tích dữ liệu", "kind": "job", "slots": "1", "unit": "Phòng Công chức",
        "mentor": "mentor", "degree_level": "university", "major_group": "Khoa học máy tính",
        "language_level": "3", "political_theory": "", "skills": "SQL, Python", "reveal_names_at": "",
        "description": "Phân tích số liệu cán bộ.", "starts_on": "01/09/2026", "ends_on": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    opening = Opening.objects.get(title="Chuyên viên phân tích dữ liệu")
    assert opening.agency == ctx.org.agency and opening.mentor == ctx.mentor
    assert opening.skills == ["SQL", "Python"] and opening.language_level == 3
    assert opening.starts_on == dt.date(2026, 9, 1)

    detail = client.get(response["Location"]).content.decode()
    assert "Trần Thị Mai" in detail and "Lê Văn Hùng" not in detail  # matches: only people I may see
    assert "Đưa vào danh sách ngắn" in detail and "chip-missing" in detail  # no education on file

    # An unshared person is answered like an id that does not exist.
    for candidate_id in (ctx.hidden.pk, 999999):
        page = client.post(reverse("opening-shortlist-add", args=[opening.pk]), {"candidate": candidate_id},
                           follow=True).content.decode()
        assert "Không có ứng viên này." in page
    assert not ShortlistEntry.objects.filter(opening=opening).exists()

    client.post(reverse("opening-shortlist-add", args=[opening.pk]), {"candidate": ctx.visible.pk})
    entry = ShortlistEntry.objects.get(opening=opening, candidate=ctx.visible)
    assert "Đã trong danh sách" in client.get(reverse("opening-detail", args=[opening.pk])).content.decode()
    board = _board(client, opening)
    assert f'data-entry="{entry.pk}" data-stage="shortlisted"' in board and "Trần Thị Mai" in board

    # Straight to hired is refused; then step by step, by script (htmx) and by the plain form.
    refused = _move(client, entry, "hired", htmx=True)
    assert refused.status_code == 400 and "Chỉ nhận việc sau khi đã mời nhận việc." in refused.content.decode()
    assert _move(client, entry, "contacted", htmx=True).status_code == 200
    assert _move(client, entry, "interview").status_code == 302
    assert _move(client, entry, "offer").status_code == 302
    page = client.get(reverse("opening-board", args=[opening.pk])).content.decode()
    assert "Đã chuyển hồ sơ sang vòng «Mời nhận việc»." in page
    assert _move(client, entry, "hired").status_code == 302
    entry.refresh_from_db()
    assert entry.stage == ShortlistStage.HIRED
    assert list(entry.moves.values_list("to_stage", flat=True)) == [
        "shortlisted", "contacted", "interview", "offer", "hired"]

    client.force_login(ctx.officer)
    ctx.visible.refresh_from_db()
    assert ctx.visible.stage == Stage.RECRUITED
    officer_page = client.get(reverse("candidate-detail", args=[ctx.visible.pk])).content.decode()
    assert "Đã tuyển dụng" in officer_page


def test_move_without_the_required_reason_shows_the_error(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx)
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    services.entry_move(entry=entry, stage="contacted", actor=ctx.recruiter)
    client.force_login(ctx.recruiter)

    page = client.post(reverse("entry-move", args=[entry.pk]), {"stage": "refused", "reason": ""},
                       follow=True).content.decode()
    assert "Cần ghi lý do khi ứng viên từ chối hoặc không được chọn." in page
    backward = _move(client, entry, "shortlisted", htmx=True)
    assert backward.status_code == 400
    html = backward.content.decode()
    assert 'id="board-error"' in html and "Cần ghi lý do khi chuyển ngược vòng." in html
    entry.refresh_from_db()
    assert entry.stage == ShortlistStage.CONTACTED

    assert _move(client, entry, "refused", reason="Chưa đủ kinh nghiệm", htmx=True).status_code == 200
    entry.refresh_from_db()
    assert entry.stage == ShortlistStage.REFUSED and entry.reason == "Chưa đủ kinh nghiệm"
    assert "Chưa đủ kinh nghiệm" in _board(client, opening)
    assert _move(client, entry, "not-a-stage").status_code == 302
    entry.refresh_from_db()
    assert entry.stage == ShortlistStage.REFUSED


def test_blind_review_hides_names_on_the_board_until_the_reveal_stage(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx, reveal_names_at="interview")
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    client.force_login(ctx.recruiter)

    detail = client.get(reverse("opening-detail", args=[opening.pk])).content.decode()
    assert "Trần Thị Mai" not in detail and "Ứng viên ẩn danh" in detail
    for stage in (None, "contacted"):
        if stage:
            assert _move(client, entry, stage).status_code == 302
        board = _board(client, opening)
        assert f"Ứng viên #{entry.pk}" in board and "Trần Thị Mai" not in board
        card = client.get(reverse("entry-detail", args=[entry.pk]), HTTP_HX_REQUEST="true").content.decode()
        assert "Trần Thị Mai" not in card and reverse("candidate-detail", args=[ctx.visible.pk]) not in card

    _move(client, entry, "interview")
    board = _board(client, opening)
    assert "Trần Thị Mai" in board and f"Ứng viên #{entry.pk}" not in board
    # Revealed once reached, even after a step back.
    _move(client, entry, "contacted", reason="Cần phỏng vấn lại")
    assert "Trần Thị Mai" in _board(client, opening)


def test_ratings_are_kept_per_reviewer_and_averaged(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx)
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    url = reverse("entry-rating", args=[entry.pk])

    client.force_login(ctx.recruiter)
    first = client.post(url, {"score": "5"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and first["HX-Trigger"] == "boardChanged"
    client.post(url, {"score": "4"}, HTTP_HX_REQUEST="true")  # replaces mine
    bad = client.post(url, {"score": "9"})
    assert bad.status_code == 400
    client.force_login(ctx.recruiter2)
    client.post(url, {"score": "2"})

    assert dict(ShortlistRating.objects.values_list("reviewer__username", "score")) == {"hr": 4, "hr2": 2}
    board = _board(client, opening)
    assert "★ 3,0" in board or "★ 3.0" in board
    assert "2 người đánh giá" in board and "của tôi: 2" in board
    client.force_login(ctx.recruiter)
    board = _board(client, opening)
    assert "của tôi: 4" in board
    card = client.get(reverse("entry-detail", args=[entry.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'<option value="4" selected>', card)


def test_card_detail_adds_notes_and_shows_the_history(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx)
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    client.force_login(ctx.recruiter)
    _move(client, entry, "contacted")
    empty = client.post(reverse("entry-note", args=[entry.pk]), {"text": "  "}, HTTP_HX_REQUEST="true")
    assert "field-error" in empty.content.decode()
    added = client.post(reverse("entry-note", args=[entry.pk]), {"text": "Đã gọi điện, hẹn thứ Hai."},
                        HTTP_HX_REQUEST="true").content.decode()
    assert "Đã gọi điện, hẹn thứ Hai." in added and "<html" not in added  # a fragment for the panel
    assert "Danh sách ngắn → Đã liên hệ" in added
    full = client.get(reverse("entry-detail", args=[entry.pk])).content.decode()
    assert "<html" in full and "Đã gọi điện, hẹn thứ Hai." in full


def test_board_export_opens_with_vietnamese_headers(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx)
    blind = _opening(ctx, title="Ẩn danh", reveal_names_at="offer")
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    services.rating_set(entry=entry, score=4, actor=ctx.recruiter)
    hidden_entry = services.shortlist_add(opening=blind, candidate=ctx.visible, actor=ctx.recruiter)
    client.force_login(ctx.recruiter)

    response = client.get(reverse("opening-board-export", args=[opening.pk]))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Ứng viên", "Vòng", "Ngày chuyển vòng", "Điểm đánh giá trung bình",
                       "Số người đánh giá", "Đánh giá của tôi", "Lý do")
    assert rows[1][:3] == (1, "Trần Thị Mai", "Danh sách ngắn") and rows[1][4] == 4 and rows[1][5] == 1
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", rows[1][3])

    rows = list(load_workbook(io.BytesIO(client.get(reverse("opening-board-export", args=[blind.pk])).content))
                .active.iter_rows(values_only=True))
    assert rows[1][1] == f"Ứng viên #{hidden_entry.pk}"


# --- Placements ---------------------------------------------------------------------------------------

def test_internship_placement_and_mentor_feedback(client, ctx) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx, kind="internship", title="Thực tập sinh pháp chế", mentor=ctx.mentor)
    entry = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    for stage in ("contacted", "interview", "offer", "hired"):
        services.entry_move(entry=entry, stage=stage, actor=ctx.recruiter)
    placement = Placement.objects.get(entry=entry)
    url = reverse("placement-feedback", args=[placement.pk])

    client.force_login(ctx.student)  # the intern sees it, cannot review it
    page = client.get(reverse("placement-list")).content.decode()
    assert "Thực tập sinh pháp chế" in page and url not in page
    assert client.get(url)["Location"] == "/me/"  # refused, and sent to their own page
    client.force_login(ctx.outsider)
    assert "Thực tập sinh pháp chế" not in client.get(reverse("placement-list")).content.decode()
    assert client.get(url).status_code == 404

    client.force_login(ctx.mentor)
    assert url in client.get(reverse("placement-list")).content.decode()
    assert client.get(url).status_code == 200
    incomplete = client.post(url, {"rating_competence": "5", "comments": "Tốt"})
    assert incomplete.status_code == 400 and not MentorFeedback.objects.exists()
    done = client.post(url, {"rating_competence": "5", "rating_attitude": "4", "rating_teamwork": "4",
                             "rating_initiative": "3", "comments": "Chăm chỉ, ham học hỏi."})
    assert done.status_code == 302
    feedback = MentorFeedback.objects.get(placement=placement)
    assert feedback.overall == 4.0 and feedback.submitted_by == ctx.mentor
    page = client.get(reverse("placement-list")).content.decode()
    assert "Chăm chỉ, ham học hỏi." in page and url not in page
    assert client.get(url).status_code == 302  # already reviewed


# --- Targets ------------------------------------------------------------------------------------------

def _target_rows(html: str) -> list[dict[str, str]]:
    rows = []
    for tag in re.findall(r"<li class=\"card card-pad target [^>]*>", html):
        rows.append(dict(re.findall(r'data-([a-z]+)="([^"]*)"', tag)))
    return rows


def _adopt(ctx: SimpleNamespace, name: str, unit: Any = None, **fields: Any) -> Target:
    model = Target.objects.not_adopted().get(name=name)
    return services.target_adopt(model=model, organization=unit or ctx.org.city, actor=ctx.officer,
                                 source="Kế hoạch công tác cán bộ trẻ", source_number="12-KH/TĐTN",
                                 source_date=dt.date(2026, 3, 26), issuer="Ban Thường vụ Thành Đoàn", **fields)


YOUNG, WOMEN, RANGE = ("Cán bộ trẻ chiếm từ 15% nguồn quy hoạch", "Cán bộ nữ chiếm từ 15% nguồn quy hoạch",
                       "Lãnh đạo dưới 40 tuổi chiếm 15–20%")


def test_targets_page_agrees_with_actual_threshold_and_comparison(client, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    planning = talent_services.pool_create(actor=ctx.officer, name="Quy hoạch 2026–2031", kind="planning",
                                           owner=ctx.org.city)
    for name, gender, born in (("Phạm Thu Hà", "female", dt.date(1995, 1, 1)),
                               ("Đỗ Minh Quân", "male", dt.date(1980, 1, 1)),
                               ("Vũ Đức Long", "male", dt.date(1978, 6, 1))):
        person = make_candidate(ctx.org.ward_a, name, gender=gender, date_of_birth=born)
        talent_services.pool_add(pool=planning, candidate=person, actor=ctx.officer)
    appointed = make_candidate(ctx.org.ward_a, "Hồ Văn Trẻ", date_of_birth=dt.date(1996, 1, 1))
    Candidate.objects.filter(pk=appointed.pk).update(stage="appointed")  # the only leader, under 40: 100%
    Target.objects.create(name="Ít nhất 1 người", metric="count", comparison="at_most", threshold=1,
                          source="Kiểm thử", population={"pool_kind": "planning"}, organization=ctx.org.city)
    women, _young, leaders = (_adopt(ctx, name) for name in (WOMEN, YOUNG, RANGE))
    today = timezone.localdate()
    for days, actual in ((60, 10.0), (30, 20.0), (1, 30.0)):
        TargetSnapshot.objects.create(target=women, day=today - dt.timedelta(days=days), actual=actual,
                                      population=3, met=False)
    snapshots = TargetSnapshot.objects.count()

    client.force_login(ctx.officer)
    html = client.get(reverse("target-dashboard")).content.decode()
    rows = {int(row["target"]): row for row in _target_rows(html)}
    assert set(rows) == set(Target.objects.adopted().values_list("pk", flat=True))  # the models are not rows
    for row in rows.values():
        if row["actual"] == "":
            assert row["status"] == "nodata" and row["met"] == "0"
            continue
        actual, low = float(row["actual"]), float(row["threshold"])
        met = {"at_least": actual >= low, "at_most": actual <= low,
               "between": row["high"] != "" and low <= actual <= float(row["high"])}[row["comparison"]]
        assert row["met"] == ("1" if met else "0") and row["status"] == ("met" if met else "unmet"), row
    # One range, shown once: 100% of leaders under 40 is above 15–20%, said in words.
    assert rows[leaders.pk]["comparison"] == "between" and rows[leaders.pk]["status"] == "unmet"
    assert "Vượt khung" in html and "yêu cầu trong khoảng 15–20%" in html
    # The unit's own document, by title and number; the model it follows; never a file name.
    assert "Kế hoạch công tác cán bộ trẻ số 12-KH/TĐTN ngày 26/03/2026 của Ban Thường vụ Thành Đoàn" in html
    assert "Theo mẫu: Nghị quyết của Ban Chấp hành Đảng bộ Thành phố" in html and "seeds/" not in html
    # The trend has axes with dates and values, and the target drawn as a line.
    chart = html.split(f'id="target-{women.pk}"')[1].split("</svg>")[0]
    for day in (today - dt.timedelta(days=60), today - dt.timedelta(days=1)):
        assert f">{day:%d/%m/%Y}</text>" in chart
    assert 'class="trend-axis"' in chart and ">0%</text>" in chart and "mục tiêu 15%" in chart
    assert 'class="trend-target"' in chart and chart.count('class="trend-dot"') == 3
    assert 'style="' not in html.split('id="target-list"')[1]
    # The models are listed apart, to adopt.
    assert 'id="target-models"' in html and reverse("target-adopt", args=[Target.objects.not_adopted().first().pk]) in html
    assert "31/12" in html and "review-due" not in html or today.month == 12
    assert TargetSnapshot.objects.count() == snapshots  # reading never writes

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(today.year, 12, 5))
    html = client.get(reverse("target-dashboard")).content.decode()
    assert "review-due" in html and f"trước 31/12/{today.year}" in html


def test_each_unit_sees_its_own_targets_those_above_it_and_below_it(client, ctx) -> None:  # type: ignore[no-untyped-def]
    city, ward_a, ward_b = (_adopt(ctx, WOMEN), _adopt(ctx, WOMEN, ctx.org.ward_a), _adopt(ctx, WOMEN, ctx.org.ward_b))

    def seen(user: Any) -> set[int]:
        client.force_login(user)
        return {int(row["target"]) for row in _target_rows(client.get(reverse("target-dashboard")).content.decode())}

    assert seen(ctx.officer) == {city.pk, ward_a.pk, ward_b.pk}
    assert seen(make_user(Role.OFFICER, ctx.org.ward_a, username="ward_a_off")) == {city.pk, ward_a.pk}
    assert seen(make_user(Role.LIAISON, ctx.org.uni, username="uni_liaison")) == {city.pk}
    other = talent_services.organization_create(code="TD-CT", name="Thành Đoàn Cần Thơ", kind="youth_union",
                                                parent=None, province_code=92, actor=None)
    assert seen(make_user(Role.OFFICER, other, username="ct_off")) == set()
    client.force_login(ctx.recruiter)
    assert client.get(reverse("target-dashboard")).status_code == 403


def test_a_unit_adopts_a_model_under_its_own_document(client, ctx) -> None:  # type: ignore[no-untyped-def]
    model = Target.objects.not_adopted().get(name=RANGE)
    url = reverse("target-adopt", args=[model.pk])
    client.force_login(make_user(Role.OFFICER, ctx.org.ward_a, username="ward_adopter"))
    form = client.get(url).content.decode()
    assert "Thành ủy Cần Thơ" in form and 'name="threshold_high"' in form
    assert f'value="{ctx.org.ward_b.pk}"' not in form  # only units the officer manages
    refused = client.post(url, {"organization": ctx.org.ward_b.pk, "source": "Kế hoạch", "threshold": "15",
                                "threshold_high": "20"})
    assert refused.status_code == 400 and not Target.objects.adopted().exists()
    backwards = client.post(url, {"organization": ctx.org.ward_a.pk, "source": "Kế hoạch", "threshold": "25",
                                  "threshold_high": "20"})
    assert backwards.status_code == 400 and "Ngưỡng trên phải từ ngưỡng dưới trở lên." in backwards.content.decode()
    no_document = client.post(url, {"organization": ctx.org.ward_a.pk, "source": " ", "threshold": "15"})
    assert no_document.status_code == 400
    done = client.post(url, {"organization": ctx.org.ward_a.pk, "source": "Kế hoạch 05-KH/ĐTN", "threshold": "18",
                             "threshold_high": "25", "deadline": "31/12/2027", "source_date": "02/01/2026"})
    adopted = Target.objects.adopted().get()
    assert done.status_code == 302 and done["Location"].endswith(f"#target-{adopted.pk}")
    assert (adopted.organization, adopted.based_on, adopted.threshold, adopted.threshold_high, adopted.deadline) == (
        ctx.org.ward_a, model, Decimal("18"), Decimal("25"), dt.date(2027, 12, 31))
    assert AuditEvent.objects.filter(action="target.adopt", object_id=str(adopted.pk)).exists()
    again = client.post(url, {"organization": ctx.org.ward_a.pk, "source": "Kế hoạch khác", "threshold": "15",
                              "threshold_high": "20"})
    assert again.status_code == 400 and "Đơn vị này đã áp dụng chỉ tiêu này." in again.content.decode()
    # An adopted target is not a model: it cannot be adopted again.
    assert client.get(reverse("target-adopt", args=[adopted.pk])).status_code == 404
    client.force_login(ctx.recruiter)
    assert client.get(url).status_code == 403


# --- Query counts -------------------------------------------------------------------------------------

def test_board_query_count_does_not_grow_with_cards(client, ctx, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    opening = _opening(ctx, reveal_names_at="interview", slots=5)
    client.force_login(ctx.recruiter)
    first = services.shortlist_add(opening=opening, candidate=ctx.visible, actor=ctx.recruiter)
    services.rating_set(entry=first, score=3, actor=ctx.recruiter)
    with CaptureQueriesContext(connection) as small:
        _board(client, opening)
    names = ("An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Khoa", "Linh")
    for i, name in enumerate(names):
        person = _visible(ctx, f"Nguyễn Văn {name}", f"s{i}")
        entry = services.shortlist_add(opening=opening, candidate=person, actor=ctx.recruiter)
        services.rating_set(entry=entry, score=1 + i % 5, actor=ctx.recruiter2)
        if i % 2:
            services.entry_move(entry=entry, stage="contacted", actor=ctx.recruiter)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = _board(client, opening)
    assert html.count('class="board-card"') == 9


def test_opening_list_query_count_does_not_grow(client, ctx, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _opening(ctx)
    client.force_login(ctx.recruiter)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("opening-list"))
    for i in range(6):
        services.shortlist_add(opening=_opening(ctx, title=f"Vị trí {i}"), candidate=ctx.visible, actor=ctx.recruiter)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("opening-list")).content.decode()
    assert html.count("data-opening=") == 7


def test_an_ended_internship_no_longer_reads_as_recruiting(client, ctx) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    ended = _opening(ctx, title="Thực tập hè đã qua", kind="internship", starts_on=today - dt.timedelta(days=90),
                     ends_on=today - dt.timedelta(days=1))
    running = _opening(ctx, title="Thực tập đang diễn ra", kind="internship", starts_on=today - dt.timedelta(days=3),
                       ends_on=today + dt.timedelta(days=30))
    upcoming = _opening(ctx, title="Thực tập sắp tới", kind="internship", starts_on=today + dt.timedelta(days=10))
    assert (ended.phase, running.phase, upcoming.phase) == ("ended", "under_way", "open")

    client.force_login(ctx.recruiter)  # the managers still see it, said as it is
    page = client.get(reverse("opening-list")).content.decode()
    row = re.search(rf'<tr data-opening="{ended.pk}">.*?</tr>', page, re.S).group(0)
    assert "Đã kết thúc" in row and "Đang tuyển" not in row
    assert "Đang diễn ra" in re.search(rf'<tr data-opening="{running.pk}">.*?</tr>', page, re.S).group(0)
    assert "Đang tuyển" in re.search(rf'<tr data-opening="{upcoming.pk}">.*?</tr>', page, re.S).group(0)

    client.force_login(ctx.student)  # published openings leave the public list once their period is over
    listing = client.get(reverse("opening-list")).content.decode()
    assert "Thực tập hè đã qua" not in listing and "Thực tập sắp tới" in listing
    assert client.get(reverse("opening-detail", args=[ended.pk])).status_code == 404
