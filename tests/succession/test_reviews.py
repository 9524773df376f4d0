"""The yearly review before 31/12 (issue 16, item 5): opening it, the worklist, each decision, signing off
with a snapshot, overdue after 31/12, the bell and the dashboard from 1/12, the pages and the report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent, Notification
from succession import reminders, selectors, services
from succession.models import PlanMember, PlanReview, ReviewDecision
from talent.models import AnnualRating, Role, Training
from tests.factories import make_user
from tests.succession.people import cadre

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def plans(org_tree, personnel):  # type: ignore[no-untyped-def]
    """Ward A's plan with two members, ward B's with none, and one of an earlier term (2020-2025)."""
    out = {}
    for key, unit, title, term in (("a", org_tree.ward_a, "Bí thư Đoàn phường Sài Gòn", "2025-2030"),
                                   ("b", org_tree.ward_b, "Bí thư Đoàn phường Bến Thành", "2025-2030"),
                                   ("old", org_tree.ward_a, "Phó Bí thư Đoàn phường Sài Gòn", "2020-2025")):
        position = services.position_create(actor=personnel, organization=unit, title=title, level="youth_union")
        out[key] = services.plan_create(actor=personnel, position=position, term=term)
    out["an"] = services.member_propose(actor=personnel, plan=out["a"], candidate=cadre(org_tree.ward_a, "Trần Văn An"),
                                        readiness="1_2_years")
    out["binh"] = services.member_propose(actor=personnel, plan=out["a"],
                                          candidate=cadre(org_tree.ward_a, "Lê Thị Bình", "female"), readiness="ready_now")
    return out


def test_opening_the_review_covers_the_plans_of_the_year_in_reach(org_tree, personnel, ward_personnel, officer,
                                                                   plans) -> None:  # type: ignore[no-untyped-def]
    from succession.models import SuccessionPlan

    SuccessionPlan.objects.update(created_at=timezone.make_aware(dt.datetime(2024, 6, 1)))  # plans of long standing
    assert services.review_open(actor=ward_personnel, year=YEAR) == 1  # ward A's 2025-2030 plan only
    assert services.review_open(actor=personnel, year=YEAR) == 1  # then ward B's; the 2020-2025 term is over
    assert services.review_open(actor=personnel, year=YEAR) == 0
    assert services.review_open(actor=personnel, year=2025) == 3  # 2025 is in both terms
    with pytest.raises(PermissionDenied):
        services.review_open(actor=officer, year=YEAR)
    with pytest.raises(ValidationError):
        services.review_open(actor=personnel, year=timezone.localdate().year + 1)
    assert AuditEvent.objects.filter(action="review.open").count() == 4


def test_worklist_decisions_and_sign_off(org_tree, personnel, ward_personnel, plans,
                                         django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    services.review_open(actor=personnel, year=YEAR)
    review = PlanReview.objects.get(plan=plans["a"], year=YEAR)
    an, binh = plans["an"], plans["binh"]
    AnnualRating.objects.create(candidate=an.candidate, year=2025, rating="excellent")
    AnnualRating.objects.create(candidate=an.candidate, year=2024, rating="good")
    Training.objects.create(candidate=binh.candidate, kind="leadership", title="Bồi dưỡng kỹ năng lãnh đạo",
                            completed_on=dt.date(YEAR, 5, 1))
    with django_assert_max_num_queries(12):
        rows = {r["member"].pk: r for r in selectors.review_worklist(review, today=dt.date(YEAR, 12, 7))}
    assert rows[an.pk]["rating"].year == 2025 and rows[an.pk]["rating"].rating == "excellent"
    assert rows[an.pk]["leadership_this_year"] is False and rows[binh.pk]["leadership_this_year"] is True
    assert rows[an.pk]["years_in_post"] == 9 and rows[an.pk]["failures"] == []

    # Nobody decided yet: signing is refused and names who is left.
    with pytest.raises(ValidationError, match="Còn 2 người chưa được rà soát"):
        services.review_sign(actor=personnel, review=review)
    with pytest.raises(ValidationError, match="không đổi"):
        services.review_set_readiness(actor=personnel, review=review, member=an, readiness="1_2_years")
    services.review_set_readiness(actor=personnel, review=review, member=an, readiness="ready_now", note="Đã sẵn sàng")
    an.refresh_from_db()
    assert an.readiness == "ready_now" and an.events.last().note.startswith(f"Rà soát {YEAR}: Sau 1–2 năm")
    services.review_remove(actor=personnel, review=review, member=binh, reason="effort", note="Không phấn đấu")
    assert PlanMember.objects.get(pk=binh.pk).status == PlanMember.Status.REMOVED
    added = services.review_add(actor=personnel, review=review, candidate=cadre(org_tree.ward_a, "Phạm Văn Cường"),
                                readiness="3_plus_years")
    assert added.kind == ReviewDecision.Kind.ADDED
    # Another unit's planner touches nothing here.
    other = make_user(Role.PERSONNEL, org_tree.ward_b, username="ward_b_personnel")
    with pytest.raises(PermissionDenied):
        services.review_keep(actor=other, review=review, member=an)

    signed = services.review_sign(actor=personnel, review=review, note="Đã rà soát đủ")
    assert signed.status == PlanReview.Status.SIGNED and signed.signed_by == personnel
    changes = {c["name"]: (c["kind"], c["before"], c["after"]) for c in signed.snapshot["changes"]}
    assert changes == {"Trần Văn An": ("readiness", "Sau 1–2 năm", "Sẵn sàng ngay"),
                       "Lê Thị Bình": ("removed", "Sẵn sàng ngay", "Không có ý thức rèn luyện, phấn đấu"),
                       "Phạm Văn Cường": ("added", "", "Sau 3 năm trở lên")}
    assert [m["name"] for m in signed.snapshot["members"]] == ["Trần Văn An", "Phạm Văn Cường"]
    # Signed is final.
    with pytest.raises(ValidationError, match="đã ký duyệt"):
        services.review_keep(actor=personnel, review=review, member=an)
    with pytest.raises(ValidationError):
        services.review_sign(actor=personnel, review=review)


def test_overdue_after_31_12_and_the_overview(personnel, plans) -> None:  # type: ignore[no-untyped-def]
    services.review_open(actor=personnel, year=YEAR)
    b = PlanReview.objects.get(plan=plans["b"], year=YEAR)
    services.review_sign(actor=personnel, review=b)  # nobody in it: nothing to decide
    before = selectors.review_overview(personnel, YEAR, today=dt.date(YEAR, 12, 31))
    assert before["totals"] == {"plans": 2, "not_opened": 0, "open": 1, "signed": 1, "overdue": 0}
    after = selectors.review_overview(personnel, YEAR, today=dt.date(YEAR + 1, 1, 1))
    assert after["totals"]["overdue"] == 1
    assert [r["plan"] for r in after["rows"] if r["overdue"]] == [plans["a"].pk]
    assert PlanReview.objects.get(plan=plans["a"]).overdue_on(dt.date(YEAR + 1, 1, 1))


def test_the_bell_and_the_dashboard_remind_planners(client, org_tree, personnel, officer, plans,
                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ward_b = make_user(Role.PERSONNEL, org_tree.ward_b, username="ward_b_p")
    nobody = make_user(Role.PERSONNEL, org_tree.uni, username="uni_p")  # no plan in reach: no line
    assert reminders.review_reminders(dt.date(YEAR, 11, 30)) == 0
    assert reminders.review_reminders(dt.date(YEAR, 12, 1)) == 2
    lines = dict(Notification.objects.values_list("user__username", "title"))
    assert lines == {"personnel_t": f"Rà soát quy hoạch năm {YEAR} trước 31/12: còn 2 quy hoạch chưa ký duyệt.",
                     "ward_b_p": f"Rà soát quy hoạch năm {YEAR} trước 31/12: còn 1 quy hoạch chưa ký duyệt."}
    assert reminders.review_reminders(dt.date(YEAR, 12, 15)) == 0  # once a year
    assert not Notification.objects.filter(user__in=[officer, nobody]).exists()
    # Ward B signs its review; in January the overdue line goes to the city's planner only.
    services.review_open(actor=ward_b, year=YEAR)
    services.review_sign(actor=ward_b, review=PlanReview.objects.get(plan=plans["b"], year=YEAR))
    assert reminders.review_reminders(dt.date(YEAR + 1, 1, 2)) == 1
    assert Notification.objects.get(kind=f"succession.review.overdue.{YEAR}").user == personnel

    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(YEAR, 12, 7))
    client.force_login(personnel)
    page = client.get(reverse("dashboard")).content.decode()
    assert "còn 1 quy hoạch chưa ký duyệt" in page and f"{reverse('succession-reviews')}?year={YEAR}" in page
    client.force_login(ward_b)
    assert "data-notice" not in client.get(reverse("dashboard")).content.decode()


def test_the_review_pages(client, org_tree, personnel, officer, plans) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)  # the review is the planners' work: its worklist shows ratings
    assert client.get(reverse("succession-reviews"), {"year": YEAR}).status_code == 403
    client.force_login(personnel)
    listing = client.get(reverse("succession-reviews"), {"year": YEAR}).content.decode()
    assert 'id="reviews-not-opened">2<' in listing and 'id="review-open-form"' in listing
    client.post(reverse("succession-reviews"), {"year": YEAR})
    review = PlanReview.objects.get(plan=plans["a"], year=YEAR)
    page = client.get(reverse("succession-review", args=[review.pk])).content.decode()
    assert f'id="member-{plans["an"].pk}"' in page and 'data-decided="none"' in page
    assert "Chưa bồi dưỡng kỹ năng lãnh đạo năm 2026" in page
    # A decision without its reason is refused; with it, kept.
    client.post(reverse("succession-review-decide", args=[review.pk]), {"member": plans["binh"].pk, "action": "remove"})
    assert PlanMember.objects.get(pk=plans["binh"].pk).status != PlanMember.Status.REMOVED
    client.post(reverse("succession-review-decide", args=[review.pk]),
                {"member": plans["binh"].pk, "action": "remove", "reason": "transferred", "note": "Về Sở Nội vụ"})
    client.post(reverse("succession-review-decide", args=[review.pk]), {"member": plans["an"].pk, "action": "keep"})
    # A member of another plan cannot be decided through this review.
    other = services.member_propose(actor=personnel, plan=plans["b"], candidate=cadre(org_tree.ward_b, "Vũ Văn Khác"),
                                    readiness="ready_now")
    client.post(reverse("succession-review-decide", args=[review.pk]), {"member": other.pk, "action": "keep"})
    assert not ReviewDecision.objects.filter(member=other).exists()
    response = client.post(reverse("succession-review-sign", args=[review.pk]), {"note": "Thống nhất"})
    assert response.status_code == 302 and response["Location"] == reverse("succession-review-report", args=[review.pk])
    report = client.get(response["Location"]).content.decode()
    assert 'id="report-signed"' in report and "Về Sở Nội vụ" in report and "Trần Văn An" in report
    assert "Thống nhất" in report and "BÁO CÁO KẾT QUẢ RÀ SOÁT QUY HOẠCH NĂM 2026" in report
    # The year's XLSX: the plans and the changes of the signed review.
    book = load_workbook(io.BytesIO(client.get(reverse("succession-reviews-export"), {"year": YEAR}).content))
    states = [row[3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert set(states) == {"Đã ký duyệt", "Đang rà soát"} and len(states) == 2
    changes = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert {(r[1], r[2]) for r in changes} == {("Lê Thị Bình", "Đưa ra khỏi quy hoạch"), ("Trần Văn An", "Giữ nguyên")}
    assert AuditEvent.objects.filter(action="review.export").exists()
    # Officers, recruiters and liaisons see none of it.
    for user in (officer, make_user(Role.RECRUITER, org_tree.agency, username="hr_reviews"),
                 make_user(Role.LIAISON, org_tree.uni, username="uni_reviews")):
        client.force_login(user)
        for url in (reverse("succession-review", args=[review.pk]), reverse("succession-review-report", args=[review.pk]),
                    reverse("succession-reviews-export")):
            assert client.get(url).status_code == 403, url


def test_a_corrected_decision_starts_from_the_readiness_the_review_began_with(org_tree, personnel, plans) -> None:  # type: ignore[no-untyped-def]
    services.review_open(actor=personnel, year=YEAR)
    review = PlanReview.objects.get(plan=plans["a"], year=YEAR)
    an = plans["an"]  # 1_2_years
    services.review_set_readiness(actor=personnel, review=review, member=an, readiness="ready_now")
    services.review_set_readiness(actor=personnel, review=review, member=an, readiness="3_plus_years")
    an.refresh_from_db()
    last = ReviewDecision.objects.filter(member=an).last()
    assert an.readiness == "3_plus_years" and (last.before, last.after) == ("1_2_years", "3_plus_years")
    # Corrected to "keep": the readiness goes back to what it was, and the report says kept.
    services.review_keep(actor=personnel, review=review, member=an)
    an.refresh_from_db()
    assert an.readiness == "1_2_years"
    added = services.review_add(actor=personnel, review=review, candidate=cadre(org_tree.ward_a, "Mai Văn Mới"),
                                readiness="3_plus_years")
    with pytest.raises(ValidationError, match="bổ sung trong lần rà soát này"):
        services.review_keep(actor=personnel, review=review, member=added.member)
    services.review_set_readiness(actor=personnel, review=review, member=added.member, readiness="1_2_years")
    services.review_keep(actor=personnel, review=review, member=plans["binh"])
    snapshot = services.review_sign(actor=personnel, review=review).snapshot
    changes = {c["name"]: (c["kind"], c["after"]) for c in snapshot["changes"]}
    assert changes["Trần Văn An"] == ("kept", "Sau 1–2 năm") and changes["Mai Văn Mới"] == ("added", "Sau 1–2 năm")


def test_a_plan_made_after_the_year_owes_no_review_for_it(client, personnel, plans, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from succession.models import SuccessionPlan

    later = timezone.make_aware(dt.datetime(YEAR + 1, 2, 1, 9, 0))
    SuccessionPlan.objects.filter(pk=plans["b"].pk).update(created_at=later)
    overview = selectors.review_overview(personnel, YEAR)
    assert [r["plan"] for r in overview["rows"]] == [plans["a"].pk]
    assert services.review_open(actor=personnel, year=YEAR) == 1
    assert selectors.unreviewed_count(personnel, YEAR) == 1
    # In March the dashboard still says last year's review is overdue, until it is signed.
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(YEAR + 1, 3, 10))
    client.force_login(personnel)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"1 quy hoạch chưa ký duyệt rà soát năm {YEAR}: đã quá hạn 31/12/{YEAR}." in page
