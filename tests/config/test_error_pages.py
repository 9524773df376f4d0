"""The app's own error pages: what `make run` serves (DEBUG off) instead of Django's debug pages.

Each status has its page, in Vietnamese unless English was chosen, saying what happened and where to
go; the API answers JSON; a student who opens a staff page lands on their own page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config import errors, local_env
from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_an_unknown_page_is_the_apps_404_in_vietnamese(client, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get("/khong-co-trang-nay/")
    body = html(response)
    assert response.status_code == 404 and 'id="error-404"' in body
    assert "Không tìm thấy trang" in body and "Về trang tổng quan" in body
    assert "URLconf" not in body and "Traceback" not in body and "/khong-co-trang-nay/" in body


def test_the_404_is_in_english_when_english_was_chosen(client, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    body = html(client.get("/no-such-page/"))
    assert "Page not found" in body and "Không tìm thấy trang" not in body


def test_a_mistyped_event_qa_url_is_a_plain_404(client, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("event-qa", args=[999_999]))
    assert response.status_code == 404 and 'id="error-404"' in html(response)


def test_a_refusal_says_why(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr_err")
    client.force_login(recruiter)
    response = client.get(reverse("rubric-preview", args=["university-student"]))
    body = html(response)
    assert response.status_code == 403 and 'id="error-403"' in body
    assert "Chỉ quản trị viên và cán bộ Đoàn được sửa bộ tiêu chí." in body


def test_a_student_on_a_staff_page_is_sent_to_their_own_page(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    student = make_user(Role.STUDENT, org_tree.faculty, username="sv_err")
    client.force_login(student)
    response = client.get(reverse("ranking-list"))
    assert response.status_code == 302 and response["Location"] == reverse("me-profile")
    # An action (POST) or an htmx fragment is refused, not redirected.
    assert client.post(reverse("ranking-run"), {"rubric": "x"}).status_code == 403
    assert client.get(reverse("ranking-list"), HTTP_HX_REQUEST="true").status_code == 403


def test_the_api_answers_json_for_an_unknown_path(client, officer) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy trang", "status": 404}


def test_a_disallowed_host_is_the_apps_400(db) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_HOST="evil.example").get("/")
    body = html(response)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in body and "DisallowedHost" not in body


def test_an_old_form_is_the_apps_403_with_what_to_do(officer) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("ranking-run"), {"rubric": "university-student"})
    body = html(response)
    assert response.status_code == 403 and "Hãy tải lại trang rồi gửi lại." in body
    assert "CSRF verification failed" not in body


def test_the_500_page_needs_neither_the_database_nor_a_request_context(db) -> None:  # type: ignore[no-untyped-def]
    response = errors.server_error(RequestFactory().get("/bat-ky/"))
    body = html(response)
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in body and "Về trang tổng quan" in body
    assert errors.server_error(RequestFactory().get("/api/v1/x/")).status_code == 500


def test_an_unhandled_error_is_the_apps_500(officer, settings) -> None:  # type: ignore[no-untyped-def]
    from unittest import mock

    client = Client(raise_request_exception=False)
    client.force_login(officer)
    with mock.patch("scoring.views.rankings._ranking_setup", side_effect=RuntimeError("boom")):
        response = client.get(reverse("ranking-list"))
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in html(response) and "boom" not in html(response)


def test_make_run_serves_with_debug_off_and_its_own_secrets(tmp_path) -> None:
    path = tmp_path / "run.env"
    assert local_env.main(["local_env", str(path)]) == 0
    first = path.read_text()
    assert local_env.main(["local_env", str(path)]) == 0 and path.read_text() == first  # kept, never rewritten
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    values = dict(line.split("=", 1) for line in first.splitlines() if line and not line.startswith("#"))
    assert values["DEBUG"] == "0" and len(values["SECRET_KEY"]) >= 32
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")} | values
    out = subprocess.run([sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
                          "'config.settings'; django.setup(); from django.conf import settings; "
                          "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, sorted(settings.ALLOWED_HOSTS))"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "False False ['127.0.0.1', '[::1]', 'localhost']"
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=1" not in run_recipe and "$(WITH_ENV)" in run_recipe
    assert "seed_demo --if-empty --yes-demo" in makefile and "\ndev:" in makefile
