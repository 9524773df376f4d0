"""Training in the browser at 1366 × 768 and 390 × 844: a personnel officer adds a course, sends someone,
and every training page fits (no table cut, no sideways scroll)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_evaluation_flow import LAPTOP, _sign_in
from tests.browser.test_layout import CLIPPED, PHONE, _new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_training_pages_fit(live_server, browser, org_tree, personnel, viewport) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from tests.succession.people import cadre
    from training import services
    from training.defaults import install
    from training.models import AttractionRuleSet, Enrolment

    install(AttractionRuleSet)
    from scoring.defaults import install_defaults
    from scoring.models import EligibilityRuleSet, Rubric, RubricVersion

    install_defaults(Rubric, RubricVersion, EligibilityRuleSet)  # the migration's rubrics (flushed since)
    from talent.models import Candidate

    Candidate.objects.filter(pk=cadre(org_tree.ward_b, "Lý Văn Đề Cử").pk).update(stage="recruited")
    person = cadre(org_tree.ward_a, "Đoàn Thị Học Viên", "female")
    year = dt.date.today().year
    services.budget_set(actor=personnel, organization=org_tree.city, year=year, amount=300_000_000)
    services.payment_record(actor=personnel, candidate=cadre(org_tree.ward_a, "Võ Tiến Sĩ"), organization=org_tree.city,
                            degree="ts", paid_on=dt.date(year, 1, 5), commitment_years=5)
    context, page = _new_page(browser, viewport)
    _sign_in(page, live_server.url, "personnel_t")
    page.goto(f"{live_server.url}/training/")
    page.fill("#course-form input[name=title]", "Bồi dưỡng kỹ năng lãnh đạo, quản lý")
    page.select_option("#course-form select[name=kind]", "leadership")
    page.fill("#course-form input[name=provider]", "Trường Chính trị thành phố")
    page.select_option("#course-form select[name=organization]", str(org_tree.city.pk))
    page.fill("#course-form input[name=starts_on]", f"01/03/{year}")
    page.fill("#course-form input[name=ends_on]", f"15/03/{year}")
    page.fill("#course-form input[name=seats]", "20")
    page.fill("#course-form input[name=cost_per_person]", "2500000")
    page.click("#course-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Bồi dưỡng kỹ năng lãnh đạo, quản lý")
    page.fill("#enrol-form input[name=candidate]", str(person.pk))
    page.click("#enrol-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Enrolment.objects.filter(candidate=person).exists()
    # The committee's ranked list of the unit's cadres by the young-cadre rubric, with its criteria.
    page.select_option("#nomination-form select[name=pool]", "unit")
    page.click("#nomination-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#nomination-table tbody tr")).to_have_count(1)
    expect(page.locator("#nomination-criteria li")).to_have_count(6)
    problems = [f"course: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    for path in ("/training/", "/training/compliance/", "/training/attraction/", f"/training/budgets/?year={year}",
                 "/targets/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        problems += [f"{path}: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    context.close()
    assert not problems, "\n".join(problems)
