"""CORS for direct uploads: check a bucket's rules against what the console needs, and apply them."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from console import audit
from console.access.decorators import connection_settings_view
from storage import cors
from storage.factory import get_gateway
from storage.gateway import AccessDenied, CorsRule, NotSupported, StorageError
from storage.models import Connection


def console_origins(request) -> list[str]:
    """Where the console's pages are served from: this request's origin, then the trusted origins."""
    here = urlsplit(request.build_absolute_uri("/"))
    return list(dict.fromkeys([f"{here.scheme}://{here.netloc}", *settings.CSRF_TRUSTED_ORIGINS]))


def _by_hand(rules: list[CorsRule]) -> dict:
    return {"json": cors.to_json(rules), "xml": cors.to_xml(rules)}


def _check(name: str, needed: CorsRule) -> dict:
    """What the bucket has and what is missing; when it cannot be read, the rule to apply by hand."""
    try:
        rules = get_gateway().get_bucket_cors(name)
    except (NotSupported, AccessDenied) as e:
        return {"problem": str(e), "manual": _by_hand([needed])}
    except StorageError as e:
        return {"problem": str(e)}
    return {"rules": rules, "check": cors.check(rules, needed), "rules_json": cors.to_json(rules) if rules else ""}


def _apply(request, name: str, needed: CorsRule) -> dict:
    try:
        current = get_gateway().get_bucket_cors(name)
    except (NotSupported, AccessDenied) as e:
        return {"problem": str(e), "manual": _by_hand([needed])}
    except StorageError as e:
        return {"problem": str(e)}
    merged = cors.merge(current, needed)
    if merged != current:
        try:
            get_gateway().put_bucket_cors(name, merged)
        except (NotSupported, AccessDenied) as e:
            return {"problem": _("The storage refused to change the rules: %(why)s") % {"why": e}, "manual": _by_hand(merged)}
        except StorageError as e:
            return {"problem": str(e)}
        audit.record_storage_change(request, "cors.applied", connection=name, target=name, origins=needed.allowed_origins)
    result = _check(name, needed)
    result["applied"] = merged != current
    result["already"] = merged == current
    return result


@connection_settings_view(argument="name")
@require_http_methods(["GET", "POST"])
def connection_cors(request, name: str) -> HttpResponse:
    """The bucket's CORS rules: a manager of the whole connection (a bucket has one set of rules)."""
    connection = get_object_or_404(Connection, name=name)
    needed = cors.needed_rule(console_origins(request))
    context = {"connection": connection, "needed": needed}
    context.update(_apply(request, name, needed) if request.method == "POST" else _check(name, needed))
    if request.htmx:
        return render(request, "connections/_cors_result.html", context)
    return render(request, "connections/cors.html", context)
