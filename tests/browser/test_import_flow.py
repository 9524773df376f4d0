"""An officer imports a candidate list in a real browser: upload, watch the check, read the one
error where it is, commit, and see the stored counts — with no CSP complaint on the way."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from talent.models import Candidate, Role
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Nhap-du-lieu-2026"
LIST = ("Họ và tên;Giới tính;Ngày sinh;Email;Điện thoại\n"
        "Nguyễn Văn An;Nam;05/09/2007;an.nguyen@example.com;0912345671\n"
        "Trần Thị Bình;Nữ;31/02/2007;binh.tran@example.com;0912345672\n"
        "Lê Hoàng Cường;Nam;15/01/2007;cuong.le@example.com;\n")


def _worker() -> None:
    """Run the queued jobs. The test database is one in-memory SQLite file shared with the live server's
    thread, which answers the page's polling meanwhile; SQLite's shared cache then refuses the worker's
    exclusive transaction at once ("database table is locked") instead of waiting. A worker polling its
    queue simply tries again on its next pass; so does this one, a few times."""
    import time

    from django.db import OperationalError

    for attempt in range(20):
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload",
                         verbosity=0)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.1)


def test_officer_uploads_checks_and_commits_a_list(live_server, page, org_tree) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    make_user(Role.OFFICER, org_tree.city, username="nhap_officer", password=PASSWORD)
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "nhap_officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".mainnav")).to_contain_text("Nhập dữ liệu")

    page.locator("nav.mainnav summary", has_text="Ứng viên").click()  # the menu group
    page.get_by_role("link", name="Nhập dữ liệu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/imports/$"))
    expect(page.locator("h1")).to_contain_text("Nhập dữ liệu")
    # Choosing exam results hides the receiving unit (CSS only) and shows the year instead.
    page.check("input[name=kind][value=exam_results]")
    expect(page.locator("select[name=organization]")).to_be_hidden()
    expect(page.locator("input[name=year]")).to_be_visible()
    page.check("input[name=kind][value=candidates]")
    expect(page.locator("input[name=year]")).to_be_hidden()
    page.select_option("select[name=organization]", str(org_tree.school_a.pk))
    page.set_input_files("input[name=file]", files=[{"name": "danh-sach-lop-12a1.csv", "mimeType": "text/csv",
                                                     "buffer": LIST.encode("utf-8")}])
    page.click("#upload-form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_contain_text("danh-sach-lop-12a1.csv")
    expect(page.locator("#job-progress")).to_be_visible()

    _worker()
    # The page polls itself: the report replaces the progress panel without a reload.
    expect(page.locator("#import-validated")).to_be_visible(timeout=15000)
    errors = page.locator("#import-errors tr[data-error-row]")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("Ngày sinh")
    expect(errors.first.locator(".error-value")).to_have_text("31/02/2007")
    expect(page.locator("#import-preview")).to_contain_text("Nguyễn Văn An")
    expect(page.locator('[data-count="created"] dd')).to_have_text("2")
    assert not Candidate.objects.exists()

    page.click("#commit-form button[type=submit]")
    expect(page.locator("#job-progress")).to_be_visible()
    _worker()
    expect(page.locator("#import-committed")).to_be_visible(timeout=15000)
    expect(page.locator("#import-state")).to_have_text("Đã ghi")
    expect(page.locator('[data-count="created"] dd')).to_have_text("2")
    expect(page.locator('[data-count="errors"] dd')).to_have_text("1")
    assert sorted(Candidate.objects.values_list("full_name", flat=True)) == ["Lê Hoàng Cường", "Nguyễn Văn An"]

    page.click("#import-committed >> text=Xem danh sách ứng viên")
    expect(page.locator("a.candidate-link")).to_have_count(2)
    csp = [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not csp, csp
