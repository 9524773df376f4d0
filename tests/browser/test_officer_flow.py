"""An officer signs in, searches "nguyen" and opens a candidate, in a real browser."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from core.text import fold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(settings):  # type: ignore[no-untyped-def]
    call_command("seed_demo", "--candidates", "150", "--seed", "3", "--yes-demo", stdout=io.StringIO())


def test_officer_logs_in_searches_and_opens_a_candidate(live_server, page, demo_city) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/candidates/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_contain_text("Đăng nhập")

    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("mật khẩu")

    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/candidates/"))

    page.fill("input[name=search]", "nguyen")
    page.keyboard.press("Enter")
    # htmx swaps the results and then pushes the URL; wait for both before reading the rows.
    expect(page).to_have_url(re.compile(r"search=nguyen"))
    page.wait_for_load_state("networkidle")
    rows = page.locator("tr[data-candidate-id]")
    expect(rows.first).to_be_visible()
    names = page.locator("a.candidate-link").all_inner_texts()
    assert names, "searching 'nguyen' in the demo city should find people"
    assert all("nguyen" in fold(n) for n in names), names

    first = names[0]
    page.locator("a.candidate-link").first.click()
    expect(page).to_have_url(re.compile(r"/candidates/\d+/$"))
    expect(page.locator("h1")).to_contain_text(first)
    expect(page.locator("body")).to_contain_text("Lịch sử giai đoạn")


def test_api_docs_render_from_the_server_alone(live_server, page) -> None:  # type: ignore[no-untyped-def]
    """Swagger UI draws the operations with nothing fetched from outside (the page fixture checks)."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-tag").first).to_be_visible(timeout=15000)
    expect(page.locator("body")).to_contain_text("/api/v1/candidates/")


def test_dashboard_on_a_phone(live_server, browser, demo_city) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "liaison")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_be_visible()
    # Nothing overflows sideways: the page is as wide as the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
