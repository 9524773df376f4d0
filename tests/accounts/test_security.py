"""Login hardening and HTTP security: argon2, lockouts (page and API), the login audit, security
headers and the Content-Security-Policy, cookie and HSTS settings, API throttling."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.models import AuditEvent
from talent.models import Role
from tests.factories import make_candidate, make_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Đúng-mật-khẩu-2026"
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
LOCKED_VI = "Tài khoản tạm khoá do đăng nhập sai nhiều lần"


@pytest.fixture(autouse=True)
def _fresh_throttles():  # type: ignore[no-untyped-def]
    """Throttle counters live in the (process-local) cache; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(org_tree):  # type: ignore[no-untyped-def]
    return make_user(Role.OFFICER, org_tree.city, username="member_t", password=PASSWORD)


def _login(client, username: str, password: str, ip: str = "10.1.1.1"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _token(username: str, password: str, ip: str = "10.2.2.2", **extra):  # type: ignore[no-untyped-def]
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json",
                            REMOTE_ADDR=ip, **extra)


def _logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


# --- Password hashing --------------------------------------------------------------------------------


def test_the_real_settings_hash_with_argon2_and_upgrade_old_hashes(member) -> None:  # type: ignore[no-untyped-def]
    """tests/conftest.py swaps in MD5 for speed; the project's own settings put Argon2 first."""
    from django.contrib.auth.hashers import check_password, identify_hasher, make_password
    from django.test import override_settings

    import config.settings as project

    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in project.PASSWORD_HASHERS[1:]
    with override_settings(PASSWORD_HASHERS=project.PASSWORD_HASHERS):
        encoded = make_password("Mật-khẩu-mới-1")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("Mật-khẩu-mới-1", encoded) and not check_password("sai", encoded)

        # A PBKDF2 hash from before still works, and is rewritten as argon2 at the next login.
        member.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        member.save(update_fields=["password"])
        assert member.check_password(PASSWORD)
        member.refresh_from_db()
        assert identify_hasher(member.password).algorithm == "argon2"


# --- Lockout on the login page ------------------------------------------------------------------------


def test_login_page_locks_the_pair_after_five_failures_even_for_the_right_password(client, member,
                                                                                    settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = _login(client, "member_t", "sai-mat-khau")
        assert response.status_code == 200
        assert "không đúng" in response.content.decode() or "mật khẩu" in response.content.decode()
    fifth = _login(client, "member_t", "sai-mat-khau")
    assert fifth.status_code == 429
    html = fifth.content.decode()
    assert LOCKED_VI in html and "15 phút" in html
    assert "<h1" in html and 'href="/accounts/login/"' in html  # our page, not a bare axes answer
    assert fifth["Retry-After"] == "900"

    right = _login(client, "member_t", PASSWORD)
    assert right.status_code == 429 and LOCKED_VI in right.content.decode()
    assert not _logged_in(client)

    # The lock is on the pair: the same account from another address, and another account from this
    # address, still sign in.
    assert _login(client, "member_t", PASSWORD, ip="10.9.9.9").status_code == 302
    client.logout()
    make_user(Role.OFFICER, None, username="colleague_t", password=PASSWORD)
    assert _login(client, "colleague_t", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, member) -> None:  # type: ignore[no-untyped-def]
    from axes.models import AccessAttempt
    from django.db.models import F

    for _ in range(5):
        _login(client, "member_t", "sai")
    assert _login(client, "member_t", PASSWORD).status_code == 429
    # Attempts refused during the lockout neither count nor extend it.
    assert AccessAttempt.objects.get().failures_since_start == 5
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=16))
    assert _login(client, "member_t", PASSWORD).status_code == 302 and _logged_in(client)


def test_a_success_before_the_limit_resets_the_count(client, member) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        _login(client, "member_t", "sai")
    assert _login(client, "member_t", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "member_t", "sai").status_code == 200
    assert _login(client, "member_t", PASSWORD).status_code == 302


