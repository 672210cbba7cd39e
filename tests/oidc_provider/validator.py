"""Claims for the console (groups), and the faults a test can ask the provider to commit.

A fault applies to the next ID token only, like a provider that misbehaves once: a token signed
with another key (same key id), meant for another client, already expired, or carrying a nonce
the console did not send.
"""

from __future__ import annotations

import json
import time

from django.db import transaction
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

FAULTS = ("bad-signature", "wrong-audience", "expired", "wrong-nonce", "wrong-issuer")
_pending: list[str] = []


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
    return claims


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
        signer = jwk.JWK.generate(kty="RSA", size=2048) if fault == "bad-signature" else key
        token_out = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        token_out.make_signed_token(signer)
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return token_out.serialize()
