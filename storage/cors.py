"""The CORS rule browsers need to upload straight to a bucket: what is needed, what is missing, merging.

Pure logic on `CorsRule` values (no S3 calls). Matching follows S3: for a request from an
origin with a method, the *first* rule whose origins and methods match is the one used, so
the console's rule is put first when applied, and the rules after it keep working for
everything it does not match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from storage.gateway import CorsRule

# What the upload widget does: PUT (single and parts), POST (multipart create/complete when a
# browser drives it), GET/HEAD (download, resume checks); it sends the Content-Type it signed,
# and reads ETag from part uploads to complete a multipart upload.
METHODS = ("PUT", "GET", "HEAD", "POST")
HEADERS = ("content-type",)
EXPOSE = ("ETag",)
MAX_AGE = 3000


def needed_rule(origins: list[str]) -> CorsRule:
    """The rule the console needs for these origins (duplicates and order normalised)."""
    unique = list(dict.fromkeys(o.rstrip("/") for o in origins if o))
    return CorsRule(unique, list(METHODS), list(HEADERS), list(EXPOSE), MAX_AGE)


@dataclass
class CorsCheck:
    """How existing rules serve the console: one plain-words problem per gap."""

    needed: CorsRule
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _origin_matches(pattern: str, origin: str) -> bool:
    return fnmatchcase(origin.lower(), pattern.rstrip("/").lower())


def _header_allowed(rule: CorsRule, header: str) -> bool:
    return any(fnmatchcase(header.lower(), allowed.lower()) for allowed in rule.allowed_headers)


def _first_match(rules: list[CorsRule], origin: str, method: str, headers: tuple[str, ...]) -> CorsRule | None:
    """The rule S3 uses for a preflight: origin, method and every requested header must match."""
    for rule in rules:
        if (any(_origin_matches(p, origin) for p in rule.allowed_origins)
                and method in {m.upper() for m in rule.allowed_methods}
                and all(_header_allowed(rule, h) for h in headers)):
            return rule
    return None


def _first_for_response(rules: list[CorsRule], origin: str, method: str) -> CorsRule | None:
    """The rule S3 uses on the actual response (its exposed headers are what the browser sees)."""
    for rule in rules:
        if any(_origin_matches(p, origin) for p in rule.allowed_origins) and \
                method in {m.upper() for m in rule.allowed_methods}:
            return rule
    return None


def check(rules: list[CorsRule], needed: CorsRule) -> CorsCheck:
    result = CorsCheck(needed)
    for origin in needed.allowed_origins:
        for method in needed.allowed_methods:
            headers = tuple(needed.allowed_headers) if method in ("PUT", "POST") else ()
            if _first_match(rules, origin, method, headers) is None:
                if _first_match(rules, origin, method, ()) is None:
                    result.problems.append(_("%(method)s from %(origin)s is not allowed.") % {"method": method, "origin": origin})
                else:
                    result.problems.append(_("%(method)s from %(origin)s may not send the header(s) %(headers)s.")
                                           % {"method": method, "origin": origin, "headers": ", ".join(headers)})
                continue
            response_rule = _first_for_response(rules, origin, method)
            exposed = {h.lower() for h in (response_rule.expose_headers if response_rule else [])}
            missing = [h for h in needed.expose_headers if h.lower() not in exposed]
            if missing and method in ("PUT", "POST"):
                result.problems.append(_("%(headers)s is not exposed to %(origin)s on %(method)s.")
                                       % {"headers": ", ".join(missing), "origin": origin, "method": method})
    return result


def _union(*lists: list[str], key=str.lower) -> list[str]:
    seen, out = set(), []
    for items in lists:
        for item in items:
            if key(item) not in seen:
                seen.add(key(item))
                out.append(item)
    return out


def merge(rules: list[CorsRule], needed: CorsRule) -> list[CorsRule]:
    """Existing rules plus what the console needs; unchanged when they already serve it.

    The console's rule goes first. Headers and exposed headers of rules for the same
    origins are folded into it, so responses to those origins keep exposing what they did;
    a rule for exactly the same origins (an earlier apply) is absorbed rather than repeated.
    """
    if check(rules, needed).ok:
        return list(rules)
    origins = {o.lower() for o in needed.allowed_origins}
    overlapping = [r for r in rules
                   if any(_origin_matches(p, o) for p in r.allowed_origins for o in needed.allowed_origins)]
    absorbed = [r for r in rules if {o.rstrip("/").lower() for o in r.allowed_origins} == origins]
    console_rule = CorsRule(
        list(needed.allowed_origins),
        _union(needed.allowed_methods, *(r.allowed_methods for r in absorbed), key=str.upper),
        _union(needed.allowed_headers, *(r.allowed_headers for r in overlapping)),
        _union(needed.expose_headers, *(r.expose_headers for r in overlapping)),
        max([needed.max_age_seconds or 0, *(r.max_age_seconds or 0 for r in absorbed)]) or None,
    )
    return [console_rule, *(r for r in rules if r not in absorbed)]


# --- for applying by hand ---------------------------------------------------------------

def rule_dict(rule: CorsRule) -> dict:
    """A rule in S3's own (PutBucketCors) shape."""
    body = {"AllowedOrigins": rule.allowed_origins, "AllowedMethods": rule.allowed_methods,
            "AllowedHeaders": rule.allowed_headers, "ExposeHeaders": rule.expose_headers}
    if rule.max_age_seconds is not None:
        body["MaxAgeSeconds"] = rule.max_age_seconds
    return body


def to_json(rules: list[CorsRule]) -> str:
    """The `aws s3api put-bucket-cors --cors-configuration` document."""
    return json.dumps({"CORSRules": [rule_dict(r) for r in rules]}, indent=2)


def to_xml(rules: list[CorsRule]) -> str:
    """The PutBucketCors XML body (what most S3 consoles and `mc`/`s3cmd setcors` take)."""
    lines = ['<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">']
    for rule in rules:
        lines.append("  <CORSRule>")
        for tag, values in (("AllowedOrigin", rule.allowed_origins), ("AllowedMethod", rule.allowed_methods),
                            ("AllowedHeader", rule.allowed_headers), ("ExposeHeader", rule.expose_headers)):
            lines.extend(f"    <{tag}>{escape(v)}</{tag}>" for v in values)
        if rule.max_age_seconds is not None:
            lines.append(f"    <MaxAgeSeconds>{rule.max_age_seconds}</MaxAgeSeconds>")
        lines.append("  </CORSRule>")
    lines.append("</CORSConfiguration>")
    return "\n".join(lines)
