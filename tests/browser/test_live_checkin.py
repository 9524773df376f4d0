"""Two browsers against a real ASGI server: the organizer watches the live dashboard while an attendee
checks in with the code shown on it; the attended counter changes without a reload. Then the live Q&A:
a question goes from the attendee's phone to the moderator and, once approved, back to every screen.

pytest-django's ``live_server`` is a WSGI server and cannot answer WebSockets, so ``asgi_server``
runs Daphne (``config.asgi:application``, as ``manage.py serve`` does) in a subprocess on a free port:

- the test data is created first, in the test database; on PostgreSQL the server connects to that
  same test database; on SQLite (an in-memory test database, invisible to another process) it gets a
  copy made with ``VACUUM INTO``, so the assertions go through the pages and the server's own JSON;
- the channel layer is the server's in-memory one (REDIS_URL is removed from its environment): every
  write that publishes happens inside the server, through HTTP, as it would in production;
- the browsers sign in with session cookies created here (the test settings hash passwords with MD5,
  which the server's settings do not accept, so a login form would not work).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from clubs import services
from clubs.models import Event
from talent.models import Role
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_database_url(tmp_path: Path) -> str:
    connection = connections["default"]
    if connection.vendor == "sqlite":
        copy = tmp_path / "live-server.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        return f"sqlite:///{copy}"
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def asgi_server(room, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Daphne serving the app on a free port against the test data; yields its base URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DATABASE_URL=_server_database_url(tmp_path), DJANGO_SETTINGS_MODULE="config.settings",
               DEBUG="1", ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING")
    log = (tmp_path / "daphne.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                "config.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"daphne exited: {(tmp_path / 'daphne.log').read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("daphne did not answer within 30 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def room(org_tree, officer) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    starts = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    event = services.event_create(actor=officer, title="Đối thoại: Thanh niên với chuyển đổi số",
                                  kind=Event.Kind.DIALOGUE, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                  capacity=30, organization=org_tree.city, place="Nhà Văn hoá Thanh niên")
    mai = make_user(Role.STUDENT, org_tree.faculty, username="sv_mai", first_name="Mai", last_name="Trần Thị")
    services.event_register(event=event, user=mai)
    return SimpleNamespace(event=event, officer=officer, mai=mai,
                           cookies={"officer": _session(officer), "mai": _session(mai)})


def _session(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _context(browser, base: str, session: str, problems: list[str]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    page = context.new_page()
    page.on("request", lambda req: None if req.url.startswith(LOCAL) else problems.append(f"outside: {req.url}"))
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return context, page


def test_attendee_checks_in_and_the_dashboard_counts_it_live(browser, asgi_server, room) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    problems: list[str] = []
    organizer_context, dashboard = _context(browser, asgi_server, room.cookies["officer"], problems)
    attendee_context, phone = _context(browser, asgi_server, room.cookies["mai"], problems)
    try:
        dashboard.goto(f"{asgi_server}/events/{room.event.pk}/live/")
        expect(dashboard.locator("h1")).to_have_text(room.event.title)
        expect(dashboard.locator("[data-live-status]")).to_have_text("Đang cập nhật trực tiếp")
        expect(dashboard.locator("#count-attended")).to_have_text("0")
        expect(dashboard.locator('[data-count="seated"]')).to_have_text("1")
        # The code on screen is the server's (code.json), six digits.
        expect(dashboard.locator("#checkin-code")).to_have_text(re.compile(r"^\d{6}$"))
        code = dashboard.locator("#checkin-code").inner_text()
        dashboard.evaluate("window.__sameDocument = true")

        # The attendee, on her phone, types the code shown in the room.
        phone.set_viewport_size({"width": 390, "height": 800})
        phone.goto(f"{asgi_server}/events/{room.event.pk}/qa/")
        expect(phone.locator("[data-live-status]")).to_have_text("Đang cập nhật trực tiếp")
        phone.fill("#checkin-code", code)
        phone.get_by_role("button", name="Điểm danh").click()
        expect(phone.locator("[data-checked-in]")).to_be_visible()
        expect(phone.locator("[data-checkin-box]")).to_have_count(0)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390

        # The organizer's dashboard follows without a reload.
        expect(dashboard.locator("#count-attended")).to_have_text("1", timeout=5000)
        expect(dashboard.locator("#checkin-list li").first).to_contain_text("Mai Trần Thị")
        expect(dashboard.locator("#checkin-list li").first).to_contain_text("Tự check-in")
        assert dashboard.evaluate("window.__sameDocument") is True

        # The server agrees (its own JSON, the catch-up a reconnecting dashboard uses).
        state = dashboard.evaluate(f"fetch('/events/{room.event.pk}/live/state.json').then(r => r.json())")
        assert state["counts"]["attended"] == 1 and state["checkins"][0]["method"] == "self"
        # The same code cannot be used twice.
        response = phone.request.post(f"{asgi_server}/events/{room.event.pk}/qa/check-in/",
                                      form={"code": code}, headers={"Accept": "application/json",
                                                                    "X-CSRFToken": _csrf(phone)})
        assert response.status == 400 and "đã check-in" in response.json()["error"]
        assert not problems, problems
    finally:
        organizer_context.close()
        attendee_context.close()


def test_question_travels_from_phone_to_moderator_to_every_screen(browser, asgi_server, room) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    problems: list[str] = []
    moderator_context, moderator = _context(browser, asgi_server, room.cookies["officer"], problems)
    attendee_context, phone = _context(browser, asgi_server, room.cookies["mai"], problems)
    projector = moderator_context.new_page()
    projector.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        qa_url = f"{asgi_server}/events/{room.event.pk}/qa/"
        moderator.goto(qa_url)
        projector.goto(f"{qa_url}screen/")
        phone.goto(qa_url)
        for page in (moderator, projector, phone):
            expect(page.locator("[data-live-status]")).to_have_text("Đang cập nhật trực tiếp")
        expect(projector.locator(".screen-qr svg")).to_be_visible()
        expect(projector.locator("[data-code]")).to_have_text(re.compile(r"^\d{6}$"))

        phone.fill("#question-text", "Thành phố có chương trình học bổng chuyển đổi số cho sinh viên không?")
        phone.get_by_role("button", name="Gửi câu hỏi").click()
        mine = phone.locator('[data-list="pending"] .qa-item')
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text("Câu hỏi của bạn")

        # The moderator sees it arrive, pending, and approves it.
        pending = moderator.locator('[data-list="pending"] .qa-item')
        expect(pending).to_contain_text("học bổng chuyển đổi số", timeout=5000)
        expect(projector.locator("#screen-list li")).to_have_count(0)
        pending.get_by_role("button", name="Duyệt").click()

        # Every open screen follows: the projector, the attendee's phone, the moderator's list.
        expect(projector.locator("#screen-list li")).to_contain_text("học bổng chuyển đổi số", timeout=5000)
        approved_on_phone = phone.locator('[data-list="approved"] .qa-item')
        expect(approved_on_phone).to_contain_text("học bổng chuyển đổi số", timeout=5000)
        expect(phone.locator('[data-list="pending"] .qa-item')).to_have_count(0)

        # A vote from the phone shows on the projector.
        approved_on_phone.get_by_role("button", name="Bình chọn").click()
        expect(approved_on_phone.locator("[data-votes]")).to_have_text("1")
        expect(projector.locator("#screen-list [data-votes]")).to_have_text("1", timeout=5000)

        # Hidden by the moderator: it disappears from the room's screens.
        moderator.locator('[data-list="approved"] .qa-item').get_by_role("button", name="Ẩn").click()
        expect(projector.locator("#screen-list li")).to_have_count(0, timeout=5000)
        expect(phone.locator(".qa-item", has_text="học bổng")).to_have_count(0, timeout=5000)
        expect(moderator.locator('[data-list="hidden"] .qa-item')).to_have_count(1)
        assert not problems, problems
    finally:
        moderator_context.close()
        attendee_context.close()


def _csrf(page) -> str:  # type: ignore[no-untyped-def]
    return next(c["value"] for c in page.context.cookies() if c["name"] == settings.CSRF_COOKIE_NAME)
