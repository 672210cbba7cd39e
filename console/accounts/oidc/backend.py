"""mozilla-django-oidc's backend with the ID token checked in full and accounts linked by issuer and `sub`.

The library leaves the audience unchecked, does not compare the issuer, and lets an expired token
escape as a server error; here each of these is a SignInRefused that names the cause.
"""

from __future__ import annotations

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext_noop
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from console.accounts.oidc import groups, identity, provider
from console.accounts.oidc.refusal import SignInRefused, plain_code, words

REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]
SUBJECT_LENGTH = 255  # OpenID Connect's limit, and OidcAccount.subject's
TOKEN_ERRORS = (  # most specific first: pyjwt's errors subclass each other
    (jwt.InvalidSignatureError, "bad_signature"),
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidAudienceError, "wrong_audience"),
    (jwt.InvalidIssuerError, "wrong_issuer"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.InvalidTokenError, "invalid_token"),
)


def _endpoint(setting: str) -> property:
    return property(lambda self: provider.endpoint(setting))


def _setting(name: str) -> property:
    return property(lambda self: getattr(settings, name))


class OidcBackend(OIDCAuthenticationBackend):
    # Django builds every backend for every sign-in and every session read: the library's
    # constructor would read the endpoints (a network call here), so they are read when used.
    OIDC_OP_TOKEN_ENDPOINT = _endpoint("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _endpoint("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _endpoint("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _setting("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _setting("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = _setting("OIDC_RP_SIGN_ALGO")
    OIDC_RP_IDP_SIGN_KEY = None  # keys come from the provider's JWKS

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback, which hands over the nonce it kept for the state, may exchange a code:
        # a password form posted to a URL carrying ?code=&state= must not start one.
        if request is None or "nonce" not in kwargs or not provider.enabled():
            return None
        try:
            provider.answering()
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as e:
            raise SignInRefused("code_refused", _provider_error(e.response))
        except provider.ProviderUnavailable as e:
            raise SignInRefused("provider_unavailable", e.args[0])
        except requests.RequestException as e:
            if isinstance(e, provider.SILENCE):
                provider.not_answering()
            raise SignInRefused("provider_unavailable", type(e).__name__)

    def verify_token(self, token, **kwargs):
        """The ID token: signature by a published key, issuer, audience, times, then the nonce of this sign-in."""
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError):
            raise SignInRefused("unknown_key")
        except (jwt.PyJWTError, TypeError, ValueError):  # also a published key that is no key (InvalidKeyError)
            raise SignInRefused("invalid_token")
        payload = self._decode(token, key)
        if payload.get("nonce") != kwargs.get("nonce"):
            raise SignInRefused("nonce_mismatch")
        return payload

    def _decode(self, token: str, key) -> dict:
        try:
            payload = jwt.decode(token, key, algorithms=[settings.OIDC_RP_SIGN_ALGO],
                                 audience=settings.OIDC_RP_CLIENT_ID, issuer=settings.OIDC_ISSUER,
                                 leeway=settings.OIDC_CLOCK_SKEW_SECONDS, options={"require": REQUIRED_CLAIMS})
        except jwt.InvalidTokenError as e:
            raise SignInRefused(next(code for kind, code in TOKEN_ERRORS if isinstance(e, kind)))
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        # OpenID Connect Core 3.1.3.7: a token for several audiences names its authorized party, and
        # an authorized party (azp) it names must be this client, even beside our own audience.
        if (len(audiences) > 1 or "azp" in payload) and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SignInRefused("wrong_audience", words(gettext_noop("its authorized party (azp) is not this application")))
        if not isinstance(payload["sub"], str) or not 0 < len(payload["sub"]) <= SUBJECT_LENGTH:
            raise SignInRefused("invalid_token", words(gettext_noop("no subject, or one longer than 255 characters")))
        return payload

    def get_token(self, payload):
        """The token endpoint's answer, which must be a JSON object."""
        answer = super().get_token(payload)
        if not isinstance(answer, dict):
            raise SignInRefused("code_refused", words(gettext_noop("its answer is not a JSON object")))
        return answer

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo answer as JSON (signed userinfo answers are refused: ask the provider for JSON)."""
        response = requests.get(self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"},
                                timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        try:
            claims = response.json()
        except ValueError:
            raise SignInRefused("userinfo_unreadable", response.headers.get("Content-Type", "")[:40])
        if not isinstance(claims, dict):
            raise SignInRefused("userinfo_unreadable")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """The linked account (made on first sign-in), its profile and its provider groups brought up to date."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload["sub"]:
            raise SignInRefused("userinfo_mismatch")
        claims = {**payload, **userinfo}
        account = identity.account_for(payload["iss"], payload["sub"], claims)
        user = account.user
        if not user.is_active:
            raise SignInRefused("deactivated", username=user.get_username())
        user.oidc_groups_changed = groups.sync(account, claims)
        return user

    def get_user(self, user_id):
        """Like Django's ModelBackend (the library's does not look): a deactivated person's session ends."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def _provider_error(response) -> str:
    """The OAuth `error` code of a refused token request, when it is a plain code; never the body itself."""
    try:
        code = response.json().get("error", "")
    except (ValueError, AttributeError):
        code = ""
    return plain_code(code, f"HTTP {response.status_code}")
