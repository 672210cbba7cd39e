"""Bucket policies: checked before they are sent, read for what they open to anyone, and the one-click
"make this prefix publicly readable" statement and its undo. Pure JSON work: no boto3, no HTML."""

from __future__ import annotations

import ipaddress
import json

from django.utils.translation import gettext as _

from storage.bucket_documents import InvalidSetting

MAX_POLICY_BYTES = 20 * 1024  # S3's limit on a bucket policy
EFFECTS = ("Allow", "Deny")
WILDCARDS = "*?$"
PUBLIC_SID_PREFIX = "ConsolePublicRead"  # the statements the console adds, found again by this


def parse(text: str) -> dict:
    """The policy as a dict, or InvalidSetting saying, in plain words, what is wrong with it."""
    if len(text.encode()) > MAX_POLICY_BYTES:
        raise InvalidSetting(_("A bucket policy is at most %(size)s KiB.") % {"size": MAX_POLICY_BYTES // 1024})
    try:
        policy = json.loads(text)
    except ValueError as e:
        raise InvalidSetting(_("This is not JSON: %(why)s.") % {"why": e}) from None
    if not isinstance(policy, dict):
        raise InvalidSetting(_("A policy is a JSON object with a \"Statement\" list."))
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise InvalidSetting(_("A policy needs a \"Statement\": a list of at least one statement."))
    for number, statement in enumerate(statements, 1):
        _check_statement(number, statement)
    return policy


def _check_statement(number: int, statement) -> None:
    where = {"n": number}
    if not isinstance(statement, dict):
        raise InvalidSetting(_("Statement %(n)s is not a JSON object.") % where)
    if statement.get("Effect") not in EFFECTS:
        raise InvalidSetting(_("Statement %(n)s: \"Effect\" must be \"Allow\" or \"Deny\".") % where)
    if "Principal" not in statement and "NotPrincipal" not in statement:
        raise InvalidSetting(_("Statement %(n)s names no \"Principal\" (who it applies to; \"*\" is anyone).") % where)
    if "Action" not in statement and "NotAction" not in statement:
        raise InvalidSetting(_("Statement %(n)s names no \"Action\" (such as \"s3:GetObject\").") % where)
    if "Resource" not in statement and "NotResource" not in statement:
        raise InvalidSetting(_("Statement %(n)s names no \"Resource\" (such as \"arn:aws:s3:::bucket/folder/*\").")
                             % where)


def statements(policy: dict) -> list[dict]:
    found = policy.get("Statement") or []
    found = [found] if isinstance(found, dict) else found
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def stored(text: str) -> dict | None:
    """The policy the storage holds, read leniently (it may predate these checks); None when there is none."""
    if not text:
        return None
    try:
        policy = json.loads(text)
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        raise InvalidSetting(_("The bucket's current policy is not a JSON object; replace it as a whole."))
    return policy


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _anyone(statement: dict) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in _listed(principal.get("AWS", []))


# Condition keys that limit who reaches a statement when given a real value (a network, an account, a
# principal); anything else (aws:Referer, aws:UserAgent: the caller writes them) limits nobody.
LIMITING_KEYS = {"aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:principalarn", "aws:principalaccount",
                 "aws:principalorgid", "aws:principalorgpaths", "aws:userid", "aws:username", "aws:sourcearn",
                 "aws:sourceaccount", "aws:sourceorgid", "aws:vpcsourceip"}
CALLER_WRITTEN_KEYS = {"aws:referer", "aws:useragent", "aws:securetransport", "aws:currenttime", "aws:epochtime",
                       "aws:requestedregion"}
# Operators that let in only who matches a value; Null, Bool and ForAllValues: (true of a caller without the key)
# say nothing sure about who is let in.
MATCHING_OPERATORS = {"stringequals", "stringequalsignorecase", "stringlike", "ipaddress", "arnequals", "arnlike"}
NARROWEST_WIDE_NETWORK = {4: 8, 6: 16}  # a network wider than a /8 (IPv4) or /16 (IPv6) is most of the internet


def _any_value(key: str, value) -> bool:
    """Whether a condition's value lets nearly anyone through (a "*", 0.0.0.0/0, half the internet)."""
    text = str(value).strip()
    if not text or set(text) <= set("*?"):
        return True
    if key in ("aws:sourceip", "aws:vpcsourceip"):
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return False
        return network.prefixlen < NARROWEST_WIDE_NETWORK[network.version]
    return False


def condition_reach(condition) -> str:
    """"narrowed" when a condition limits who is let in, "open" when it limits nobody, "unknown" otherwise."""
    if not condition:
        return "open"
    if not isinstance(condition, dict):
        return "unknown"
    unknown = False
    for operator, tests in condition.items():
        if not isinstance(tests, dict):
            return "unknown"
        negated = "Not" in operator or operator.endswith("IfExists")  # "all but", or passes when the key is absent
        qualifier, _, name = operator.lower().rpartition(":")
        matching = name in MATCHING_OPERATORS and qualifier != "forallvalues"
        for key, values in tests.items():
            key, values = str(key).lower(), _listed(values)
            # a test with several values lets in whoever matches any one of them
            if negated or key in CALLER_WRITTEN_KEYS or any(_any_value(key, v) for v in values):
                continue
            if key in LIMITING_KEYS and matching:
                return "narrowed"  # every test of a condition must hold: one that limits limits the statement
            unknown = True
    return "unknown" if unknown else "open"


def _open_to_anyone(statement: dict) -> bool:
    # "NotPrincipal" on an Allow lets in everyone but the principals it names
    return statement.get("Effect") == "Allow" and (_anyone(statement) or "NotPrincipal" in statement)


def public_statements(policy: dict) -> list[dict]:
    """The statements that allow anyone (no credentials) to do something, whose condition, if any, narrows nothing."""
    return [s for s in statements(policy) if _open_to_anyone(s) and condition_reach(s.get("Condition")) == "open"]


def maybe_public_statements(policy: dict) -> list[dict]:
    """The statements that allow anyone unless a condition the console cannot read narrows them."""
    return [s for s in statements(policy) if _open_to_anyone(s) and condition_reach(s.get("Condition")) == "unknown"]


def lockout_statements(policy: dict) -> list[dict]:
    """Deny statements that may catch the console's own key: any Deny on anyone, or on every principal but some."""
    return [s for s in statements(policy) if s.get("Effect") == "Deny" and (_anyone(s) or "NotPrincipal" in s)]


def public_prefix_resource(bucket: str, prefix: str) -> str:
    return f"arn:aws:s3:::{bucket}/{prefix}*"


def _public_sid(prefix: str) -> str:
    # A Sid holds letters and digits only on AWS: the prefix goes in hex, found again exactly.
    return PUBLIC_SID_PREFIX + prefix.encode().hex()


def public_prefixes(policy: dict) -> list[str]:
    """The prefixes the console made publicly readable (its own statements), in the policy's order."""
    found = []
    for s in statements(policy):
        sid = str(s.get("Sid", ""))
        if sid.startswith(PUBLIC_SID_PREFIX):
            try:
                found.append(bytes.fromhex(sid[len(PUBLIC_SID_PREFIX):]).decode())
            except ValueError:
                continue
    return found


def with_public_prefix(policy: dict | None, bucket: str, prefix: str) -> dict:
    """The policy plus one statement letting anyone GET objects under `prefix` (nothing else: no listing)."""
    if not prefix or not prefix.endswith("/"):
        raise InvalidSetting(_("Choose a folder (a prefix ending in '/'); the whole bucket is not made public here."))
    if any(c in prefix for c in WILDCARDS):  # in a Resource they match more than the folder
        raise InvalidSetting(_("A folder made public here cannot hold '*', '?' or '$' (in a policy they match more)."))
    current = policy or {"Version": "2012-10-17", "Statement": []}
    if prefix in public_prefixes(current):
        return current
    statement = {"Sid": _public_sid(prefix), "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
                 "Resource": [public_prefix_resource(bucket, prefix)]}
    return {**current, "Version": current.get("Version", "2012-10-17"), "Statement": [*statements(current), statement]}


def without_public_prefix(policy: dict, prefix: str) -> dict | None:
    """The policy without the console's statement for `prefix`; None when nothing else is left in it."""
    sid = _public_sid(prefix)
    kept = [s for s in statements(policy) if s.get("Sid") != sid]
    return {**policy, "Statement": kept} if kept else None


def dumps(policy: dict) -> str:
    return json.dumps(policy, indent=2, sort_keys=False)
