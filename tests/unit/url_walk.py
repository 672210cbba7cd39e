"""Every URL pattern of the project, with plausible arguments, and who it is meant for.

The permission matrix, the CSRF test and the secrets test all walk the same list, so a
URL added anywhere in the project is covered by all three without anyone listing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Views without `required_role` must be listed here, with the reason they are open.
PUBLIC_NAMES = {
    "login": "the sign-in page",
    "logout": "signing out",
    "set_password": "one-time set-password link; its token is the credential",
    "break_glass": "break-glass sign-in: the one-time code made by manage.py, posted in the form, is the credential",
    "oidc_authentication_init": "single sign-on: the way to the provider's sign-in (404 when not set up)",
    "oidc_authentication_callback": "single sign-on: the provider's answer; its state and code are the credential",
    "favicon": "the site icon, a static image",
    "healthz": "liveness probe for load balancers: says only that the process answers",
    "readyz": "readiness probe: the state of each check, no names or causes",
    "choose_language": "the language switcher, also on public share pages: sets a cookie (and the account's choice)",
    "javascript_catalog": "the scripts' translations: the same public strings for everyone",
    "s3-endpoint": "the S3 endpoint: each request is signed (SigV4) with an access key, its credential",
}
# Patterns that are regular expressions, as a URL that they match.
REGEX_URLS = {"s3-endpoint": "/s3/primary/docs/readme.txt"}
PUBLIC_PREFIXES = {
    "django-admin/": "Django's admin: staff only, by its own checks",
    "api/ossgateway/v1/": "the service API: token-authenticated",
    "s/": "public share pages: the share token is the credential",
    "local/": "a local folder's signed URLs: the signature (method, connection, key, expiry) is the credential",
}
# Open to anyone signed in, whatever their role (they are told how to get one).
SIGNED_IN_NAMES = {"home": "the landing page", "your_settings": "a person's own language and time zone"}

# Values for URL arguments, by argument name first, then by converter.
BY_NAME = {
    "name": "primary", "oss_id": "primary", "storage_id": "primary", "connection": "primary",
    "storage": "primary", "conn": "primary", "bucket": "primary",
    "key": "docs/readme.txt", "path": "docs/readme.txt", "prefix": "docs/", "folder": "docs/",
    "token": "abc123DEF456", "language": "zh-hans", "uidb64": "MQ", "upload_id": "upload-1", "part_number": "1",
}
BY_CONVERTER = {"int": "1", "path": "docs/readme.txt", "slug": "primary", "str": "primary",
                "uuid": "00000000-0000-4000-8000-000000000001"}
_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern, e.g. "connections/<str:name>/edit/"
    name: str  # "namespace:name" or "" when unnamed
    callback: object

    @property
    def required_role(self) -> str | None:
        return getattr(self.callback, "required_role", None)

    @property
    def public_reason(self) -> str | None:
        """Why this route may go without a role, when it is on the allowlist."""
        if self.name in PUBLIC_NAMES:
            return PUBLIC_NAMES[self.name]
        return next((reason for prefix, reason in PUBLIC_PREFIXES.items() if self.route.startswith(prefix)), None)

    @property
    def signed_in_only(self) -> bool:
        return self.name in SIGNED_IN_NAMES

    def url(self, **values: str) -> str:
        """The route with plausible arguments; `values` fill arguments by name first (a job's real id, say)."""
        if self.name in REGEX_URLS:
            return REGEX_URLS[self.name]
        if "(?P<" in self.route or self.route.startswith("^"):
            raise AssertionError(f"URL pattern {self.route!r} ({self.name}) is a regex: give tests/unit/url_walk.py "
                                 "a way to fill it, or use path()")

        def value(match: re.Match) -> str:
            return (str(values[match["name"]]) if match["name"] in values else BY_NAME.get(match["name"])
                    or BY_CONVERTER.get(match["converter"] or "str", "primary"))

        return "/" + _ARG.sub(value, self.route)

    def __str__(self) -> str:
        return f"/{self.route} ({self.name or 'unnamed'})"


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[Route]:
    routes = []
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern) if isinstance(entry.pattern, RoutePattern) else entry.pattern.regex.pattern
        route = prefix + pattern
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            routes.append(Route(route, f"{namespace}{entry.name}" if entry.name else "", entry.callback))
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver(), "", "")


def guarded_routes() -> list[Route]:
    """Routes behind sign-in: every route except the deliberately public ones."""
    return [r for r in all_routes() if r.required_role or not r.public_reason]
