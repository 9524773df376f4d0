"""Succession planning in the browser as a personnel officer meets it, at 1366 × 768 and on a phone
(390 × 844): every succession page fits (no table cut, no sideways scroll), a person is picked by name
and proposed, the yearly review records a decision, and the 9-box shows its nine cells."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.browser.test_layout import CLIPPED, PHONE, _new_page, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def demo_city():  # type: ignore[no-untyped-def]
    call_command("seed_demo", "--candidates", "300", "--seed", "11", "--yes-demo", stdout=io.StringIO())


def _paths() -> list[str]:
    from django.contrib.auth import get_user_model

    from succession.models import PlanMember, PlanReview, SuccessionPlan

    personnel = get_user_model().objects.get(username="personnel")
    plans = SuccessionPlan.objects.for_user(personnel)
    plan = plans.filter(members__status__in=("proposed", "approved")).order_by("pk").first()
    review = PlanReview.objects.for_user(personnel).order_by("pk").first()
    person = PlanMember.objects.filter(plan__in=plans).order_by("pk").first().candidate_id
    return ["/succession/", "/succession/forecast/", "/succession/reviews/", f"/succession/reviews/{review.pk}/",
            f"/succession/reviews/{review.pk}/report/", f"/succession/plans/{plan.pk}/",
            f"/succession/plans/{plan.pk}/nine-box/", "/succession/positions/", "/succession/rotation/",
            f"/succession/fast-track/?candidate={person}&position={plan.position_id}", f"/candidates/{person}/"]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_every_succession_page_fits(live_server, browser, demo_city, viewport) -> None:  # type: ignore[no-untyped-def]
    context, page = _new_page(browser, viewport)
    _sign_in(page, live_server.url, "personnel")
    problems = []
    for path in _paths():
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        problems += [f"{path}: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_pick_a_person_by_name_propose_and_review(live_server, browser, demo_city, viewport) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from succession.models import PlanMember, PlanReview, SuccessionPlan
    from tests.succession.people import cadre

    plan = SuccessionPlan.objects.filter(position__level="youth_union").order_by("pk").first()  # in the city union
    newcomer = cadre(plan.position.organization, "Quách Thị Tuyết Nhung", "female")
    context, page = _new_page(browser, viewport)
    _sign_in(page, live_server.url, "personnel")
    page.goto(f"{live_server.url}/succession/plans/{plan.pk}/")
    page.fill("#picker-q", "tuyet nhung")
    choice = page.locator("#picker-choice select[name=candidate]")
    expect(choice).to_be_visible()
    assert choice.locator("option").first.inner_text().startswith("Quách Thị Tuyết Nhung")
    page.select_option("#propose-form select[name=readiness]", "1_2_years")
    page.click("#propose-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Quách Thị Tuyết Nhung")
    member = PlanMember.objects.get(plan=plan, candidate=newcomer)
    assert member.status == "proposed"

    # The yearly review of this plan: keep the newcomer.
    review = PlanReview.objects.get(plan=plan, year=PlanReview.objects.order_by("-year").first().year)
    if review.status == "signed":
        return context.close()  # the demo signed this one already: nothing left to decide
    page.goto(f"{live_server.url}/succession/reviews/{review.pk}/")
    row = page.locator(f"#member-{member.pk}")
    if not row.locator("details").evaluate("d => d.open"):
        row.locator("summary").click()
    row.locator("select[name=action]").select_option("keep")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#member-{member.pk}")).to_have_attribute("data-decided", "kept")

    page.goto(f"{live_server.url}/succession/plans/{plan.pk}/nine-box/")
    expect(page.locator("#nine-box .cell")).to_have_count(9)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    context.close()
