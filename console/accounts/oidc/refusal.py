"""Why a single sign-on attempt was refused: a code for the audit log and words for the person."""

from __future__ import annotations

import re

REASONS = {
    "bad_signature": "the ID token's signature does not match the provider's keys",
    "unknown_key": "the ID token is signed with a key the provider does not publish",
    "wrong_audience": "the ID token was issued for another application",
    "wrong_issuer": "the ID token comes from another issuer",
    "expired": "the ID token has expired",
    "not_yet_valid": "the ID token is dated in the future",
    "nonce_mismatch": "the ID token does not belong to this sign-in (nonce mismatch)",
    "invalid_token": "the ID token is malformed or incomplete",
    "unknown_state": "this sign-in answer was already used, has expired, or was started in another browser",
    "provider_error": "the provider did not sign you in",
    "code_refused": "the provider refused the sign-in code or its token",
    "provider_unavailable": "the provider cannot be reached",
    "userinfo_mismatch": "the provider's user information is about someone else",
    "userinfo_unreadable": "the provider's user information could not be read",
    "no_account": "no account could be made for this person",
    "deactivated": "this account is deactivated in the console",
}
STATUS = {"unknown_state": 400, "provider_unavailable": 503}
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def plain_code(value, fallback: str) -> str:
    """An OAuth error code (letters, digits, _ . -) as the provider sent it, else the fallback: never free text,
    which anyone could put in a link to the callback and so on our page."""
    return value if isinstance(value, str) and _ERROR_CODE.fullmatch(value) else fallback


class SignInRefused(Exception):
    """A refusal the callback turns into a clear page and an audit entry; `detail` adds a provider's word."""

    def __init__(self, code: str, detail: str = "", *, username: str = ""):
        self.code = code
        self.detail = detail[:120]
        self.username = username
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        return REASONS[self.code] + (f" ({self.detail})" if self.detail else "")

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 403)
