"""The Content-Security-Policy blocks nothing the app needs: pages, htmx swaps, Swagger UI and the
admin run in Chromium with no "Content Security Policy" message in the console."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(settings):  # type: ignore[no-untyped-def]
    call_command("seed_demo", "--candidates", "120", "--seed", "5", "--yes-demo", stdout=io.StringIO())


@pytest.fixture
def console(page):  # type: ignore[no-untyped-def]
    """Every console message and page error, as text."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def _csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")


def test_pages_htmx_and_api_docs_run_under_the_policy(live_server, page, console, demo_city) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _sign_in(page, live_server.url, "officer")
    expect(page).to_have_url(re.compile(r"/$"))
    response = page.goto(f"{live_server.url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The bars keep their lengths without style="": the longest is as wide as its track.
    bars = page.locator("#chart-stage .bar-fill")
    expect(bars.first).to_be_visible()
    widths = page.eval_on_selector_all("#chart-stage .bar-fill", "els => els.map(e => e.getBoundingClientRect().width)")
    track = page.eval_on_selector("#chart-stage .bar-track", "e => e.getBoundingClientRect().width")
    assert max(widths) == pytest.approx(track, abs=1) and min(widths) >= 0
    # htmx did not inject its indicator <style> (it would be refused).
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    page.goto(f"{live_server.url}/candidates/")
    expect(page.locator("tr[data-candidate-id]").first).to_be_visible()
    stage = page.locator("#candidate-filters select[name=stage]")
    stage.select_option(index=1)
    chosen = stage.input_value()
    # The select's change event alone (no submit) makes htmx fetch, swap and push the URL.
    expect(page).to_have_url(re.compile(rf"stage={chosen}"))
    page.wait_for_load_state("networkidle")
    typed = page.locator("input[name=search]")
    typed.fill("nguyen")
    expect(page).to_have_url(re.compile(r"search=nguyen"))
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-tag").first).to_be_visible(timeout=15000)
    expect(page.locator("body")).to_contain_text("/api/v1/candidates/")

    assert not _csp_violations(console), console


def test_admin_runs_under_the_policy(live_server, page, console, demo_city) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _sign_in(page, live_server.url, "admin")
    for path in ("/admin/", "/admin/talent/candidate/", "/admin/talent/organization/add/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
    # The admin's own scripts work: the sidebar filter narrows the model list.
    page.goto(f"{live_server.url}/admin/talent/candidate/")
    nav_filter = page.locator("#nav-filter")
    if nav_filter.count():
        nav_filter.fill("zzzz-none")
    assert not _csp_violations(console), console


def test_lockout_page_renders_under_the_policy(live_server, page, console, demo_city, settings) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    settings.AXES_FAILURE_LIMIT = 2
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(2):
        page.fill("input[name=username]", "liaison")
        page.fill("input[name=password]", "sai")
        page.click("button[type=submit]")
    expect(page.locator("[data-lockout]")).to_contain_text("Tài khoản tạm khoá do đăng nhập sai nhiều lần")
    expect(page.locator("h1")).to_contain_text("Tài khoản tạm khoá")
    assert not _csp_violations(console), console


@pytest.mark.parametrize("username", ["officer", "recruiter", "student"])
def test_every_main_page_runs_under_the_policy(live_server, page, console, demo_city, username) -> None:  # type: ignore[no-untyped-def]
    """The pages of scoring, clubs, events, surveys, openings, targets and the funnel, as each role that
    uses them: no CSP violation in the console, and no inline <style> injected."""
    pages = {
        "officer": ["/rankings/", "/rubrics/", "/eligibility/", "/potential-model/", "/contests/", "/clubs/",
                    "/events/", "/surveys/", "/notifications/", "/openings/", "/targets/", "/analytics/funnel/",
                    "/imports/", "/exams/top/"],
        "recruiter": ["/openings/", "/rankings/", "/events/", "/clubs/"],
        "student": ["/me/score/", "/clubs/", "/events/", "/surveys/", "/notifications/", "/openings/"],
    }[username]
    _sign_in(page, live_server.url, username)
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 400, (path, response and response.status)
        assert page.evaluate("document.querySelectorAll('style').length") == 0, path
    assert _csp_violations(console) == []
