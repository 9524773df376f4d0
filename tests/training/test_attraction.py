"""Attraction payments by degree (rules as data, seeds/004), the commitment kept or not, and the year's
budget of each unit against what its courses and payments cost — pages, XLSX and API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from talent.models import Role
from tests.factories import make_user
from tests.succession.people import cadre
from training import selectors, services
from training.defaults import install
from training.models import AttractionPayment, AttractionRuleSet

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _rules(db):  # type: ignore[no-untyped-def]
    install(AttractionRuleSet)


def test_the_amount_comes_from_the_rules_once_per_person(org_tree, personnel, officer) -> None:  # type: ignore[no-untyped-def]
    doctor = cadre(org_tree.ward_a, "Nguyễn Tiến Sĩ")
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=officer, candidate=doctor, organization=org_tree.ward_a, degree="ts",
                                paid_on=dt.date(YEAR, 2, 1), commitment_years=5)
    with pytest.raises(ValidationError, match="không có trong chính sách"):
        services.payment_record(actor=personnel, candidate=doctor, organization=org_tree.ward_a, degree="cu_nhan",
                                paid_on=dt.date(YEAR, 2, 1), commitment_years=5)
    payment = services.payment_record(actor=personnel, candidate=doctor, organization=org_tree.ward_a, degree="ts",
                                      paid_on=dt.date(YEAR, 2, 1), commitment_years=5, with_practice=True)
    assert payment.amount == 120_000_000  # Tiến sĩ with five years' practice (seeds/004)
    with pytest.raises(ValidationError, match="một lần"):
        services.payment_record(actor=personnel, candidate=doctor, organization=org_tree.ward_a, degree="ts",
                                paid_on=dt.date(YEAR, 3, 1), commitment_years=5)
    with pytest.raises(ValidationError, match="lý do"):
        services.payment_close(actor=personnel, payment=payment, kept=False)
    services.payment_close(actor=personnel, payment=payment, kept=False, note="Chuyển công tác ngoài tỉnh năm thứ 2")
    assert AttractionPayment.objects.get().kept is False


def test_budgets_against_courses_and_payments(client, api_as, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    services.budget_set(actor=personnel, organization=org_tree.city, year=YEAR, amount=500_000_000)
    services.budget_set(actor=personnel, organization=org_tree.ward_a, year=YEAR, amount=100_000_000)
    course = services.course_create(actor=personnel, organization=org_tree.ward_a, title="Kỹ năng lãnh đạo",
                                    kind="leadership", provider="Trường Chính trị", starts_on=dt.date(YEAR, 4, 1),
                                    ends_on=dt.date(YEAR, 4, 5), seats=10, cost_per_person=3_000_000)
    for name in ("Lê Văn Một", "Lê Văn Hai"):
        services.enrol(actor=personnel, course=course, candidate=cadre(org_tree.ward_a, name))
    dropped = services.enrol(actor=personnel, course=course, candidate=cadre(org_tree.ward_a, "Lê Văn Ba"))
    services.drop(actor=personnel, enrolment=dropped)
    services.payment_record(actor=personnel, candidate=cadre(org_tree.ward_b, "Trần Bác Sĩ"), organization=org_tree.ward_b,
                            degree="bsck2", paid_on=dt.date(YEAR, 6, 1), commitment_years=5)
    rows = {r["organization"].code: r for r in selectors.budgets(personnel, YEAR)}
    assert (rows["W-A"]["courses"], rows["W-A"]["payments"], rows["W-A"]["left"]) == (6_000_000, 0, 94_000_000)
    assert rows["TD-TEST"]["spent"] == 6_000_000 + 65_000_000  # the city folds in its wards
    client.force_login(personnel)
    page = client.get(reverse("training-budgets"), {"year": YEAR}).content.decode()
    assert "94.000.000 đ" in page and 'id="budgets-export"' in page
    book = load_workbook(io.BytesIO(client.get(reverse("training-budgets-export"), {"year": YEAR}).content))
    assert book.worksheets[1].max_row == 2  # one payment
    body = api_as(personnel).get("/api/v1/training-budgets/", {"year": YEAR}).json()
    assert {r["organization_name"]: r["spent"] for r in body}["Đoàn phường Sài Gòn"] == 6_000_000
    assert api_as(personnel).get("/api/v1/attraction-payments/").json()["results"][0]["amount"] == 65_000_000
    client.post(reverse("training-budgets"), {"organization": org_tree.ward_b.pk, "year": YEAR, "amount": "2.000.000"})
    assert {r["organization"].code: r["budget"] for r in selectors.budgets(personnel, YEAR)}["W-B"] == 2_000_000
    client.force_login(make_user(Role.OFFICER, org_tree.city, username="off_money"))
    assert client.get(reverse("training-budgets")).status_code == 403
    assert client.get(reverse("training-attraction")).status_code == 403


def test_the_attraction_page(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personnel)
    page = client.get(reverse("training-attraction")).content.decode()
    assert "150.000.000 đ" in page and "seeds/004" in page
    person = cadre(org_tree.ward_a, "Phan Thạc Sĩ")
    client.post(reverse("training-attraction"), {"action": "record", "candidate": person.pk,
                                                 "organization": org_tree.ward_a.pk, "degree": "bsck1_thsbs",
                                                 "paid_on": "31/02/2026", "years": "5"})
    assert not AttractionPayment.objects.exists()  # the impossible day is refused
    client.post(reverse("training-attraction"), {"action": "record", "candidate": person.pk,
                                                 "organization": org_tree.ward_a.pk, "degree": "bsck1_thsbs",
                                                 "paid_on": "01/03/2026", "years": "5"})
    assert AttractionPayment.objects.get().amount == 45_000_000


def test_a_merge_carries_courses_payments_and_evaluations(org_tree, personnel, admin_user) -> None:  # type: ignore[no-untyped-def]
    from evaluation import services as evaluation
    from evaluation.defaults import install as install_form
    from evaluation.models import EvaluationForm, RaterAssignment
    from talent import services as talent_services
    from training.models import Enrolment

    install_form(EvaluationForm)
    keep, drop = cadre(org_tree.ward_a, "Hà Văn Gộp"), cadre(org_tree.ward_a, "Hà Văn Gộp")
    course = services.course_create(actor=personnel, organization=org_tree.ward_a, title="Kỹ năng lãnh đạo",
                                    kind="leadership", provider="Trường Chính trị", starts_on=dt.date(YEAR, 4, 1),
                                    ends_on=dt.date(YEAR, 4, 5), seats=10)
    for person in (keep, drop):
        services.enrol(actor=personnel, course=course, candidate=person)
    services.payment_record(actor=personnel, candidate=drop, organization=org_tree.ward_a, degree="ts",
                            paid_on=dt.date(YEAR, 2, 1), commitment_years=5)
    cycle = evaluation.cycle_create(actor=personnel, kind="yearly", period=str(YEAR), organization=org_tree.ward_a,
                                    deadline=dt.date.today() + dt.timedelta(days=5))
    for person in (keep, drop):
        evaluation.assign(actor=personnel, cycle=cycle, candidate=person, rater=personnel, rater_as="committee")
    talent_services.candidate_merge(keep=keep, drop=drop, actor=admin_user)
    assert list(Enrolment.objects.values_list("candidate_id", flat=True)) == [keep.pk]
    assert AttractionPayment.objects.get().candidate_id == keep.pk
    assert list(RaterAssignment.objects.values_list("candidate_id", flat=True)) == [keep.pk]


def test_the_record_shows_courses_and_payment_to_the_person_and_planners(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    from accounts.services import user_create

    person = cadre(org_tree.ward_a, "Mai Thị Học")
    account = user_create(actor=None, username="mai_hoc", password="Mat-khau-2026-dai", role=Role.STUDENT,
                          candidate=person)
    course = services.course_create(actor=personnel, organization=org_tree.ward_a, title="Kỹ năng lãnh đạo",
                                    kind="leadership", provider="Trường Chính trị", starts_on=dt.date(YEAR, 4, 1),
                                    ends_on=dt.date(YEAR, 4, 5), seats=10)
    services.enrol(actor=personnel, course=course, candidate=person)
    services.payment_record(actor=personnel, candidate=person, organization=org_tree.ward_a, degree="ts",
                            paid_on=dt.date(YEAR, 2, 1), commitment_years=5)
    url = reverse("candidate-detail", args=[person.pk])
    for user in (personnel, account):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'id="training-section"' in page and "100.000.000 đ" in page and "Kỹ năng lãnh đạo" in page
    client.force_login(make_user(Role.OFFICER, org_tree.city, username="off_record"))
    assert 'id="training-section"' not in client.get(url).content.decode()
