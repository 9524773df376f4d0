from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    """api_as(user) → an APIClient authenticated with that user's token."""

    def _client(user):  # type: ignore[no-untyped-def]
        from rest_framework.authtoken.models import Token

        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client
