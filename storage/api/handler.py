"""The wrapper every protocol handler runs in: method, caller, storage scope, key, errors.

Handlers are JSON only, CSRF-exempt (they authenticate with a token, not a cookie) and
never answer with a trace: an unexpected failure is logged and answered as a JSON 500.
"""

from __future__ import annotations

import json
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt

from storage.api.auth import authenticate
from storage.api.errors import INTERNAL_ERROR, METHOD_NOT_ALLOWED, ApiError, bad_request, from_storage_error, log
from storage.gateway import StorageError
from storage.keys import validate_key


def api_view(*methods: str, access: str, authenticated: bool = True):
    """Wrap `handler(request, caller, **kwargs)`; `caller` is None when not authenticated.

    `access` (storage.api.scope: READ, WRITE, BUCKET or NONE) says what the handler does, so a token's
    folder and read-only flag are checked here for the URL's key; keys a handler finds in its query or
    body it checks itself (caller.reach, caller.listing).
    """

    def decorator(handler):
        @csrf_exempt
        @wraps(handler)
        def wrapped(request: HttpRequest, **kwargs) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise ApiError(405, METHOD_NOT_ALLOWED, _use(methods))
                caller = authenticate(request) if authenticated else None
                if caller is not None and "storage_id" in kwargs:
                    caller.check(kwargs["storage_id"])
                if "key" in kwargs:
                    validate_key(kwargs["key"])
                if caller is not None:
                    caller.allow(access, request.method, kwargs.get("key"))
                response = handler(request, caller, **kwargs)
            except ApiError as e:
                response = e.response()
            except StorageError as e:
                response = from_storage_error(e).response()
            except DatabaseError:
                raise  # a busy database is answered "try again" by console.middleware.DatabaseBusyMiddleware
            except Exception:
                log.exception("the OSS Gateway Manager API failed on %s %s", request.method, request.path)
                response = ApiError(500, INTERNAL_ERROR, _("The server failed; the error is logged.")).response()
            if response.status_code == 405:
                response["Allow"] = ", ".join(methods)
            response["Cache-Control"] = "no-store"
            return response

        # Deliberately outside the console's roles: token-authenticated (see storage.api.auth).
        wrapped.api_auth = "service-token" if authenticated else "public"
        wrapped.api_access = access
        return wrapped

    return decorator


def _use(methods: tuple[str, ...]) -> str:
    """"Use GET here.", "Use GET or PUT here."."""
    return _("Use %(methods)s here.") % {"methods": pgettext("between HTTP methods", " or ").join(methods)}


def json_body(request: HttpRequest):
    try:
        return json.loads(request.body or b"null")
    except RequestDataTooBig:
        raise bad_request(_("The request body is too large."))
    except (ValueError, UnicodeDecodeError) as e:
        raise bad_request(_("The request body is not valid JSON."), str(e))
    except RecursionError:
        raise bad_request(_("The request body is nested too deeply."))


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def json_answer(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
