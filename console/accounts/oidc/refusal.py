"""Why a single sign-on attempt was refused: a code for the audit log and words for the person."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASONS = {
    "bad_signature": _("the ID token's signature does not match the provider's keys"),
    "unknown_key": _("the ID token is signed with a key the provider does not publish"),
    "wrong_audience": _("the ID token was issued for another application"),
    "wrong_issuer": _("the ID token comes from another issuer"),
    "expired": _("the ID token has expired"),
    "not_yet_valid": _("the ID token is dated in the future"),
    "nonce_mismatch": _("the ID token does not belong to this sign-in (nonce mismatch)"),
    "invalid_token": _("the ID token is malformed or incomplete"),
    "unknown_state": _("this sign-in answer was already used, has expired, or was started in another browser"),
    "provider_error": _("the provider did not sign you in"),
    "code_refused": _("the provider refused the sign-in code or its token"),
    "provider_unavailable": _("the provider cannot be reached"),
    "userinfo_mismatch": _("the provider's user information is about someone else"),
    "userinfo_unreadable": _("the provider's user information could not be read"),
    "no_account": _("no account could be made for this person"),
    "deactivated": _("this account is deactivated in the console"),
}
STATUS = {"unknown_state": 400, "provider_unavailable": 503}
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def plain_code(value, fallback: str) -> str:
    """An OAuth error code (letters, digits, _ . -) as the provider sent it, else the fallback: never free text,
    which anyone could put in a link to the callback and so on our page."""
    return value if isinstance(value, str) and _ERROR_CODE.fullmatch(value) else fallback


def words(message: str, **values) -> str:
    """`message` (marked with gettext_noop) in the language of the page that shows it, `values` put in.

    A refusal's words are shown to the person in their language and stored in the audit log in English."""
    return lazy(lambda: gettext(message) % values, str)()


class SignInRefused(Exception):
    """A refusal the callback turns into a clear page and an audit entry; `detail` adds a provider's word."""

    def __init__(self, code: str, detail: str = "", *, username: str = ""):
        self.code = code
        self.detail = detail[:120] if isinstance(detail, str) else detail  # a provider's word, or words() of ours
        self.username = username
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        """Why, in the active language."""
        if self.detail:
            return gettext("%(reason)s (%(detail)s)") % {"reason": REASONS[self.code], "detail": self.detail}
        return str(REASONS[self.code])

    @property
    def reason_in_english(self) -> str:
        """Why, as the audit log stores it."""
        with translation.override("en"):
            return self.reason

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 403)
