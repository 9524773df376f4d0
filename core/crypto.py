"""Keyed hashing and encryption for personal identifiers (DESIGN §5).

The clear value of a citizen ID is never stored: ``pii_hash`` gives a stable keyed digest for
duplicate detection, ``pii_encrypt``/``pii_decrypt`` a Fernet token for those who must see it.

``settings.PII_ENCRYPTION_KEY`` is a comma-separated list of Fernet keys, newest first: new tokens
are always made with the first key, and tokens made with any key of the list still decrypt, so a
key can be rotated without downtime (``manage.py rotate_pii_keys`` re-encrypts the stored tokens
with the first key and recomputes the hashes with the current ``PII_HASH_KEY``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def pii_hash(value: str) -> str:
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def split_keys(setting: str) -> list[str]:
    """``"new, old"`` → ``["new", "old"]`` (blanks dropped)."""
    return [key.strip() for key in (setting or "").split(",") if key.strip()]


@lru_cache(maxsize=8)
def _fernets(secret: str, explicit: str) -> tuple[Fernet, ...]:
    """One Fernet per configured key, newest first. The cache key is the key string itself, so a
    changed setting (a test's override, a rotation) is picked up at once."""
    keys = split_keys(explicit)
    if not keys:
        # Development only (settings refuse to start without the key when DEBUG is off).
        digest = hashlib.sha256(f"pii-encryption:{secret}".encode()).digest()
        return (Fernet(base64.urlsafe_b64encode(digest)),)
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError) as exc:  # never echo the key itself
            raise ImproperlyConfigured(
                f"PII_ENCRYPTION_KEY: key #{position} is not a Fernet key (32 url-safe base64-encoded bytes)."
            ) from exc
    return tuple(fernets)


def _fernet(secret: str, explicit: str) -> MultiFernet:
    return MultiFernet(_fernets(secret, explicit))


def _current() -> MultiFernet:
    return _fernet(settings.SECRET_KEY, settings.PII_ENCRYPTION_KEY)


def pii_encrypt(value: str) -> str:
    """A token made with the first (newest) key."""
    return _current().encrypt(value.encode()).decode()


def pii_decrypt(token: str) -> str | None:
    """The clear value, or None when no configured key made the token or it is damaged."""
    if not token:
        return None
    try:
        return _current().decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeDecodeError):
        return None


def pii_is_current(token: str) -> bool:
    """Whether the token was made with the first (newest) key, i.e. needs no rotation."""
    if not token:
        return False
    primary = _fernets(settings.SECRET_KEY, settings.PII_ENCRYPTION_KEY)[0]
    try:
        primary.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def pii_rotate(token: str) -> str | None:
    """The same value re-encrypted with the first key (``MultiFernet.rotate``: the token's timestamp is
    kept), or None when no configured key can read the token."""
    if not token:
        return None
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken:
        return None


def generate_pii_key() -> str:
    return Fernet.generate_key().decode()


def mask(value: str, visible: int = 3) -> str:
    """``001234567890`` → ``*********890``: only the last ``visible`` characters show."""
    if not value:
        return ""
    return "*" * max(len(value) - visible, 0) + value[-visible:]


def mask_citizen_id(value: str) -> str:
    """``079204001512`` → ``079******512``: the province code and the last three digits show.

    The province code is not secret on its own (it is also the candidate's province of birth
    registration); the century/gender digit, the year of birth and the serial stay hidden. A value
    too short to keep six hidden characters is masked entirely.
    """
    if not value:
        return ""
    if len(value) < 12:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]
