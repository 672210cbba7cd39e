"""A provider endpoint that answers nonsense: a refusal that says so and is in the audit log, never a server error.

The rest of the sign-in is the real provider's; one endpoint is replaced by a small server that
answers what the test gives it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.test import Client

from tests.integration.console.accounts.test_oidc_refusals import assert_refused
from tests.integration.oidc_support import IDP_PASSWORD, sign_in, sso  # noqa: F401


class OddServer(ThreadingHTTPServer):
    """Answers every GET and POST with `answer` as JSON."""

    answer: object = None

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def _send(handler):
                body = json.dumps(self.answer).encode()
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            do_GET = do_POST = _send

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@pytest.fixture
def odd():
    server = OddServer()
    yield server
    server.shutdown()
    server.server_close()


def test_a_token_answer_that_is_not_an_object_is_a_refusal(db, sso, settings, odd):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    settings.OIDC_OP_TOKEN_ENDPOINT, odd.answer = odd.url, ["not", "an", "object"]
    client = Client()
    assert_refused(sign_in(client, "alice"), client, 403, "the provider refused the sign-in code or its token")


@pytest.mark.parametrize("key", [{"kty": "RSA"}, {"kty": "XYZ"}])  # no modulus; a kind of key nobody knows
def test_a_published_key_that_is_no_key_is_a_refusal(db, sso, settings, odd, key):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    published = requests.get(f"{sso.issuer}/.well-known/jwks.json", timeout=10).json()["keys"][0]
    settings.OIDC_OP_JWKS_ENDPOINT = odd.url
    odd.answer = {"keys": [{**key, "kid": published["kid"], "alg": published["alg"]}]}
    client = Client()
    assert_refused(sign_in(client, "alice"), client, 403, "the ID token is malformed or incomplete")
