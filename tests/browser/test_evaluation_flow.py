"""Cadre evaluation in the browser, at 1366 × 768 and on a phone (390 × 844): a personnel officer creates
a cycle, assigns the default raters and opens it; a young cadre sends their own sheet from their phone;
every page fits (no table cut, no sideways scroll)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_layout import CLIPPED, PHONE, _new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PASSWORD = "Demo-pass-2026"


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_run_a_cycle_and_send_a_sheet(live_server, browser, org_tree, personnel, viewport) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from accounts.services import user_create
    from evaluation.defaults import install
    from evaluation.models import Evaluation, EvaluationCycle, EvaluationForm
    from talent.models import Role
    from tests.factories import make_candidate

    install(EvaluationForm)  # the migration's form; a transactional test before this one flushed it
    cadre = make_candidate(org_tree.ward_a, "Hồ Thị Cán Bộ", gender="female", date_of_birth=dt.date(1995, 2, 2),
                           stage="recruited")
    user_create(actor=None, username="canbo_tre", password=PASSWORD, role=Role.STUDENT, candidate=cadre)
    problems: list[str] = []

    context, page = _new_page(browser, viewport)
    _sign_in(page, live_server.url, "personnel_t")
    page.goto(f"{live_server.url}/evaluations/")
    page.select_option("#cycle-form select[name=kind]", "monthly")
    page.fill("#cycle-form input[name=period]", f"{dt.date.today():%Y-%m}")
    page.select_option("#cycle-form select[name=organization]", str(org_tree.ward_a.pk))
    page.fill("#cycle-form input[name=deadline]", (dt.date.today() + dt.timedelta(days=7)).strftime("%d/%m/%Y"))
    page.click("#cycle-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    cycle = EvaluationCycle.objects.get()
    assert page.url.endswith(f"/evaluations/{cycle.pk}/")
    page.click("button[value=defaults]")
    page.wait_for_load_state("networkidle")
    page.click("button[value=open]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#cycle-status")).to_have_text("Đang đánh giá")
    problems += [f"cycle: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    page.goto(f"{live_server.url}/evaluations/")
    problems += [f"list: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    context.close()

    context, page = _new_page(browser, viewport)
    _sign_in(page, live_server.url, "canbo_tre")
    page.goto(f"{live_server.url}/evaluations/mine/")
    page.click(f"a[href='/evaluations/{cycle.pk}/rate/{cadre.pk}/']")
    page.wait_for_load_state("networkidle")
    for key in ("politics", "capacity", "results", "discipline"):
        page.fill(f"#score-{key}", "9")
    problems += [f"sheet: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    page.click("#rate-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/evaluations/mine/")
    assert Evaluation.objects.filter(cycle=cycle, candidate=cadre, rater_as="self").exists()
    problems += [f"mine: {p}" for p in page.evaluate(CLIPPED, viewport == LAPTOP)]
    context.close()
    assert not problems, "\n".join(problems)
