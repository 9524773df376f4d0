"""Evaluation cycles end to end: create, assign, open (the bell), one sheet per rater before the deadline,
close, finalize into the annual rating (the yearly rule over the months), scope, pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_create
from core.models import AuditEvent, Notification
from evaluation import selectors, services
from evaluation.models import EvaluationCycle, EvaluationResult, RaterAssignment
from talent.models import AnnualRating, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db
SOON = dt.date.today() + dt.timedelta(days=10)


def person(unit, name: str, username: str):  # type: ignore[no-untyped-def]
    candidate = make_candidate(unit, name, date_of_birth=dt.date(1994, 1, 1), stage="recruited")
    account = user_create(actor=None, username=username, password="Mat-khau-2026-dai", role=Role.STUDENT,
                          candidate=candidate)
    return candidate, account


def sheet(points: float) -> dict[str, float]:
    return {"politics": points, "capacity": points, "results": points, "discipline": points}


@pytest.fixture
def team(org_tree, personnel):  # type: ignore[no-untyped-def]
    an, an_user = person(org_tree.ward_a, "Nguyễn Văn An", "an_cb")
    binh, binh_user = person(org_tree.ward_a, "Trần Thị Bình", "binh_cb")
    boss = make_user(Role.OFFICER, org_tree.ward_a, username="truong_ban")
    return {"an": an, "an_user": an_user, "binh": binh, "binh_user": binh_user, "boss": boss}


def open_cycle(actor, unit, kind="yearly", period=None):  # type: ignore[no-untyped-def]
    cycle = services.cycle_create(actor=actor, kind=kind, period=period or str(timezone.localdate().year),
                                  organization=unit, deadline=SOON)
    services.assign_defaults(actor=actor, cycle=cycle)
    return cycle


def test_a_yearly_cycle_becomes_the_annual_rating(org_tree, personnel, team) -> None:  # type: ignore[no-untyped-def]
    cycle = open_cycle(personnel, org_tree.ward_a)
    assert RaterAssignment.objects.filter(cycle=cycle, rater_as="self").count() == 2
    services.assign(actor=personnel, cycle=cycle, candidate=team["an"], rater=team["boss"], rater_as="manager")
    with pytest.raises(ValidationError, match="Tự đánh giá"):
        services.assign(actor=personnel, cycle=cycle, candidate=team["an"], rater=team["binh_user"], rater_as="self")
    outsider = make_user(Role.RECRUITER, org_tree.agency, username="hr_outside")  # the agency is not the city's
    with pytest.raises(ValidationError, match="trong phạm vi"):
        services.assign(actor=personnel, cycle=cycle, candidate=team["an"], rater=outsider, rater_as="peer")
    with pytest.raises(ValidationError):  # not open yet
        services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(9))
    services.cycle_open(actor=personnel, cycle=cycle)
    assert Notification.objects.filter(kind=f"evaluation.open.{cycle.pk}", user=team["an_user"]).exists()

    services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(10))
    with pytest.raises(ValidationError, match="không sửa được"):
        services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(1))
    with pytest.raises(PermissionDenied):  # Bình is not An's rater
        services.evaluation_submit(user=team["binh_user"], cycle=cycle, candidate=team["an"], scores=sheet(1))
    with pytest.raises(ValidationError, match="Thiếu điểm"):
        services.evaluation_submit(user=team["boss"], cycle=cycle, candidate=team["an"], scores={"politics": 9})
    services.evaluation_submit(user=team["boss"], cycle=cycle, candidate=team["an"], scores=sheet(9))
    services.evaluation_submit(user=personnel, cycle=cycle, candidate=team["an"], scores=sheet(9))
    services.evaluation_submit(user=personnel, cycle=cycle, candidate=team["binh"], scores=sheet(8))
    # Self 10 (.1), manager 9 (.4), committee 9 (.3): 9.125 → 91.25, excellent.
    rows = {r["candidate"]: r for r in selectors.results(cycle)}
    assert rows[team["an"].pk]["total"] == 91.25 and rows[team["an"].pk]["rating"] == "excellent"
    assert rows[team["binh"].pk]["total"] == 80.0 and rows[team["binh"].pk]["rating"] == "good"
    assert selectors.completion(cycle)["submitted"] == 4
    with pytest.raises(ValidationError):  # finalize needs the cycle closed
        services.cycle_finalize(actor=personnel, cycle=cycle)
    services.cycle_close(actor=personnel, cycle=cycle)
    with pytest.raises(ValidationError):  # closed: no more sheets
        services.evaluation_submit(user=team["binh_user"], cycle=cycle, candidate=team["binh"], scores=sheet(9))
    services.cycle_finalize(actor=personnel, cycle=cycle, note="Thống nhất", disciplined=[team["binh"].pk])
    year = timezone.localdate().year
    assert AnnualRating.objects.get(candidate=team["an"], year=year).rating == "excellent"
    assert AnnualRating.objects.get(candidate=team["binh"], year=year).rating == "incomplete"  # disciplined
    assert EvaluationResult.objects.get(candidate=team["binh"]).disciplined
    assert AuditEvent.objects.filter(action="evaluation.submit").count() == 4
    assert "scores" not in AuditEvent.objects.filter(action="evaluation.submit").first().changes


def test_the_yearly_result_takes_the_months(org_tree, personnel, team) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    for month, points in (("01", 6), ("02", 8)):
        cycle = open_cycle(personnel, org_tree.ward_a, "monthly", f"{year}-{month}")
        services.cycle_open(actor=personnel, cycle=cycle)
        services.evaluation_submit(user=personnel, cycle=cycle, candidate=team["an"], scores=sheet(points))
        services.cycle_close(actor=personnel, cycle=cycle)
        services.cycle_finalize(actor=personnel, cycle=cycle)
    assert not AnnualRating.objects.filter(candidate=team["an"], year=year).exists()  # months make no rating
    yearly = open_cycle(personnel, org_tree.ward_a)
    services.cycle_open(actor=personnel, cycle=yearly)
    services.evaluation_submit(user=personnel, cycle=yearly, candidate=team["an"], scores=sheet(10))
    row = next(r for r in selectors.results(yearly) if r["candidate"] == team["an"].pk)
    assert row["months"] == [60.0, 80.0] and row["total"] == 80.0  # mean of 60, 80 and 100
    assert sum(row["contributions"].values()) == pytest.approx(row["total"])


def test_deadline_scope_and_roles(org_tree, personnel, ward_personnel, officer, team) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.cycle_create(actor=officer, kind="yearly", period="2026", organization=org_tree.ward_a, deadline=SOON)
    with pytest.raises(PermissionDenied):
        services.cycle_create(actor=ward_personnel, kind="yearly", period="2026", organization=org_tree.ward_b,
                              deadline=SOON)
    with pytest.raises(ValidationError, match="2026-11"):
        services.cycle_create(actor=personnel, kind="monthly", period="2026-13", organization=org_tree.ward_a,
                              deadline=SOON)
    cycle = open_cycle(personnel, org_tree.ward_a)
    services.cycle_open(actor=personnel, cycle=cycle)
    EvaluationCycle.objects.filter(pk=cycle.pk).update(deadline=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="quá hạn"):
        services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(9))
    # Who sees the cycle: its runners and the people in it.
    assert EvaluationCycle.objects.for_user(team["an_user"]).filter(pk=cycle.pk).exists()
    assert not EvaluationCycle.objects.for_user(officer).filter(pk=cycle.pk).exists()
    assert EvaluationCycle.objects.for_user(ward_personnel).filter(pk=cycle.pk).exists()


def test_the_pages(client, api_as, org_tree, personnel, officer, team) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    assert client.get(reverse("evaluation-list")).status_code == 403
    client.force_login(personnel)
    response = client.post(reverse("evaluation-list"), {"kind": "yearly", "period": str(timezone.localdate().year),
                                                        "organization": org_tree.ward_a.pk,
                                                        "deadline": SOON.strftime("%d/%m/%Y")})
    cycle = EvaluationCycle.objects.get()
    assert response["Location"] == reverse("evaluation-detail", args=[cycle.pk])
    url = reverse("evaluation-detail", args=[cycle.pk])
    client.post(url, {"action": "defaults"})
    client.post(url, {"action": "assign", "candidate": team["an"].pk, "rater": "binh_cb", "rater_as": "peer"})
    client.post(url, {"action": "open"})
    assert EvaluationCycle.objects.get().status == "open"

    # Bình rates An (as a peer) on the sheet page; a second sheet is refused.
    client.force_login(team["binh_user"])
    mine = client.get(reverse("evaluation-mine")).content.decode()
    rate_url = reverse("evaluation-rate", args=[cycle.pk, team["an"].pk])
    assert rate_url in mine
    form = {f"score-{k}": "8" for k in ("politics", "capacity", "results", "discipline")}
    assert client.post(rate_url, {**form, "score-results": "12"}).status_code == 400
    assert client.post(rate_url, form).status_code == 302
    assert 'id="rate-sent"' in client.get(rate_url).content.decode()
    assert client.get(reverse("evaluation-rate", args=[cycle.pk, team["binh"].pk])).status_code == 200  # herself
    client.force_login(officer)
    assert client.get(rate_url).status_code == 404  # not An's rater

    # Results: one peer only, so the peers' points are withheld; nobody sees a peer's own points.
    client.force_login(personnel)
    page = client.get(url).content.decode()
    assert "điểm đồng nghiệp chưa tính" in page and 'id="result-table"' in page
    body = api_as(personnel).get(f"/api/v1/evaluation-cycles/{cycle.pk}/results/").json()
    assert {r["name"] for r in body} == {"Nguyễn Văn An", "Trần Thị Bình"} and "scores" not in body[0]
    assert api_as(team["binh_user"]).get(f"/api/v1/evaluation-cycles/{cycle.pk}/results/").status_code == 403
    # The API takes a sheet once from its rater.
    ok = api_as(team["an_user"]).post("/api/v1/evaluations/", {"cycle": cycle.pk, "candidate": team["an"].pk,
                                                                 "scores": {k: 9 for k in ("politics", "capacity", "results", "discipline")}},
                                       format="json")
    assert ok.status_code == 201
    again = api_as(team["an_user"]).post("/api/v1/evaluations/", {"cycle": cycle.pk, "candidate": team["an"].pk,
                                                                    "scores": {"politics": 1, "capacity": 1, "results": 1,
                                                                               "discipline": 1}}, format="json")
    assert again.status_code == 400
    client.post(url, {"action": "close"})
    client.post(url, {"action": "finalize", "note": "Hội đồng thống nhất", "disciplined": "abc"})
    assert EvaluationCycle.objects.get().status == "closed"  # a bad list of ids is refused
    client.post(url, {"action": "finalize", "note": "Hội đồng thống nhất"})
    assert EvaluationCycle.objects.get().status == "finalized"
    client.force_login(team["an_user"])
    own = client.get(reverse("evaluation-mine")).content.decode()
    assert "Hội đồng thống nhất" in own and 'id="evaluation-own"' in own


def test_raters_who_owe_a_sheet_are_reminded_once_before_the_deadline(org_tree, personnel, team) -> None:  # type: ignore[no-untyped-def]
    from evaluation import reminders

    cycle = open_cycle(personnel, org_tree.ward_a)
    services.cycle_open(actor=personnel, cycle=cycle)
    services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(9))
    assert reminders.deadline_reminders(SOON - dt.timedelta(days=5)) == 0  # too early
    # Bình and the committee still owe sheets; An has sent hers.
    assert reminders.deadline_reminders(SOON - dt.timedelta(days=1)) == 2
    owing = set(Notification.objects.filter(kind=f"evaluation.remind.{cycle.pk}").values_list("user__username", flat=True))
    assert owing == {"binh_cb", "personnel_t"}
    assert reminders.deadline_reminders(SOON) == 0  # once


def test_monthly_tasks_feed_the_results_criterion(client, org_tree, personnel, team) -> None:  # type: ignore[no-untyped-def]
    from evaluation.models import EvaluationTask

    year, month = timezone.localdate().year, timezone.localdate().month
    cycle = open_cycle(personnel, org_tree.ward_a, "monthly", f"{year}-{month:02d}")
    services.assign(actor=personnel, cycle=cycle, candidate=team["an"], rater=team["boss"], rater_as="manager")
    services.cycle_open(actor=personnel, cycle=cycle)
    first_day = dt.date(year, month, 1)
    with pytest.raises(ValidationError, match="Thời hạn trong tháng"):
        services.task_add(actor=team["boss"], cycle=cycle, candidate=team["an"], title="Báo cáo",
                          due_on=first_day - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):  # Bình is nobody's manager
        services.task_add(actor=team["binh_user"], cycle=cycle, candidate=team["an"], title="Báo cáo", due_on=first_day)
    done = services.task_add(actor=team["boss"], cycle=cycle, candidate=team["an"], title="Báo cáo quý",
                             due_on=first_day)
    late = services.task_add(actor=personnel, cycle=cycle, candidate=team["an"], title="Tổ chức hội nghị",
                             due_on=first_day)
    services.task_mark(actor=team["boss"], task=done, status="done")
    services.task_mark(actor=team["boss"], task=late, status="late")
    with pytest.raises(ValidationError):
        services.task_mark(actor=team["boss"], task=late, status="pending")
    services.evaluation_submit(user=team["boss"], cycle=cycle, candidate=team["an"], scores=sheet(10))
    row = next(r for r in selectors.results(cycle) if r["candidate"] == team["an"].pk)
    # Results criterion from the tasks: (1 + .5) / 2 → 75 of 100, weight .5 → 37.5; the rest 100.
    assert row["contributions"]["results"] == 37.5 and row["total"] == 87.5
    # The manager gives and marks tasks from the person's sheet page.
    client.force_login(team["boss"])
    rate_url = reverse("evaluation-rate", args=[cycle.pk, team["an"].pk])
    page = client.get(rate_url).content.decode()
    assert 'id="person-task-form"' in page and "Báo cáo quý" in page
    client.post(rate_url, {"action": "task-add", "candidate": team["an"].pk, "title": "Viết đề án",
                           "due_on": first_day.strftime("%d/%m/%Y")})
    assert EvaluationTask.objects.filter(title="Viết đề án", assigned_by=team["boss"]).exists()
    client.force_login(team["an_user"])  # the person sees their tasks but cannot give themselves any
    page = client.get(reverse("evaluation-rate", args=[cycle.pk, team["an"].pk])).content.decode()
    assert "Viết đề án" in page and 'id="person-task-form"' not in page
    client.post(reverse("evaluation-rate", args=[cycle.pk, team["an"].pk]),
                {"action": "task-add", "candidate": team["an"].pk, "title": "Tự giao", "due_on": first_day.strftime("%d/%m/%Y")})
    assert not EvaluationTask.objects.filter(title="Tự giao").exists()


def test_the_rollup_from_city_to_grassroots(client, org_tree, personnel, team, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    ward_b_person, _ = person(org_tree.ward_b, "Lê Văn Bê", "be_cb")
    a = open_cycle(personnel, org_tree.ward_a, "monthly", f"{year}-01")
    b = open_cycle(personnel, org_tree.ward_b, "monthly", f"{year}-01")
    for cycle in (a, b):
        services.cycle_open(actor=personnel, cycle=cycle)
    services.evaluation_submit(user=personnel, cycle=a, candidate=team["an"], scores=sheet(9.5))
    services.evaluation_submit(user=personnel, cycle=a, candidate=team["binh"], scores=sheet(6))
    services.cycle_close(actor=personnel, cycle=a)
    services.cycle_finalize(actor=personnel, cycle=a)
    EvaluationCycle.objects.filter(pk=b.pk).update(deadline=dt.date.today() - dt.timedelta(days=1))  # late
    with django_assert_max_num_queries(8):
        data = selectors.rollup(personnel, "monthly", str(year))
    rows = {r["organization"].name: r for r in data["rows"]}
    assert rows["Đoàn phường Sài Gòn"]["ratings"] == {"excellent": 1, "good": 0, "complete": 1, "incomplete": 0}
    assert rows["Đoàn phường Sài Gòn"]["submitted"] == 2 and rows["Đoàn phường Sài Gòn"]["assigned"] == 4
    assert rows["Đoàn phường Bến Thành"]["late"] == 1 and rows["Đoàn phường Bến Thành"]["rated"] == 0
    assert [r["organization"].name for r in data["late_units"]] == ["Đoàn phường Bến Thành"]
    # Drilling into ward A shows its own cycle as a row of its own, and the units below it — a school that
    # has run no cycle shows as such (0), which is what a city wants to see.
    inner = selectors.rollup(personnel, "monthly", f"{year}-01", org_tree.ward_a)
    assert [(r["organization"], r["own"], r["cycles"]) for r in inner["rows"]] == [
        (org_tree.ward_a, True, 1), (org_tree.school_a, False, 0)]
    client.force_login(personnel)
    page = client.get(reverse("evaluation-rollup"), {"kind": "monthly", "period": str(year)}).content.decode()
    assert 'id="rollup-table"' in page and 'id="rollup-late"' in page
    assert client.get(reverse("evaluation-rollup"), {"kind": "x", "period": "<script>"}).status_code == 200
    client.force_login(team["an_user"])
    assert client.get(reverse("evaluation-rollup")).status_code in (302, 403)


def test_committee_comments_per_person_and_raters_taken_off(client, org_tree, personnel, team) -> None:  # type: ignore[no-untyped-def]
    """The committee writes a comment on each person when it fixes the results; the person sees theirs
    (and nobody else's). A rater is taken off while their sheet is not sent; a sent sheet stays."""
    cycle = open_cycle(personnel, org_tree.ward_a)
    manager = services.assign(actor=personnel, cycle=cycle, candidate=team["an"], rater=team["boss"], rater_as="manager")
    peer = services.assign(actor=personnel, cycle=cycle, candidate=team["binh"], rater=team["an_user"], rater_as="peer")
    services.cycle_open(actor=personnel, cycle=cycle)
    services.evaluation_submit(user=team["boss"], cycle=cycle, candidate=team["an"], scores=sheet(9))
    with pytest.raises(ValidationError, match="đã gửi phiếu"):
        services.unassign(actor=personnel, assignment=manager)
    with pytest.raises(PermissionDenied):
        services.unassign(actor=team["boss"], assignment=peer)
    client.force_login(personnel)
    url = reverse("evaluation-detail", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert f'data-assignment="{peer.pk}" data-sent="0"' in page and 'datalist id="rater-choices"' in page
    assert '<option value="truong_ban">' in page  # the manager is offered by name
    client.post(url, {"action": "unassign", "assignment": peer.pk})
    assert not RaterAssignment.objects.filter(pk=peer.pk).exists()
    assert AuditEvent.objects.filter(action="evaluation.assign", changes__removed=True).count() == 1
    services.cycle_close(actor=personnel, cycle=cycle)
    with pytest.raises(ValidationError, match="không thuộc kỳ"):
        services.cycle_finalize(actor=personnel, cycle=cycle, disciplined=[999_999])
    with pytest.raises(ValidationError, match="không thuộc kỳ"):
        services.cycle_finalize(actor=personnel, cycle=cycle, comments={999_999: "?"})
    assert 'name="comment-' in client.get(url).content.decode()  # a comment box per person once closed
    client.post(url, {"action": "finalize", "note": "Thống nhất",
                      f"comment-{team['an'].pk}": "Chủ động, cần rèn thêm kỹ năng viết văn bản."})
    assert EvaluationResult.objects.get(cycle=cycle, candidate=team["an"]).comment.startswith("Chủ động")
    assert EvaluationResult.objects.get(cycle=cycle, candidate=team["binh"]).comment == ""
    client.force_login(team["an_user"])
    mine = client.get(reverse("evaluation-mine")).content.decode()
    assert "Chủ động, cần rèn thêm" in mine and "Thống nhất" in mine
    client.force_login(team["binh_user"])
    assert "Chủ động, cần rèn thêm" not in client.get(reverse("evaluation-mine")).content.decode()


def test_each_cycle_keeps_its_counts_true(org_tree, personnel, team) -> None:  # type: ignore[no-untyped-def]
    """The roll-up reads the counts a cycle keeps; after every kind of write they equal a count of the rows."""
    from evaluation.models import Evaluation

    def kept(cycle):  # type: ignore[no-untyped-def]
        cycle.refresh_from_db()
        return cycle.assigned_count, cycle.people_count, cycle.submitted_count, cycle.rating_counts

    def counted(cycle):  # type: ignore[no-untyped-def]
        ratings: dict[str, int] = {}
        for rating in EvaluationResult.objects.filter(cycle=cycle).values_list("rating", flat=True):
            ratings[rating] = ratings.get(rating, 0) + 1
        assignments = RaterAssignment.objects.filter(cycle=cycle)
        return (assignments.count(), assignments.values("candidate_id").distinct().count(),
                Evaluation.objects.filter(cycle=cycle).count(), ratings)

    cycle = open_cycle(personnel, org_tree.ward_a)
    assert kept(cycle) == counted(cycle) == (4, 2, 0, {})
    manager = services.assign(actor=personnel, cycle=cycle, candidate=team["an"], rater=team["boss"], rater_as="manager")
    services.cycle_open(actor=personnel, cycle=cycle)
    services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(10))
    services.evaluation_submit(user=personnel, cycle=cycle, candidate=team["binh"], scores=sheet(6))
    with pytest.raises(ValidationError):  # a refused second sheet counts nothing
        services.evaluation_submit(user=team["an_user"], cycle=cycle, candidate=team["an"], scores=sheet(1))
    assert kept(cycle) == counted(cycle) == (5, 2, 2, {})
    services.unassign(actor=personnel, assignment=manager)
    assert kept(cycle) == counted(cycle) == (4, 2, 2, {})
    services.cycle_close(actor=personnel, cycle=cycle)
    services.cycle_finalize(actor=personnel, cycle=cycle)
    assert kept(cycle) == counted(cycle) and sum(kept(cycle)[3].values()) == 2
    rows = {r["organization"].pk: r for r in selectors.rollup(personnel, "yearly", cycle.period)["rows"]}
    assert (rows[org_tree.ward_a.pk]["submitted"], rows[org_tree.ward_a.pk]["assigned"]) == (2, 4)
