"""Transparent selection for a course (issue 17, item 6): the committee's ranked list of nominees by a
rubric, kept as drawn up with its criteria; sending people in its order without splitting a tie; and the
two training targets on /targets/ (leadership skills in the year, the political-theory standard) with who
is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from openings import targets as target_values
from openings.models import Target
from scoring.models import Rubric
from succession import services as succession
from talent.models import AnnualRating, Candidate, Role, Training
from tests.factories import make_user
from tests.succession.people import cadre
from training import services
from training.models import Enrolment, Nomination

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def planned(org_tree, personnel):  # type: ignore[no-untyped-def]
    """Four cadres of ward A in the plan of a Youth Union post of the current term, alike on every criterion
    but their ratings: An and Bình rated excellent last year (a tie), Cường good, Dung none. Em is a cadre of
    the ward outside any plan."""
    position = succession.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đoàn phường",
                                          level="youth_union")
    plan = succession.plan_create(actor=personnel, position=position, term=f"{YEAR - 1}-{YEAR + 4}")
    people = {}
    for key, name in (("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình"), ("cuong", "Lê Văn Cường"),
                      ("dung", "Phạm Thị Dung")):
        people[key] = cadre(org_tree.ward_a, name)
        succession.member_propose(actor=personnel, plan=plan, candidate=people[key], readiness="1_2_years")
    for key, rating in (("an", "excellent"), ("binh", "excellent"), ("cuong", "good")):
        AnnualRating.objects.create(candidate=people[key], year=YEAR - 1, rating=rating)
    people["em"] = cadre(org_tree.ward_a, "Đỗ Văn Em")
    Candidate.objects.filter(pk__in=[p.pk for p in people.values()]).update(stage="recruited")
    return people


def course(actor, unit, seats: int = 10):  # type: ignore[no-untyped-def]
    return services.course_create(actor=actor, organization=unit, title="Bồi dưỡng kỹ năng lãnh đạo", kind="leadership",
                                  provider="Trường Chính trị", starts_on=dt.date(YEAR, 3, 1), ends_on=dt.date(YEAR, 3, 10),
                                  seats=seats)


def test_the_ranked_list_names_its_criteria_and_keeps_ties(org_tree, personnel, ward_personnel, planned) -> None:  # type: ignore[no-untyped-def]
    rubric = Rubric.objects.get(slug="young-cadre")
    c = course(personnel, org_tree.ward_a)
    nomination = services.nominees_draw(actor=personnel, course=c, rubric=rubric)
    names = [r["name"] for r in nomination.rows]
    assert names[2:] == ["Lê Văn Cường", "Phạm Thị Dung"] and set(names[:2]) == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert [r["rank"] for r in nomination.rows] == [1, 1, 3, 4]  # the tie shares a rank, the next skips it
    assert "Đỗ Văn Em" not in names and nomination.eligible == 4  # the pool is the plan's members
    for row in nomination.rows:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"], abs=1e-3)
    assert {c["key"] for c in nomination.criteria} == set(nomination.rows[0]["contributions"])
    assert all(c["label"] and c["weight"] for c in nomination.criteria)
    assert AuditEvent.objects.filter(action="training.nominate").count() == 1
    # Every cadre of the unit, but not who already did a leadership course this year.
    Training.objects.create(candidate=planned["dung"], kind="leadership", title="Lớp", completed_on=dt.date(YEAR, 1, 5))
    wide = services.nominees_draw(actor=personnel, course=c, rubric=rubric, pool="unit")
    assert "Đỗ Văn Em" in [r["name"] for r in wide.rows] and "Phạm Thị Dung" not in [r["name"] for r in wide.rows]
    everyone = services.nominees_draw(actor=personnel, course=c, rubric=rubric, pool="unit", untrained_only=False)
    assert len(everyone.rows) == 5
    with pytest.raises(PermissionDenied):  # ward A's officer does not run the city's courses
        services.nominees_draw(actor=ward_personnel, course=course(personnel, org_tree.city), rubric=rubric)
    with pytest.raises(ValidationError, match="phiên bản"):
        services.nominees_draw(actor=personnel, course=c, rubric=Rubric.objects.create(slug="trong", name="Trống"))
    with pytest.raises(ValidationError):
        services.nominees_draw(actor=personnel, course=c, rubric=rubric, pool="everyone")


def test_sending_in_the_lists_order(org_tree, personnel, planned) -> None:  # type: ignore[no-untyped-def]
    rubric = Rubric.objects.get(slug="young-cadre")
    c = course(personnel, org_tree.ward_a, seats=3)
    first = services.nominees_draw(actor=personnel, course=c, rubric=rubric)
    with pytest.raises(ValidationError, match="cùng hạng 1"):  # the cut would split An and Bình
        services.nominees_enrol(actor=personnel, nomination=first, count=1)
    with pytest.raises(ValidationError, match="còn 3 chỗ"):
        services.nominees_enrol(actor=personnel, nomination=first, count=4)
    with pytest.raises(ValidationError):
        services.nominees_enrol(actor=personnel, nomination=first, count=0)
    sent = services.nominees_enrol(actor=personnel, nomination=first, count=2)
    assert {e.candidate.full_name for e in sent} == {"Nguyễn Văn An", "Trần Thị Bình"}
    again = services.nominees_draw(actor=personnel, course=c, rubric=rubric)
    assert [r["name"] for r in again.rows] == ["Lê Văn Cường", "Phạm Thị Dung"]  # who is sent is not nominated again
    with pytest.raises(ValidationError, match="mới hơn"):
        services.nominees_enrol(actor=personnel, nomination=first, count=3)
    services.nominees_enrol(actor=personnel, nomination=again, count=1)
    assert Enrolment.objects.filter(course=c).count() == 3


def test_the_course_page_shows_the_list_to_the_committee(client, org_tree, personnel, planned) -> None:  # type: ignore[no-untyped-def]
    c = course(personnel, org_tree.ward_a, seats=5)
    client.force_login(personnel)
    url = reverse("training-course", args=[c.pk])
    assert 'id="nomination-form"' in client.get(url).content.decode()
    rubric = Rubric.objects.get(slug="young-cadre")
    client.post(url, {"action": "nominate", "rubric": rubric.pk, "pool": "plans", "untrained_only": "on"})
    nomination = Nomination.objects.get()
    page = client.get(url).content.decode()
    assert 'id="nomination-table"' in page and "Xếp loại chất lượng hằng năm" in page and "trọng số 35" in page
    assert page.count('data-rank="1"') == 2
    client.post(url, {"action": "send", "nomination": nomination.pk, "count": 1})  # splits the tie: refused
    assert not Enrolment.objects.exists()
    client.post(url, {"action": "send", "nomination": nomination.pk, "count": 3})
    assert Enrolment.objects.count() == 3 and 'class="is-sent"' in client.get(url).content.decode()
    client.post(url, {"action": "send", "nomination": 999_999, "count": 1})
    assert Enrolment.objects.count() == 3


def test_the_training_targets_count_the_current_plans(client, org_tree, personnel, officer, planned) -> None:  # type: ignore[no-untyped-def]
    """Leadership skills in the year and the political-theory standard, over the members of the current
    term's plans, each on /targets/ with who is missing and, for the runners, a link to the plan view."""
    Training.objects.create(candidate=planned["an"], kind="leadership", title="Lớp", completed_on=dt.date(YEAR, 2, 1))
    Training.objects.create(candidate=planned["binh"], kind="leadership", title="Lớp", completed_on=dt.date(YEAR - 1, 2, 1))
    Candidate.objects.filter(pk=planned["dung"].pk).update(political_theory="so_cap")  # below the post's trung cấp
    today = timezone.localdate()
    made = {}
    for metric in ("share_leadership_trained", "share_theory_standard"):
        model = Target.objects.not_adopted().get(metric=metric)
        assert model.population.get("in_plans") is True and model.source
        from openings import services as openings

        made[metric] = openings.target_adopt(model=model, organization=org_tree.city, actor=personnel,
                                             source="Kế hoạch thử", threshold=Decimal("100"))
    trained = target_values.compute(made["share_leadership_trained"], today)
    theory = target_values.compute(made["share_theory_standard"], today)
    assert (trained["population"], trained["actual"], trained["met"]) == (4, 25.0, False)  # An only, this year
    assert (theory["population"], theory["actual"]) == (4, 75.0)  # Dung's sơ cấp is short
    short = target_values.missing(made["share_theory_standard"], personnel, today)
    assert short["count"] == 1 and [p["full_name"] for p in short["people"]] == ["Phạm Thị Dung"]
    assert short["detail"] == "training-compliance"
    assert target_values.missing(made["share_theory_standard"], officer, today)["detail"] == ""
    client.force_login(personnel)
    page = client.get(reverse("target-dashboard")).content.decode()
    assert f'id="target-missing-{made["share_leadership_trained"].pk}"' in page and "Còn 3 người chưa đạt" in page
    assert reverse("training-compliance") in page
    client.force_login(officer)
    page = client.get(reverse("target-dashboard")).content.decode()
    assert "Còn 1 người chưa đạt" in page and reverse("training-compliance") not in page
    client.force_login(make_user(Role.RECRUITER, org_tree.agency, username="hr_targets"))
    assert client.get(reverse("target-dashboard")).status_code == 403