def test_admin_login_is_covered_too(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.ADMIN, org_tree.city, username="boss_t", password=PASSWORD)
    for _ in range(5):
        last = client.post("/admin/login/", {"username": "boss_t", "password": "sai"}, REMOTE_ADDR="10.3.3.3")
    assert last.status_code == 429 and LOCKED_VI in last.content.decode()
    ok = client.post("/admin/login/", {"username": "boss_t", "password": PASSWORD}, REMOTE_ADDR="10.3.3.3")
    assert ok.status_code == 429 and not _logged_in(client)


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(client, member, settings, rf) -> None:  # type: ignore[no-untyped-def]
    from accounts.security import client_ip

    # A client cannot escape the lockout by inventing X-Forwarded-For headers.
    for n in range(5):
        last = client.post(LOGIN, {"username": "member_t", "password": "sai"}, REMOTE_ADDR="10.4.4.4",
                           HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert last.status_code == 429

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 5  # more proxies than entries: the leftmost entry
    assert client_ip(request) == "203.0.113.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_authenticate_without_a_request_still_works(member) -> None:  # type: ignore[no-untyped-def]
    """The test client's login() and shell code call authenticate() with no request."""
    from django.contrib.auth import authenticate

    assert authenticate(username="member_t", password=PASSWORD) == member
    assert authenticate(username="member_t", password="sai") is None


# --- Lockout on the API token endpoint -----------------------------------------------------------------


def test_token_endpoint_locks_out_with_a_clear_json_answer(member) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        response = _token("member_t", "sai")
        assert response.status_code == 400 and "không đúng" in response.json()["non_field_errors"][0]
    fifth = _token("member_t", "sai")
    assert fifth.status_code == 429
    assert fifth["Content-Type"].startswith("application/json")
    assert fifth.json() == {"detail": "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Hãy thử lại sau 15 phút."}
    assert fifth["Retry-After"] == "900"

    right = _token("member_t", PASSWORD)
    assert right.status_code == 429 and "token" not in right.json()
    # Another address is not affected.
    assert _token("member_t", PASSWORD, ip="10.2.2.3").status_code == 200


def test_token_success_resets_the_count_and_page_and_api_share_it(client, member) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        _token("member_t", "sai", ip="10.5.5.5")
    assert _token("member_t", PASSWORD, ip="10.5.5.5").status_code == 200
    for _ in range(4):
        assert _token("member_t", "sai", ip="10.5.5.5").status_code == 400
    # The fifth failure in a row, this time on the page, from the same address: locked.
    assert _login(client, "member_t", "sai", ip="10.5.5.5").status_code == 429
    assert _token("member_t", PASSWORD, ip="10.5.5.5").status_code == 429


def test_failure_limit_follows_the_setting(client, member, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    assert _login(client, "member_t", "sai").status_code == 200
    assert _login(client, "member_t", "sai").status_code == 429


# --- Login audit ------------------------------------------------------------------------------------------


def test_logins_failures_and_lockouts_are_audited_without_the_password(client, member) -> None:  # type: ignore[no-untyped-def]
    assert _login(client, "member_t", PASSWORD).status_code == 302
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == member and login.object_type == "auth.user" and login.object_id == str(member.pk)
    assert login.changes == {"ip": "10.1.1.1", "via": "web"}
    client.logout()

    for _ in range(5):
        _login(client, "member_t", "Bí-mật-sai")
    _login(client, "member_t", PASSWORD)  # refused during the lockout
    _login(client, "member_t", "Bí-mật-sai")  # refused during the lockout

    failed = list(AuditEvent.objects.filter(action="auth.login_failed").order_by("id"))
    assert len(failed) == 7
    assert all(e.actor is None and e.object_id == str(member.pk) for e in failed)
    assert failed[0].changes == {"ip": "10.1.1.1", "via": "web", "locked_out": False}
    assert [e.changes["locked_out"] for e in failed] == [False] * 4 + [True] * 3
    locked = AuditEvent.objects.get(action="auth.locked_out")  # one row per lockout, not per refusal
    assert locked.object_id == str(member.pk) and locked.actor is None
    assert locked.changes == {"ip": "10.1.1.1", "via": "web", "failures": 5}
    assert AuditEvent.objects.filter(action="auth.login").count() == 1

    dumped = json.dumps([e.changes for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert "Bí-mật-sai" not in dumped and PASSWORD not in dumped


def test_unknown_usernames_and_api_logins_are_audited(member) -> None:  # type: ignore[no-untyped-def]
    assert _token("ghost-" + "x" * 300, "sai").status_code == 400  # longer than any username
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()
    _token("ghost-nobody", "sai")
    ghost = AuditEvent.objects.get(action="auth.login_failed")
    assert ghost.object_type == "auth.user" and ghost.object_id == ""
    assert ghost.changes["username"] == "ghost-nobody" and ghost.changes["via"] == "api"
    _token("member_t", "sai")
    known = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
    assert known.object_id == str(member.pk) and "username" not in known.changes

    assert _token("member_t", PASSWORD).status_code == 200
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == member and login.changes == {"ip": "10.2.2.2", "via": "api"}
    member.refresh_from_db()
    assert member.last_login is not None


# --- Security headers and the Content-Security-Policy -----------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_pages_carry_the_security_headers(client, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    for url in (LOGIN, "/", "/candidates/"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = _directives(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"] and csp["img-src"] == ["'self'", "data:"]
        assert csp["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
        assert csp["form-action"] == ["'self'"] and csp["base-uri"] == ["'self'"]
        assert "unsafe" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_and_lockout_answers_carry_the_headers_too(client, member) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        locked = _login(client, "member_t", "sai")
    api = _token("member_t", "sai")
    for response in (locked, api):
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_websocket_host_follows_the_request(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["ytp.example"]
    response = client.get(LOGIN, HTTP_HOST="ytp.example:8443")
    assert "ws://ytp.example:8443 wss://ytp.example:8443" in response["Content-Security-Policy"]
    # A host Django refuses is answered 400 without a crash, and no such host enters the policy.
    bad = client.get(LOGIN, HTTP_HOST="evil.example")
    assert bad.status_code == 400
    assert "evil.example" not in bad.get("Content-Security-Policy", "")


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
TRIGGER_FILTER = re.compile(r"""hx-trigger\s*=\s*["'][^"']*\[""", re.I)


def _assert_csp_clean(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> in {where}"
    assert not INLINE_STYLE.search(html), f"inline style in {where}: {INLINE_STYLE.search(html)}"
    assert not EVENT_HANDLER.search(html), f"inline event handler in {where}"
    # htmx evaluates trigger filters ("change[...]") with Function(), which script-src 'self' forbids.
    assert not TRIGGER_FILTER.search(html), f"hx-trigger filter in {where}"


def test_no_template_needs_inline_code() -> None:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", "", text, flags=re.S)
        _assert_csp_clean(text, str(path.relative_to(ROOT)))


def test_rendered_pages_have_no_inline_code_and_bars_keep_their_length(client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    make_candidate(org_tree.school_a, "Nguyễn Văn An")
    make_candidate(org_tree.school_b, "Trần Thị Bình", gender="female")
    client.force_login(officer)
    for url in ("/", "/candidates/", "/pools/", LOGIN):
        html = client.get(url).content.decode()
        _assert_csp_clean(html, url)
    dashboard = client.get("/").content.decode()
    assert "pct-100" in dashboard  # the longest bar is full length
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in dashboard


def test_job_progress_bar_uses_a_width_class() -> None:
    from django.template.loader import render_to_string

    from core.models import Job

    html = render_to_string("core/_job_progress.html", {"job": Job(kind="x", status="running", done=4, total=10)})
    assert 'class="progress-bar pct-40"' in html and "style=" not in html
    html = render_to_string("core/_job_progress.html", {"job": Job(kind="x", status="queued")})
    assert 'class="progress-bar pct-0"' in html


def test_every_width_class_exists_in_the_stylesheet() -> None:
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    for n in range(101):
        assert f".pct-{n}{{width:{n}%}}" in css, n
    assert ".htmx-request .htmx-indicator" in css


def test_api_docs_work_under_the_policy(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/docs/")
    assert page.status_code == 200 and "Content-Security-Policy" in page
    html = page.content.decode()
    _assert_csp_clean(html, "/api/docs/")
    script_url = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html)
    assert script_url, html
    script = client.get(script_url.group(1).replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_admin_pages_have_no_inline_code(client, admin_user) -> None:  # type: ignore[no-untyped-def]
    for url in ("/admin/login/",):
        _assert_csp_clean(client.get(url).content.decode(), url)
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/talent/candidate/", "/admin/talent/organization/add/",
                "/admin/core/auditevent/", "/admin/axes/accessattempt/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_csp_clean(response.content.decode(), url)


# --- Cookies --------------------------------------------------------------------------------------------


def test_session_and_csrf_cookie_flags(client, member, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    page = client.get(LOGIN)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = _login(client, "member_t", PASSWORD)
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    assert session["max-age"] == 8 * 60 * 60


def test_hsts_is_sent_over_https_when_configured(client, settings) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    assert "Strict-Transport-Security" not in client.get(LOGIN, secure=True)  # development: none
    settings.SECURE_HSTS_SECONDS = 31536000
    https = Client()  # SecurityMiddleware reads its settings when the middleware chain is built
    assert https.get(LOGIN, secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in https.get(LOGIN)  # never over plain HTTP


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "s" * 50,
    "PII_HASH_KEY": "h" * 40,
    "PII_ENCRYPTION_KEY": "ZmVybmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU=",
    "ALLOWED_HOSTS": "ytp.example",
}
SETTINGS_NAMES = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
                  "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SECURE_HSTS_SECONDS",
                  "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
                  "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "TRUSTED_PROXY_COUNT", "REST_FRAMEWORK"]


def _settings_with(env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PII_HASH_KEY", "PII_ENCRYPTION_KEY",
                          "HTTPS", "SECURE_HSTS_SECONDS", "USE_X_FORWARDED_PROTO", "SESSION_COOKIE_SECURE",
                          "CSRF_COOKIE_SECURE", "SESSION_COOKIE_AGE", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES",
                          "TRUSTED_PROXY_COUNT", "API_THROTTLE_ANON", "API_THROTTLE_USER", "SECURE_SSL_REDIRECT"}}
    clean.update(env)
    code = (
        "import json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "from django.conf import settings; "
        f"names = {SETTINGS_NAMES!r}; "
        "print(json.dumps({n: getattr(settings, n, None) for n in names}, default=str))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_hsts_needs_https_said_out_loud() -> None:
    prod = _settings_with(PRODUCTION)
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SESSION_COOKIE_HTTPONLY"] is True
    assert prod["SESSION_COOKIE_SAMESITE"] == "Lax" and prod["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert prod["SESSION_COOKIE_AGE"] == 28800
    assert prod["SECURE_HSTS_SECONDS"] == 0 and prod["SECURE_SSL_REDIRECT"] is False
    assert prod["SECURE_PROXY_SSL_HEADER"] is None
    assert prod["AXES_FAILURE_LIMIT"] == 5 and prod["AXES_COOLOFF_TIME"] == "0:15:00"
    assert prod["REST_FRAMEWORK"]["NUM_PROXIES"] == 0

    https = _settings_with({**PRODUCTION, "HTTPS": "1", "USE_X_FORWARDED_PROTO": "1", "TRUSTED_PROXY_COUNT": "1",
                            "SESSION_COOKIE_AGE": "3600", "AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "30",
                            "API_THROTTLE_ANON": "10/min"})
    assert https["SECURE_HSTS_SECONDS"] == 31536000 and https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert https["SESSION_COOKIE_AGE"] == 3600
    assert https["AXES_FAILURE_LIMIT"] == 3 and https["AXES_COOLOFF_TIME"] == "0:30:00"
    assert https["TRUSTED_PROXY_COUNT"] == 1 and https["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert https["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]["anon"] == "10/min"

    shorter = _settings_with({**PRODUCTION, "HTTPS": "1", "SECURE_HSTS_SECONDS": "600"})
    assert shorter["SECURE_HSTS_SECONDS"] == 600


def test_development_keeps_plain_http_working() -> None:
    dev = _settings_with({"HTTPS": "1", "USE_X_FORWARDED_PROTO": "1"})
    assert dev["DEBUG"] is True
    assert dev["SESSION_COOKIE_SECURE"] is False and dev["CSRF_COOKIE_SECURE"] is False
    assert dev["SECURE_HSTS_SECONDS"] == 0 and dev["SECURE_PROXY_SSL_HEADER"] is None


def test_insecure_cookies_only_when_asked_for() -> None:
    opted_out = _settings_with({**PRODUCTION, "SESSION_COOKIE_SECURE": "0"})
    assert opted_out["SESSION_COOKIE_SECURE"] is False and opted_out["CSRF_COOKIE_SECURE"] is True


# --- API throttling ----------------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):  # type: ignore[no-untyped-def]
    """DRF reads the rates once, at import; patch the table the throttles consult."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min", "token": "30/min"})


def test_anonymous_calls_are_throttled_whatever_forwarded_for_says(low_rates, db) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT="application/vnd.oai.openapi+json")
    for n in range(2):
        assert client.get("/api/schema/", REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code == 200
    third = client.get("/api/schema/", REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert third.status_code == 429
    assert third.json()["detail"] and int(third["Retry-After"]) > 0
    # Another address has its own allowance; the token endpoint has its own scope.
    assert client.get("/api/schema/", REMOTE_ADDR="10.6.6.7").status_code == 200
    assert _token("nobody", "sai", ip="10.6.6.6").status_code == 400


def test_users_are_throttled_per_account(low_rates, org_tree, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.authtoken.models import Token

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for _ in range(3):
        assert client.get("/api/v1/candidates/").status_code == 200
    throttled = client.get("/api/v1/candidates/")
    assert throttled.status_code == 429 and throttled.json()["detail"]
    other = APIClient()
    other_token, _ = Token.objects.get_or_create(user=ward_officer)
    other.credentials(HTTP_AUTHORIZATION=f"Token {other_token.key}")
    assert other.get("/api/v1/candidates/").status_code == 200


def test_token_endpoint_keeps_its_own_stricter_throttle(monkeypatch, db) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100/min", "user": "100/min", "token": "2/min"})
    assert _token("nobody", "sai").status_code == 400
    assert _token("nobody", "sai").status_code == 400
    assert _token("nobody", "sai").status_code == 429
