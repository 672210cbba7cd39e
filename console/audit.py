"""Record audit events from views, commands and API handlers."""

from __future__ import annotations

from django.http import HttpRequest

from console.models import AuditEvent

SECRET_WORDS = ("secret", "password", "token")


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(request: HttpRequest | None, kind: str, *, connection: str = "", target: str = "",
           actor=None, **detail) -> AuditEvent:
    """Store one event; detail keys that look like secrets are refused, not stored."""
    leaked = [k for k in detail if any(word in k.lower() for word in SECRET_WORDS)]
    if leaked:
        raise ValueError(f"audit detail must not hold secrets: {leaked}")
    user = actor or (getattr(request, "user", None) if request is not None else None)
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        actor=user, actor_name=user.get_username() if user else (detail.pop("actor_name", "") or ""),
        kind=kind, connection=connection, target=target, detail=detail, address=client_address(request),
    )
