"""Write the environment `make run` serves with, once per checkout: DEBUG off, as deployed, with
secrets of its own.

``python -m config.local_env PATH`` creates PATH (mode 600) when it does not exist, with a random
SECRET_KEY, a citizen-ID hash key and a Fernet encryption key, hosts limited to this machine and
cookies allowed over plain HTTP on 127.0.0.1; an existing file is left as it is, so the keys that
encrypted the local database keep reading it. `make dev` loads the same file with DEBUG on.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def render() -> str:
    from cryptography.fernet import Fernet

    lines = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PII_HASH_KEY": secrets.token_urlsafe(32),
        "PII_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
        # Served over plain HTTP on this machine: secure-only cookies would never be sent back.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }
    head = "# Written by `python -m config.local_env` for `make run` on this machine. Keep it private.\n"
    return head + "".join(f"{key}={value}\n" for key, value in lines.items())


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m config.local_env PATH", file=sys.stderr)
        return 2
    path = Path(argv[1])
    if path.exists():
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(render())
    print(f"Wrote {path} (DEBUG off, secrets of this machine).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
