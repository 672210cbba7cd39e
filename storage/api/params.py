"""Query parameters and keys as the protocol's clients send them.

Keys: the path after `/<verb>/<storage_id>/` is percent-decoded exactly once (the WSGI
server does it) and read as UTF-8; that string is the key. So `/` always separates
segments (`%2F` too), a literal `%`, `?` or `#` must be sent as `%25`, `%3F`, `%23`,
`+` stays a plus, and anything else (letters, spaces, `&`, `=`, `;` ...) may be sent raw or
escaped alike. Escaped bytes that do not form UTF-8 are kept as the three characters
`%XX` (Django's rule), so send keys as UTF-8. The key must then pass
`storage.keys.validate_key`, else the answer is 400.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from storage.api.errors import bad_request
from storage.gateway import DEFAULT_URL_EXPIRES, MAX_URL_EXPIRES
from storage.user_metadata import PREFIX as METADATA_PREFIX
from storage.user_metadata import validate_metadata

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def flag(request: HttpRequest, name: str, default: bool = False) -> bool:
    """`true`, `false`, `1`, `0` in any case (clients send `True`)."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise bad_request(_("'%(name)s' must be true or false (got '%(value)s').") % {"name": name, "value": raw})


def integer(request: HttpRequest, name: str, *, default: int | None = None, minimum: int | None = None,
            maximum: int | None = None, required: bool = False) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw.strip() == "":
        if required:
            raise bad_request(_("'%(name)s' is required.") % {"name": name})
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise bad_request(_("'%(name)s' must be a whole number (got '%(value)s').") % {"name": name, "value": raw})
    if minimum is not None and value < minimum:
        raise bad_request(_("'%(name)s' must be at least %(minimum)s (got %(value)s).") % {
            "name": name, "minimum": minimum, "value": value})
    if maximum is not None and value > maximum:
        raise bad_request(_("'%(name)s' must be at most %(maximum)s (got %(value)s).") % {
            "name": name, "maximum": maximum, "value": value})
    return value


def expires(request: HttpRequest) -> int:
    """`Expires` in seconds: 1 second to 7 days (SigV4's limit); 900 when absent."""
    raw = request.GET.get("Expires", request.GET.get("expires"))
    if raw is None or raw.strip() == "":
        return DEFAULT_URL_EXPIRES
    try:
        value = int(raw.strip())
    except ValueError:
        raise bad_request(_("'Expires' must be a whole number of seconds (got '%(value)s').") % {"value": raw})
    if not 1 <= value <= MAX_URL_EXPIRES:
        raise bad_request(
            _("'Expires' must be between 1 and %(maximum)s seconds (7 days); got %(value)s.") % {
                "maximum": MAX_URL_EXPIRES, "value": value},
            _("SigV4 presigned URLs live at most 7 days."),
        )
    return value


def text(request: HttpRequest, name: str, *, required: bool = False, max_length: int = 1024) -> str:
    value = request.GET.get(name, "")
    if required and not value:
        raise bad_request(_("'%(name)s' is required.") % {"name": name})
    if len(value) > max_length:
        raise bad_request(_("'%(name)s' is longer than %(count)s characters.") % {"name": name, "count": max_length})
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise bad_request(_("'%(name)s' must not contain control characters.") % {"name": name})
    return value


def metadata(request: HttpRequest) -> dict[str, str]:
    """User metadata from `x-amz-meta-<name>=<value>` parameters, checked by S3's rules (names in lower case)."""
    given: dict[str, str] = {}
    for name, values in request.GET.lists():
        if name.lower().startswith(METADATA_PREFIX):
            if len(values) > 1:
                raise bad_request(_("'%(name)s' is given more than once.") % {"name": name})
            given[name[len(METADATA_PREFIX):]] = values[0]
    return validate_metadata(given)
