"""Layout as a new user meets it, at 1280 × 800 and on a phone (390 × 844), in every role.

- The main menu: every item of every role is reachable without sideways scrolling at 1280 px (groups
  with dropdowns); on the phone it folds behind "Menu" and opens as one column.
- No page scrolls sideways, and no table is cut by its card: at 1280 px every column shows; on the
  phone a table reflows into cards (``.table-cards``) or scrolls inside its card (``.table-wrap``).
- The shortlist board scrolls horizontally inside itself with every column's header in it.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ROLES = ["admin", "officer", "liaison", "recruiter", "student", "personnel"]

# What a table or scroll container may not do: stick out of its card.
CLIPPED = """(strict) => {
  const problems = [];
  for (const table of document.querySelectorAll('main table')) {
    if (!table.offsetParent) continue;  // hidden (a closed <details>)
    const card = table.closest('.card, section, .score-panel');
    if (!card) continue;
    const box = card.getBoundingClientRect();
    let scroller = table.parentElement;
    while (scroller && scroller !== card && getComputedStyle(scroller).overflowX === 'visible') scroller = scroller.parentElement;
    const t = table.getBoundingClientRect();
    if (scroller && scroller !== card) {
      const s = scroller.getBoundingClientRect();
      if (s.right > box.right + 1 || s.left < box.left - 1) problems.push('scroller outside its card: ' + (table.id || table.className));
      // On a desktop screen a table shows all its columns: none hidden behind a sideways scroll.
      if (strict && scroller.scrollWidth > scroller.clientWidth + 1) problems.push('columns hidden at this width: ' + (table.id || table.className) + ' ' + scroller.scrollWidth + ' > ' + scroller.clientWidth);
    } else if (t.right > box.right + 1) {
      problems.push('table cut by its card: ' + (table.id || table.className) + ' ' + Math.round(t.right) + ' > ' + Math.round(box.right));
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) problems.push('page scrolls sideways: ' + doc.scrollWidth + ' > ' + window.innerWidth);
  return problems;
}"""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    return None


@pytest.fixture
def demo_city():  # type: ignore[no-untyped-def]
    call_command("seed_demo", "--candidates", "150", "--seed", "5", "--yes-demo", stdout=io.StringIO())


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _new_page(browser, viewport):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    return context, context.new_page()


def test_every_menu_item_of_every_role_is_reachable_at_1280(live_server, browser, demo_city) -> None:  # type: ignore[no-untyped-def]
    for role in ROLES:
        context, page = _new_page(browser, DESKTOP)
        _sign_in(page, live_server.url, role)
        nav = page.locator("nav.mainnav")
        tops = nav.locator(".mainnav-groups > li > .navgroup-link, .mainnav-groups > li > details > summary")
        assert tops.count() >= 2, role
        for i in range(tops.count()):
            box = tops.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], (role, tops.nth(i).inner_text())
            assert box["y"] + box["height"] < 200, (role, "the menu wraps onto a second line")
        links = 0
        for group in nav.locator("details[data-navgroup]").all():
            group.locator("summary").click()
            for link in group.locator(".navgroup-items a").all():
                box = link.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], (role, link.inner_text())
                links += 1
            page.keyboard.press("Escape")
            assert not group.evaluate("d => d.open"), "Escape closes the dropdown"
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        if role == "admin":
            assert links >= 18  # every page of the administrator, grouped
        context.close()


def test_the_phone_menu_folds_and_opens_as_one_column(live_server, browser, demo_city) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    for role in ("officer", "student"):
        context, page = _new_page(browser, PHONE)
        _sign_in(page, live_server.url, role)
        menu = page.locator("details[data-mainnav]")
        assert not menu.evaluate("d => d.open")
        header_height = page.locator("header.topbar").bounding_box()["height"]
        assert header_height < 200, f"{role}: the folded menu takes {header_height}px"
        page.click(".mainnav-toggle")
        groups = page.locator(".mainnav-groups > li")
        expect(groups.first).to_be_visible()
        xs = {round(groups.nth(i).bounding_box()["x"]) for i in range(groups.count())}
        assert len(xs) == 1, "one column"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        context.close()


PAGES = {
    "officer": ["/", "/candidates/", "/rankings/?rubric=university-student&cohort=all", "/analytics/funnel/",
                "/targets/", "/clubs/", "/events/", "/pools/", "/exams/top/", "/rubrics/", "/imports/"],
    "admin": ["/audit/", "/accounts/users/"],
    "recruiter": ["/", "/rankings/", "/openings/"],
    "student": ["/me/", "/me/score/", "/clubs/", "/events/"],
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_table_is_cut_and_no_page_scrolls_sideways(live_server, browser, demo_city, viewport) -> None:  # type: ignore[no-untyped-def]
    from talent.models import Candidate

    someone = Candidate.objects.filter(user__isnull=True, education__level="university").first()
    pages = {**PAGES, "officer": [*PAGES["officer"], f"/candidates/{someone.pk}/", f"/candidates/{someone.pk}/score/"]}
    problems = []
    for role, paths in pages.items():
        context, page = _new_page(browser, viewport)
        _sign_in(page, live_server.url, role)
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            problems += [f"{role} {path}: {p}" for p in page.evaluate(CLIPPED, viewport == DESKTOP)]
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_shortlist_board_scrolls_inside_itself(live_server, browser, demo_city, viewport) -> None:  # type: ignore[no-untyped-def]
    from openings.models import Opening

    opening = Opening.objects.order_by("pk").first()
    context, page = _new_page(browser, viewport)
    _sign_in(page, live_server.url, "recruiter")
    page.goto(f"{live_server.url}/openings/{opening.pk}/board/")
    page.wait_for_load_state("networkidle")
    columns = page.locator(".board-columns")
    assert columns.count() == 1
    assert columns.evaluate("el => getComputedStyle(el).overflowX") in ("auto", "scroll")
    heads = page.locator(".board-col-head")
    assert heads.count() == 7
    # Every column is reachable by scrolling the board (never the page), header included.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    box = columns.bounding_box()
    for i in range(heads.count()):
        heads.nth(i).scroll_into_view_if_needed()
        head = heads.nth(i).bounding_box()
        assert head["x"] >= box["x"] - 1 and head["x"] + head["width"] <= box["x"] + box["width"] + 1, i
    assert re.search(r"\S", heads.last.inner_text())
    if viewport == DESKTOP:  # at 1280 px all seven columns show at once, headers included
        page.evaluate("document.querySelector('.board-columns').scrollLeft = 0")
        assert columns.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    context.close()
