"""TOTP for the demo accounts (RFC 6238: 30-second steps, 6 digits, HMAC-SHA1).

The secret of each demo account is derived from its username, so the secret
printed by ``azad load_demo`` stays valid however often the demo is reloaded.
These secrets are public by design: demo accounts are refused in production.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from urllib.parse import quote, urlencode

_DEMO_SECRET_CONSTANT = b"azad-demo-totp-v1"
STEP_SECONDS = 30
DIGITS = 6


def demo_secret(username: str) -> str:
    """The fixed base32 TOTP secret of the demo account ``username`` (160 bits)."""
    digest = hmac.new(_DEMO_SECRET_CONSTANT, username.encode(), hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


def totp_code(secret: str, at: float | None = None) -> str:
    """The code for base32 ``secret`` at Unix time ``at`` (now by default)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // STEP_SECONDS)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def seconds_left(at: float | None = None) -> int:
    """Seconds until the current code changes."""
    now = time.time() if at is None else at
    return STEP_SECONDS - int(now) % STEP_SECONDS


def otpauth_uri(secret: str, account: str, issuer: str = "Azad") -> str:
    """An ``otpauth://`` URI an authenticator app can import."""
    label = f"{quote(issuer)}:{quote(account)}"
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
