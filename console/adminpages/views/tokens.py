"""Service tokens for the OSS Gateway Manager API: issue (shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from console import audit
from console.adminpages.forms.tokens import READ_ONLY, TokenCreateForm
from console.roles import ADMIN, role_required
from storage import service_tokens
from storage.models import ServiceToken


def _list(request, form: TokenCreateForm | None = None) -> HttpResponse:
    tokens = ServiceToken.objects.select_related("created_by").prefetch_related("connections")
    return render(request, "tokens/list.html", {"tokens": tokens, "form": form or TokenCreateForm()})


@role_required(ADMIN)
@require_GET
def token_list(request) -> HttpResponse:
    return _list(request)


@role_required(ADMIN)
@require_POST
def token_create(request) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _list(request, form)
    scope, data = form.scoped_connections, form.cleaned_data
    issued = service_tokens.issue_token(data["name"], connections=scope, prefix=data["prefix"],
                                        read_only=data["access"] == READ_ONLY, expires_days=data["expires_days"],
                                        created_by=request.user)
    audit.record(request, "token.created", target=issued.record.name,
                 scope="all" if scope is None else ",".join(sorted(c.name for c in scope)),
                 prefix=issued.record.prefix, read_only=issued.record.read_only,
                 expires_at=issued.record.expires_at.isoformat() if issued.record.expires_at else "never")
    response = render(request, "tokens/created.html", {"record": issued.record, "raw": issued.raw})
    add_never_cache_headers(response)  # the token is in this page, and only here
    return response


@role_required(ADMIN)
@require_POST
def token_revoke(request, pk: int) -> HttpResponse:
    token = get_object_or_404(ServiceToken, pk=pk)
    if service_tokens.revoke(token):
        audit.record(request, "token.revoked", target=token.name)
        messages.success(request, _("The token '%(name)s' is revoked: calls with it now get 403.") % {"name": token.name})
    else:
        messages.warning(request, _("The token '%(name)s' was already revoked.") % {"name": token.name})
    return redirect("token_list")
