"""A student signs in on a phone-sized screen, edits their phone number, withdraws and re-grants
sharing with recruiters, and downloads their data, in a real browser."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from privacy.models import Consent
from privacy.rules import has_consent
from privacy.services import consent_set_own
from talent.models import Candidate, Role
from tests.factories import make_candidate, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sv-pass-2026"
SHARE = Consent.Purpose.SHARE_WITH_RECRUITERS


@pytest.fixture
def mai(org_tree):  # type: ignore[no-untyped-def]
    candidate = make_candidate(org_tree.faculty, "Trần Thị Mai", gender="female", date_of_birth=dt.date(2006, 5, 2),
                               citizen_id="079306001234", email="mai@example.vn", phone="0912345678")
    candidate.user = make_user(Role.STUDENT, org_tree.faculty, username="sv_mai", password=PASSWORD)
    candidate.save(update_fields=["user"])
    consent_set_own(user=candidate.user, purpose=SHARE, granted=True)
    return candidate


def sharing(candidate: Candidate) -> bool:
    return Candidate.objects.filter(pk=candidate.pk).filter(has_consent(SHARE)).exists()


def test_student_edits_phone_withdraws_and_regrants_and_downloads(live_server, page, mai) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # A phone: everything below must work at 375 px.
    page.set_viewport_size({"width": 375, "height": 800})
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/me/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/me/"))
    page.fill("input[name=username]", "sv_mai")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("h1")).to_contain_text("Hồ sơ của tôi")
    expect(page.locator("body")).to_contain_text("079******234")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Contact details: a plain form post and redirect.
    page.fill("#contact input[name=phone]", "0987 654 321")
    page.click("#contact button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu thông tin liên hệ")
    expect(page.locator("#contact input[name=phone]")).to_have_value("0987654321")
    mai.refresh_from_db()
    assert mai.phone == "0987654321"

    # Consent: htmx swaps the section in place.
    row = page.locator(f"#consents [data-purpose={SHARE}]")
    expect(row).to_contain_text("Đang đồng ý")
    row.get_by_role("button", name=re.compile("Rút lại đồng ý")).click()
    expect(page.locator("#consents .alert-success")).to_contain_text("Bạn đã rút lại sự đồng ý")
    expect(page.locator(f"#consents [data-purpose={SHARE}]")).to_contain_text("Chưa đồng ý")
    assert not sharing(mai)
    page.locator(f"#consents [data-purpose={SHARE}]").get_by_role("button", name=re.compile("Đồng ý")).click()
    expect(page.locator("#consents .alert-success")).to_contain_text("Bạn đã đồng ý")
    expect(page.locator(f"#consents [data-purpose={SHARE}]")).to_contain_text("Đang đồng ý")
    assert sharing(mai)
    assert "#consents" not in page.url  # no navigation (the no-JS redirect ends in #consents)

    # Download everything held about me.
    with page.expect_download() as download_info:
        page.click("#download-my-data")
    download = download_info.value
    assert download.suggested_filename == "du-lieu-cua-toi.json"
    with open(download.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["profile"]["full_name"] == "Trần Thị Mai"
    assert data["profile"]["phone"] == "0987654321"
    assert data["consent_state"][SHARE]["granted"] is True

    # The add forms open without overflowing either.
    page.locator("#achievements summary").click()
    expect(page.locator("#achievements input[name=title]")).to_be_visible()
    page.locator("#erasure").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not csp_errors, csp_errors
