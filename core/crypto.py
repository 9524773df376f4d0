"""Keyed hashing and encryption for personal identifiers (DESIGN §5).

The clear value of a citizen ID is never stored: ``pii_hash`` gives a stable keyed digest for
duplicate detection, ``pii_encrypt``/``pii_decrypt`` a Fernet token for those who must see it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def pii_hash(value: str) -> str:
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _fernet(secret: str, explicit: str) -> Fernet:
    if explicit:
        return Fernet(explicit.encode())
    digest = hashlib.sha256(f"pii-encryption:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def pii_encrypt(value: str) -> str:
    return _fernet(settings.SECRET_KEY, settings.PII_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def pii_decrypt(token: str) -> str | None:
    """The clear value, or None when the token was made with another key or is damaged."""
    if not token:
        return None
    try:
        return _fernet(settings.SECRET_KEY, settings.PII_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def mask(value: str, visible: int = 3) -> str:
    """``001234567890`` → ``*********890``."""
    if not value:
        return ""
    return "*" * max(len(value) - visible, 0) + value[-visible:]