def test_a_tie_across_the_end_of_a_cut_list_is_seen(org_tree, personnel, planned, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The list keeps the first LIMIT people; when the next one ranked shares the last one's rank,
    sending the whole list would split that tie, and is refused like a cut inside the list."""
    monkeypatch.setattr(Nomination, "LIMIT", 1)  # An and Bình share rank 1: a list of one cuts their tie
    rubric = Rubric.objects.get(slug="young-cadre")
    nomination = services.nominees_draw(actor=personnel, course=course(personnel, org_tree.ward_a), rubric=rubric)
    assert len(nomination.rows) == 1 and nomination.next_rank == 1
    with pytest.raises(ValidationError, match="người ngoài danh sách"):
        services.nominees_enrol(actor=personnel, nomination=nomination, count=1)
    monkeypatch.setattr(Nomination, "LIMIT", 2)
    whole = services.nominees_draw(actor=personnel, course=course(personnel, org_tree.ward_a), rubric=rubric)
    assert whole.next_rank == 3
    assert len(services.nominees_enrol(actor=personnel, nomination=whole, count=2)) == 2


def test_a_nominee_gone_since_the_draw_is_named(org_tree, personnel, planned) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone as tz

    rubric = Rubric.objects.get(slug="young-cadre")
    nomination = services.nominees_draw(actor=personnel, course=course(personnel, org_tree.ward_a), rubric=rubric)
    Candidate.objects.filter(pk=planned["cuong"].pk).update(erased_at=tz.now())
    with pytest.raises(ValidationError, match="Lê Văn Cường không còn trong phạm vi"):
        services.nominees_enrol(actor=personnel, nomination=nomination, count=3)
    assert not Enrolment.objects.exists()
    assert len(services.nominees_enrol(actor=personnel, nomination=nomination, count=2)) == 2
