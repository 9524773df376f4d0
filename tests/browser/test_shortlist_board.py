"""A recruiter drags a card on the shortlist board from "Danh sách ngắn" to "Đã liên hệ" in a real
browser; the move is saved (it is still there after a reload) and nothing trips the CSP."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-pass-2026"


@pytest.fixture
def board(org_tree, officer):  # type: ignore[no-untyped-def]
    from openings import services
    from privacy.models import Consent
    from privacy.services import consent_set_own
    from talent import services as talent_services
    from talent.models import Role
    from tests.factories import make_candidate, make_user

    pool = talent_services.pool_create(actor=officer, name="Nguồn tài năng 2026", kind="young_talent",
                                       owner=org_tree.city, shared_with=[org_tree.agency])
    recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr_board", password=PASSWORD)
    opening = services.opening_create(actor=recruiter, title="Chuyên viên chuyển đổi số", kind="job", slots=2)
    entries = []
    for name, username in (("Trần Thị Mai", "mai_b"), ("Phạm Quốc Bảo", "bao_b")):
        person = make_candidate(org_tree.faculty, name, date_of_birth=dt.date(2002, 4, 1))
        student = make_user(Role.STUDENT, org_tree.faculty, username=username)
        person.user = student
        person.save(update_fields=["user"])
        consent_set_own(user=student, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
        talent_services.pool_add(pool=pool, candidate=person, actor=officer)
        entries.append(services.shortlist_add(opening=opening, candidate=person, actor=recruiter))
    return {"opening": opening, "entries": entries, "recruiter": recruiter}


def test_recruiter_drags_a_card_to_contacted(live_server, page, board) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from openings.models import ShortlistEntry

    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "hr_board")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))

    page.locator("nav.mainnav summary", has_text="Tuyển dụng").click()  # the menu group
    page.get_by_role("link", name="Vị trí tuyển dụng", exact=True).click()
    expect(page).to_have_url(re.compile(r"/openings/$"))
    opening = board["opening"]
    page.goto(f"{live_server.url}/openings/{opening.pk}/board/")
    entry = board["entries"][0]
    card = f'.board-card[data-entry="{entry.pk}"]'
    shortlisted = page.locator('.board-col[data-stage="shortlisted"]')
    contacted = page.locator('.board-col[data-stage="contacted"]')
    expect(shortlisted.locator(card)).to_be_visible()
    expect(shortlisted.locator(".board-card")).to_have_count(2)
    expect(contacted.locator(".board-card")).to_have_count(0)
    expect(page.locator("#col-shortlisted")).to_contain_text("Danh sách ngắn")
    expect(page.locator("#col-contacted")).to_contain_text("Đã liên hệ")

    page.locator(card).drag_to(contacted)
    expect(contacted.locator(card)).to_be_visible()
    expect(contacted.locator(card)).to_contain_text("Trần Thị Mai")
    expect(shortlisted.locator(".board-card")).to_have_count(1)
    expect(page.locator("#board-error")).to_have_count(0)
    assert ShortlistEntry.objects.get(pk=entry.pk).stage == "contacted"

    page.reload()
    expect(page.locator('.board-col[data-stage="contacted"]').locator(card)).to_be_visible()
    expect(page.locator('.board-col[data-stage="shortlisted"]').locator(card)).to_have_count(0)

    # Backwards needs a reason: cancelling the prompt leaves the card where it is.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator(card).drag_to(page.locator('.board-col[data-stage="shortlisted"]'))
    expect(page.locator('.board-col[data-stage="contacted"]').locator(card)).to_be_visible()
    assert ShortlistEntry.objects.get(pk=entry.pk).stage == "contacted"

    # Opening the card shows its history in the side panel (htmx).
    page.locator(f"{card} .board-card-name").click()
    expect(page.locator("#card-detail")).to_contain_text("Danh sách ngắn → Đã liên hệ")
    # The live server speaks plain HTTP: the bell's WebSocket is refused there, nothing else may fail.
    assert not [m for m in console if "Content Security Policy" in m
                or (m.startswith("error") and "WebSocket" not in m)], console
