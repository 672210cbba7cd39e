"""The pages that issue S3 access keys: a person's own (Your settings) and services' (beside service tokens).

A new key's secret is in the page that answers the issuing POST, and only there (never cached); revoking
asks first. Issuing and revoking are audited with the key's id, never its secret.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import audit
from console.access import rules
from console.access.decorators import role_anywhere
from console.roles import ADMIN, VIEWER, role_required
from console.s3api import keys
from console.s3api.forms import READ_ONLY, AccessKeyForm
from console.s3api.models import AccessKey

AUDIT_ISSUED, AUDIT_REVOKED = "s3key.issued", "s3key.revoked"


def own_keys(user) -> list[AccessKey]:
    """A person's keys for Your settings: the working ones first, then the rest, newest first."""
    found = AccessKey.objects.filter(owner=user).prefetch_related("connections")
    return sorted(found, key=lambda k: k.is_revoked or k.is_expired())


def s3_keys_context(user) -> dict:
    """What Your settings shows of a person's access keys (nothing when they hold no role to carry)."""
    allowed = rules.holds_anywhere(user, VIEWER)
    return {"s3_keys_allowed": allowed, "s3_keys": own_keys(user) if allowed else []}


def _issue(request: HttpRequest, form: AccessKeyForm, owner) -> keys.IssuedKey | None:
    data = form.cleaned_data
    try:
        issued = keys.issue_key(data["name"], owner=owner, connections=form.scoped_connections,
                                prefix=data["prefix"], read_only=data["access"] == READ_ONLY,
                                expires_days=data["expires_days"], created_by=request.user)
    except ValueError as e:
        form.add_error(None, str(e))
        return None
    record = issued.record
    audit.record(request, AUDIT_ISSUED, target=record.name, key_id=record.access_key_id,
                 owner=owner.get_username() if owner else "",
                 scope="all" if record.all_connections else ",".join(sorted(c.name for c in form.scoped_connections)),
                 prefix=record.prefix, read_only=record.read_only,
                 expires_at=record.expires_at.isoformat() if record.expires_at else "never")
    return issued


def _created(request: HttpRequest, issued: keys.IssuedKey, back: str) -> HttpResponse:
    endpoint = request.build_absolute_uri("/s3").rstrip("/")
    response = render(request, "s3keys/created.html", {"issued": issued, "record": issued.record,
                                                       "endpoint": endpoint, "back": back})
    add_never_cache_headers(response)  # the secret is in this page, and only here
    return response


def _revoke(request: HttpRequest, key: AccessKey, back: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "s3keys/confirm_revoke.html", {"key": key, "back": back})
    if keys.revoke(key):
        audit.record(request, AUDIT_REVOKED, target=key.name, key_id=key.access_key_id,
                     owner=key.owner.get_username() if key.owner else "")
        messages.success(request, _("The access key '%(name)s' is revoked: S3 tools using it now get AccessDenied.")
                         % {"name": key.name})
    else:
        messages.warning(request, _("The access key '%(name)s' was already revoked.") % {"name": key.name})
    return redirect(back)


@role_anywhere(VIEWER)  # a key carries its owner's roles: without one it would reach nothing
@require_http_methods(["GET", "POST"])
def own_key_create(request: HttpRequest) -> HttpResponse:
    back = reverse("your_settings") + "#s3-keys"
    form = AccessKeyForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        issued = _issue(request, form, request.user)
        if issued:
            return _created(request, issued, back)
    return render(request, "s3keys/new.html", {"form": form, "back": back, "service": False})


@role_anywhere(VIEWER)
@require_http_methods(["GET", "POST"])
def own_key_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    key = get_object_or_404(AccessKey, pk=key_pk, owner=request.user)
    return _revoke(request, key, reverse("your_settings") + "#s3-keys")


def _service_list(request: HttpRequest, form: AccessKeyForm | None = None) -> HttpResponse:
    found = AccessKey.objects.filter(owner__isnull=True).select_related("created_by").prefetch_related("connections")
    return render(request, "s3keys/service_keys.html", {"keys": found, "form": form or AccessKeyForm(),
                                                        "service": True})


@role_required(ADMIN)
@require_GET
def service_key_list(request: HttpRequest) -> HttpResponse:
    return _service_list(request)


@role_required(ADMIN)
@require_POST
def service_key_create(request: HttpRequest) -> HttpResponse:
    form = AccessKeyForm(request.POST)
    if form.is_valid():
        issued = _issue(request, form, None)
        if issued:
            return _created(request, issued, reverse("s3key_service_list"))
    return _service_list(request, form)


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def service_key_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    key = get_object_or_404(AccessKey, pk=key_pk, owner__isnull=True)
    return _revoke(request, key, reverse("s3key_service_list"))
