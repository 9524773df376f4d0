"""An officer opens the rankings, turns blind mode on (names give way to ranks) and off again, in a
real browser, with no Content-Security-Policy complaint about the bars."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(settings):  # type: ignore[no-untyped-def]
    from scoring.defaults import install_defaults
    from scoring.models import EligibilityRuleSet, Rubric, RubricVersion

    call_command("seed_demo", "--candidates", "150", "--seed", "3", "--yes-demo", stdout=io.StringIO())
    # A transactional test before this one may have flushed what migration 0002 installed.
    install_defaults(Rubric, RubricVersion, EligibilityRuleSet)


def test_officer_turns_blind_mode_on_and_off(live_server, page, demo_city) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))

    page.locator("nav.mainnav summary", has_text="Xếp hạng").click()  # the menu group
    page.get_by_role("link", name="Bảng xếp hạng", exact=True).click()
    expect(page).to_have_url(re.compile(r"/rankings/"))
    page.select_option("#id_rubric", "university-student")
    page.click("#ranking-filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"rubric=university-student"))
    links = page.locator("#ranking-table a.candidate-link")
    expect(links.first).to_be_visible()
    names = links.all_inner_texts()
    assert names and not any(n.startswith("Ứng viên #") for n in names), names
    ranks = page.locator("#ranking-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.rank)")
    # The contributions are drawn: every row has a bar with at least one segment.
    assert page.locator("#ranking-table svg.stack").count() == len(names)
    assert page.locator("#ranking-table svg.stack rect[class^=tone-]").count() >= len(names)

    page.click("#blind-toggle")
    expect(page.locator("#blind-toggle")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#blind-note")).to_be_visible()
    blind = page.locator("#ranking-table a.candidate-link").all_inner_texts()
    # Labelled by place in the list, not by rank: two people tied at one rank stay two labels.
    assert blind == [f"Ứng viên #{place}" for place in range(1, len(ranks) + 1)]
    body = page.locator("body").inner_text()
    assert not [n for n in names if n in body], "a name is still on the page in blind mode"

    # Remembered for the session: the next visit without the parameter is still blind.
    page.goto(f"{live_server.url}/rankings/?rubric=university-student")
    expect(page.locator("#ranking-table a.candidate-link").first).to_have_text("Ứng viên #1")

    page.click("#blind-toggle")
    expect(page.locator("#blind-toggle")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#ranking-table a.candidate-link").first).to_have_text(names[0])
    assert page.locator("#ranking-table a.candidate-link").all_inner_texts() == names
    assert not [m for m in console if "Content Security Policy" in m], console
