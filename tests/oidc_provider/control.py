"""The control API tests use: people and their groups, the console's client, a fault for the next token.

Every call needs the bearer secret server.py made; the provider listens on loopback only.
"""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application

from tests.oidc_provider.validator import commit_fault, set_claims


def _controlled(view):
    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request):
        given = request.headers.get("Authorization", "")
        if not constant_time_compare(given, f"Bearer {settings.CONTROL_SECRET}"):
            return HttpResponse(status=403)
        return view(request, json.loads(request.body or b"{}"))

    return wrapped


@_controlled
def person(request, data: dict) -> JsonResponse:
    """Create or update a person: password, email, exactly these groups, and `claims` that replace the usual ones."""
    user, _ = User.objects.get_or_create(username=data["username"])
    user.set_password(data["password"])
    user.email = data.get("email", "")
    user.is_active = data.get("active", True)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data.get("groups", [])])
    set_claims(user.username, data.get("claims", {}))
    return JsonResponse({"sub": str(user.pk)})


@_controlled
def client(request, data: dict) -> JsonResponse:
    """Create or update a confidential client with these redirect URIs (skip the consent screen)."""
    app, _ = Application.objects.get_or_create(
        client_id=data["client_id"],
        defaults={"client_type": Application.CLIENT_CONFIDENTIAL,
                  "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                  "algorithm": Application.RS256_ALGORITHM, "name": data["client_id"],
                  "skip_authorization": True, "client_secret": data["client_secret"]},
    )
    app.redirect_uris = " ".join(data["redirect_uris"])
    app.post_logout_redirect_uris = " ".join(data.get("post_logout_redirect_uris", []))
    app.save()
    return JsonResponse({"client_id": app.client_id})


@_controlled
def fault(request, data: dict) -> JsonResponse:
    commit_fault(data["fault"])
    return JsonResponse({"fault": data["fault"]})
