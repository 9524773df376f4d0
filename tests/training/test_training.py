"""Training (issue 17, item 6): courses, enrolment within the seats, attendance, completion writing the
training record once, scope and roles, the plans' compliance (leadership skills in the year, political
theory) on the page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from succession import services as succession
from talent.models import Role, Training
from tests.factories import make_user
from tests.succession.people import cadre
from training import selectors, services
from training.models import Enrolment

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def course(actor, unit, seats: int = 2, kind: str = "leadership"):  # type: ignore[no-untyped-def]
    return services.course_create(actor=actor, organization=unit, title="Bồi dưỡng kỹ năng lãnh đạo, quản lý",
                                  kind=kind, provider="Trường Chính trị thành phố", starts_on=dt.date(YEAR, 3, 1),
                                  ends_on=dt.date(YEAR, 3, 10), seats=seats, cost_per_person=2_500_000)


def test_enrol_attend_complete_into_the_training_record(org_tree, personnel, ward_personnel, officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        course(officer, org_tree.ward_a)
    with pytest.raises(PermissionDenied):
        course(ward_personnel, org_tree.ward_b)
    with pytest.raises(ValidationError):
        services.course_create(actor=personnel, organization=org_tree.ward_a, title="X", kind="leadership",
                               provider="Y", starts_on=dt.date(YEAR, 3, 10), ends_on=dt.date(YEAR, 3, 1), seats=1)
    c = course(personnel, org_tree.ward_a, seats=2)
    an, binh, cuong = (cadre(org_tree.ward_a, name) for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"))
    first = services.enrol(actor=personnel, course=c, candidate=an)
    with pytest.raises(ValidationError, match="đã được cử"):
        services.enrol(actor=personnel, course=c, candidate=an)
    second = services.enrol(actor=personnel, course=c, candidate=binh)
    with pytest.raises(ValidationError, match="đủ 2 chỗ"):
        services.enrol(actor=personnel, course=c, candidate=cuong)
    services.drop(actor=personnel, enrolment=second)  # a seat freed
    services.enrol(actor=personnel, course=c, candidate=cuong)
    services.attend(actor=personnel, enrolment=first, sessions=8)
    with pytest.raises(ValidationError):
        services.complete(actor=personnel, enrolment=first, completed_on=dt.date(YEAR, 2, 1))  # before it began
    done = services.complete(actor=personnel, enrolment=first, completed_on=dt.date(YEAR, 3, 10),
                             certificate_number="CC-0012")
    assert done.status == Enrolment.Status.COMPLETED and done.training.kind == "leadership"
    assert Training.objects.filter(candidate=an, kind="leadership", completed_on=dt.date(YEAR, 3, 10)).count() == 1
    with pytest.raises(ValidationError):
        services.complete(actor=personnel, enrolment=first, completed_on=dt.date(YEAR, 3, 10))  # once


def test_compliance_of_the_plans(client, api_as, org_tree, personnel, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    position = succession.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đoàn phường",
                                          level="youth_union")
    plan = succession.plan_create(actor=personnel, position=position, term="2025-2030")
    an, binh = cadre(org_tree.ward_a, "Nguyễn Văn An"), cadre(org_tree.ward_a, "Trần Thị Bình")
    for person in (an, binh):
        succession.member_propose(actor=personnel, plan=plan, candidate=person, readiness="1_2_years")
    Training.objects.create(candidate=an, kind="leadership", title="Kỹ năng lãnh đạo", completed_on=dt.date(YEAR, 5, 1))
    Training.objects.create(candidate=binh, kind="leadership", title="Kỹ năng lãnh đạo",
                            completed_on=dt.date(YEAR - 1, 5, 1))  # last year's does not count this year
    with django_assert_max_num_queries(5):
        data = selectors.compliance(personnel, "2025-2030", YEAR)
    row = data["rows"][0]
    assert (row["trained"], row["members"], row["trained_share"]) == (1, 2, 0.5)
    assert [m["name"] for m in row["missing"]] == ["Trần Thị Bình"] and row["theory_missing"] == []
    client.force_login(personnel)
    page = client.get(reverse("training-compliance"), {"term": "2025-2030", "year": YEAR}).content.decode()
    assert 'id="compliance-share">50%<' in page and "Trần Thị Bình" in page and 'id="compliance-units"' in page
    body = api_as(personnel).get("/api/v1/training-compliance/", {"term": "2025-2030", "year": YEAR}).json()
    assert body[0]["missing"] == [{"candidate": binh.pk, "name": "Trần Thị Bình"}]
    assert api_as(personnel).get("/api/v1/training-compliance/", {"year": "x"}).status_code == 400
    # Per unit, each person once: a second plan of the ward with An in it does not count An twice.
    second = succession.plan_create(actor=personnel, term="2025-2030", position=succession.position_create(
        actor=personnel, organization=org_tree.ward_a, title="Phó Bí thư Đoàn phường", level="youth_union"))
    succession.member_propose(actor=personnel, plan=second, candidate=an, readiness="1_2_years")
    units = selectors.compliance(personnel, "2025-2030", YEAR)["units"]
    assert [(u["organization"], u["members"], u["trained"], u["missing"]) for u in units] == [
        (org_tree.ward_a.name, 2, 1, 1)]


def test_the_course_pages(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.OFFICER, org_tree.city, username="off_training"))
    assert client.get(reverse("training-courses")).status_code == 403
    client.force_login(personnel)
    response = client.post(reverse("training-courses"), {
        "title": "Quản lý nhà nước ngạch chuyên viên", "kind": "state_management", "provider": "Học viện Hành chính",
        "organization": org_tree.ward_a.pk, "starts_on": f"01/04/{YEAR}", "ends_on": f"30/04/{YEAR}", "seats": 10,
        "cost_per_person": 1000000})
    assert response.status_code == 302
    url = response["Location"]
    person = cadre(org_tree.ward_a, "Phạm Văn Học")
    client.post(url, {"action": "enrol", "candidate": person.pk})
    enrolment = Enrolment.objects.get()
    client.post(url, {"action": "complete", "enrolment": enrolment.pk, "completed_on": "31/02/2026"})
    assert Enrolment.objects.get().status == "enrolled"  # an impossible day is refused
    client.post(url, {"action": "complete", "enrolment": enrolment.pk, "completed_on": f"30/04/{YEAR}",
                      "certificate_number": "QLNN-1"})
    assert Enrolment.objects.get().status == "completed"
    page = client.get(url).content.decode()
    assert 'id="course-taken">1/10<' in page and "1.000.000 đ" in page
