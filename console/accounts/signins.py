"""Sign-ins and sign-outs in the audit log: who, by which method, and why a sign-in failed."""

from __future__ import annotations

from datetime import timedelta

from console import audit

FAILURE_WINDOW = timedelta(minutes=10)
FAILURES_PER_ADDRESS = 50  # in FAILURE_WINDOW, each stored whole; more from there are counted on the latest
PASSWORD, OIDC, BREAK_GLASS = "password", "oidc", "break-glass"
SESSION_KEY = "sign_in_method"  # how this session began: sign-out says so, and signs out at the provider


def signed_in(request, user, method: str, **detail) -> None:
    request.session[SESSION_KEY] = method
    request.session.set_expiry(None)  # SESSION_COOKIE_AGE, not the short life of a single sign-on's start
    audit.record(request, "auth.signed_in", actor=user, target=user.get_username(), method=method, **detail)


def failed(request, method: str, reason: str, *, username: str = "") -> None:
    """The name tried goes in the target, not in "who": whoever tried it may not be that person.

    Anyone can fail to sign in as often as they like (a callback answer needs no session), so the
    same failure again from the same address, and any beyond FAILURES_PER_ADDRESS, are counted rather
    than stored one by one (console.audit.record_or_count).
    """
    audit.record_or_count(request, "auth.sign_in_failed", window=FAILURE_WINDOW, per_address=FAILURES_PER_ADDRESS,
                          target=username[:150], method=method, reason=reason)


def signed_out(request, user) -> None:
    audit.record(request, "auth.signed_out", actor=user, target=user.get_username(), method=method_of(request))


def method_of(request) -> str:
    return request.session.get(SESSION_KEY, PASSWORD)
