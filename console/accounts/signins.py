"""Sign-ins and sign-outs in the audit log: who, by which method, and why a sign-in failed."""

from __future__ import annotations

from console import audit

PASSWORD, OIDC, BREAK_GLASS = "password", "oidc", "break-glass"
SESSION_KEY = "sign_in_method"  # how this session began: sign-out says so, and signs out at the provider


def signed_in(request, user, method: str, **detail) -> None:
    request.session[SESSION_KEY] = method
    audit.record(request, "auth.signed_in", actor=user, target=user.get_username(), method=method, **detail)


def failed(request, method: str, reason: str, *, username: str = "") -> None:
    """The name tried goes in the target, not in "who": whoever tried it may not be that person."""
    audit.record(request, "auth.sign_in_failed", target=username[:150], method=method, reason=reason)


def signed_out(request, user) -> None:
    audit.record(request, "auth.signed_out", actor=user, target=user.get_username(), method=method_of(request))


def method_of(request) -> str:
    return request.session.get(SESSION_KEY, PASSWORD)
