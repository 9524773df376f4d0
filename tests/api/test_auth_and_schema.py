from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_and_clear_400_otherwise(org_tree) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OFFICER, org_tree.city, username="tokenuser", password="Secret-pass-1")
    client = APIClient()
    ok = client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "Secret-pass-1"}, format="json")
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    again = client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "Secret-pass-1"}, format="json")
    assert again.json()["token"] == ok.json()["token"]
    bad = client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    assert "không đúng" in bad.json()["non_field_errors"][0]
    missing = client.post("/api/v1/auth/token/", {}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"username", "password"}


def test_api_requires_authentication(db) -> None:  # type: ignore[no-untyped-def]
    assert APIClient().get("/api/v1/candidates/").status_code == 401


def test_token_authenticates_requests(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    assert api_as(officer).get("/api/v1/candidates/").status_code == 200


def test_schema_is_openapi_3(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/candidates/", "/api/v1/candidates/{id}/advance/", "/api/v1/organizations/",
                 "/api/v1/auth/token/", "/api/v1/pools/", "/api/v1/jobs/{id}/"):
        assert path in schema["paths"], path


def test_docs_page_loads_nothing_from_outside(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, "the docs page should reference its own assets"
    assert all(not u.startswith(("http://", "https://", "//")) for u in urls), urls
    # Every asset is one the project ships (served by the app's static handler).
    from django.contrib.staticfiles import finders

    for asset in [u for u in urls if u.startswith("/static/")]:
        assert finders.find(asset.removeprefix("/static/")), asset
