"""Claims for the console (groups), and the faults a test can ask the provider to commit.

A fault applies to the next ID token only, like a provider that misbehaves once: a token signed
with another key (same key id), meant for another client, already expired, or carrying a nonce
the console did not send; or a forger's token: unsigned (`alg: none`), or signed with HS256 using
the provider's public key as the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from django.db import transaction
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

FAULTS = ("bad-signature", "wrong-audience", "expired", "wrong-nonce", "wrong-issuer", "issued-in-future",
          "shared-audience", "shared-audience-for-us", "foreign-azp", "alg-none", "hs256-public-key")
_pending: list[str] = []
_claims: dict[str, dict] = {}  # username -> claims that replace the usual ones (control.person's `claims`)


def set_claims(username: str, claims: dict) -> None:
    _claims[username] = dict(claims)


def commit_fault(name: str) -> None:
    if name not in FAULTS:
        raise ValueError(name)
    _pending[:] = [name]


def _take_fault() -> str | None:
    return _pending.pop() if _pending else None


def _claims_with(fault: str | None, claims: dict) -> dict:
    now = int(time.time())
    if fault == "wrong-audience":
        claims["aud"] = "another-application"
    elif fault == "expired":
        claims.update(iat=now - 7200, exp=now - 3600)
    elif fault == "wrong-nonce":
        claims["nonce"] = "not-the-nonce-the-console-sent"
    elif fault == "wrong-issuer":
        claims["iss"] = "http://127.0.0.1:1/elsewhere"
    elif fault == "issued-in-future":
        claims.update(iat=now + 3600, exp=now + 7200)
    elif fault in ("shared-audience", "shared-audience-for-us"):  # its azp is ours only when "-for-us"
        claims.update(aud=[claims["aud"], "another-application"],
                      azp=claims["aud"] if fault.endswith("-for-us") else "another-application")
    elif fault == "foreign-azp":
        claims["azp"] = "another-application"
    return claims


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forged(fault: str, header: dict, claims: dict, key: jwk.JWK) -> str:
    """A token no provider would sign: unsigned, or HMAC'd with the public key a forger can download."""
    header = {**header, "alg": "none" if fault == "alg-none" else "HS256"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims, default=str).encode())}"
    if fault == "alg-none":
        return f"{signing_input}."
    secret = key.export_to_pem(private_key=False)
    return f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


class GroupsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "groups"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": bool(user.email),
            "name": user.get_full_name() or user.username,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            **_claims.get(user.username, {}),
        }

    def finalize_id_token(self, id_token, token, token_handler, request):
        """DOT's own, with the pending fault applied before signing."""
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        fault = _take_fault()
        id_token = _claims_with(fault, id_token)
        key = request.client.jwk_key
        header = {"typ": "JWT", "alg": request.client.algorithm, "kid": key.thumbprint()}
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        if fault in ("alg-none", "hs256-public-key"):
            return _forged(fault, header, id_token, key)
        signer = jwk.JWK.generate(kty="RSA", size=2048) if fault == "bad-signature" else key
        token_out = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        token_out.make_signed_token(signer)
        return token_out.serialize()
